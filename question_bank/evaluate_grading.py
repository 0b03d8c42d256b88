"""Measure the key-point grader: the project's own graded answers, adversarial answers, SciEntsBank, speed.

``python -m question_bank.evaluate_grading [--backend lexical|hybrid] [--data DIR] [--scientsbank FILE]``

1. **Own set** (``graded_answers.yaml``): for every bank question, the scores of its full (and
   terse full), partial, misconception, off-topic and blank/garbage answers, and whether
   min(full) > max(partial) > max(misconception, off-topic, garbage) holds. Questions with an even
   index (file order) are the calibration half, odd ones the held-out half; both are shown.
   Also: how often the named misconception is found, and false alarms on the other answers.
2. **Adversarial set** (``adversarial_answers.yaml``): how many answers meet their ``expect``
   (``low``: score ≤ 0.2; ``needs_review``: flagged for review).
3. **SciEntsBank** training split in generic mode (key points derived from the reference answer):
   the score threshold for ``correct`` is the one with the best weighted F1 on questions with an
   even index (file order of first appearance); weighted F1 is reported on the odd questions and on
   all. 3-way: score ≥ threshold → correct; below, a contradicted key point → contradictory;
   otherwise incorrect.
4. Grades per second (one process, whatever cores the backend uses).

Exits 1 when the ordering fails on more than 10 % of the questions.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from question_bank.grade_result import Backend, GradeResult
from question_bank.grading import KeyPointGrader, build_grader
from question_bank.loader import QuestionBank, load_bank
from question_bank.rubric import Rubric
from question_bank.scientsbank_eval import evaluate_scientsbank, load_scientsbank, render_scientsbank

ORDERING_FAILURE_BAR = 0.10
LOW_SCORE = 0.2
FULL_KINDS = ("full", "full_terse")
LOWER_KINDS = ("misconception", "off_topic", "blank_or_garbage")


def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    return repository_root() / "tests" / "question_bank" / "data"


def default_scientsbank() -> Path:
    return repository_root().parent / "shared" / "data" / "scientsbank_train.jsonl"


@dataclass(frozen=True)
class Answer:
    kind: str
    text: str
    misconception_id: str | None = None


@dataclass(frozen=True)
class GradedQuestion:
    question_id: str
    answers: tuple[Answer, ...]


def load_graded(path: Path) -> list[GradedQuestion]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        GradedQuestion(
            str(item["question_id"]),
            tuple(
                Answer(str(answer["kind"]), str(answer.get("text") or ""), answer.get("misconception_id"))
                for answer in item["responses"]
            ),
        )
        for item in data
    ]


@dataclass(frozen=True)
class AdversarialCase:
    question_id: str
    kind: str
    expect: str
    text: str


def load_adversarial(path: Path) -> list[AdversarialCase]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        AdversarialCase(
            str(item["question_id"]), str(item["kind"]), str(item["expect"]), str(item.get("text") or "")
        )
        for item in data
    ]


@dataclass
class QuestionOutcome:
    question_id: str
    index: int
    scores: dict[str, list[float]] = field(default_factory=dict)

    def group(self, kinds: Sequence[str]) -> list[float]:
        return [score for kind in kinds for score in self.scores.get(kind, [])]

    @property
    def ordered(self) -> bool:
        """The issue's bar: full > partial > every misconception, off-topic and blank answer."""
        full, partial, lower = self.group(("full",)), self.group(("partial",)), self.group(LOWER_KINDS)
        if not full or not partial:
            return False
        return min(full) > max(partial) > max(lower, default=-1.0)

    @property
    def terse_above_partial(self) -> bool | None:
        """Exam-shorthand full answers (reported, not part of the bar): above the partial answer?"""
        terse, partial = self.group(("full_terse",)), self.group(("partial",))
        return None if not terse or not partial else min(terse) > max(partial)


@dataclass
class OwnReport:
    outcomes: list[QuestionOutcome]
    named_found: int = 0
    named_total: int = 0
    false_alarms: int = 0
    others: int = 0

    def failures(self, parity: int | None = None) -> tuple[int, int]:
        rows = [o for o in self.outcomes if parity is None or o.index % 2 == parity]
        return sum(1 for o in rows if not o.ordered), len(rows)


def evaluate_own(
    grader: KeyPointGrader, rubrics: dict[str, Rubric], graded: list[GradedQuestion]
) -> OwnReport:
    report = OwnReport([])
    for index, question in enumerate(graded):
        outcome = QuestionOutcome(question.question_id, index)
        rubric = rubrics[question.question_id]
        for answer in question.answers:
            result = grader.grade(rubric, answer.text)
            outcome.scores.setdefault(answer.kind, []).append(result.score)
            found = {item.id for item in result.misconceptions}
            if answer.kind == "misconception":
                report.named_total += 1
                report.named_found += answer.misconception_id in found
            else:
                report.others += 1
                report.false_alarms += bool(found)
        report.outcomes.append(outcome)
    return report


def meets(case: AdversarialCase, result: GradeResult) -> bool:
    if case.expect == "needs_review":
        return result.needs_review
    return result.score <= LOW_SCORE


def evaluate_adversarial(
    grader: KeyPointGrader, rubrics: dict[str, Rubric], cases: list[AdversarialCase]
) -> list[tuple[AdversarialCase, GradeResult]]:
    return [(case, grader.grade(rubrics[case.question_id], case.text)) for case in cases]


def render_own(report: OwnReport) -> list[str]:
    lines = ["own set: scores per kind (bar: full > partial > misconception / off-topic / garbage)"]
    for outcome in report.outcomes:
        cells = " ".join(
            f"{kind[:5]}={','.join(f'{score:.2f}' for score in scores)}"
            for kind, scores in outcome.scores.items()
        )
        lines.append(
            f"  {'ok  ' if outcome.ordered else 'FAIL'} [{'odd ' if outcome.index % 2 else 'even'}] "
            f"{outcome.question_id[:42]:42} {cells}"
        )
    for name, parity in (("calibration (even)", 0), ("held out (odd)", 1), ("all", None)):
        failed, total = report.failures(parity)
        lines.append(f"  ordering holds {name:18}: {total - failed}/{total}")
    terse = [o.terse_above_partial for o in report.outcomes if o.terse_above_partial is not None]
    lines.append(f"  terse full answers above partial: {sum(terse)}/{len(terse)} (reported, not in the bar)")
    lines.append(
        f"  named misconception found: {report.named_found}/{report.named_total}; "
        f"false alarms on other answers: {report.false_alarms}/{report.others}"
    )
    return lines


def render_adversarial(outcomes: list[tuple[AdversarialCase, GradeResult]]) -> list[str]:
    met = [meets(case, result) for case, result in outcomes]
    lines = [f"adversarial set: {sum(met)}/{len(met)} meet their expectation"]
    for (case, result), ok in zip(outcomes, met, strict=True):
        if not ok:
            lines.append(
                f"  MISS {case.kind} ({case.question_id}, expect {case.expect}): score {result.score:.2f}, "
                f"needs_review={result.needs_review}"
            )
    return lines


def main(argv: list[str] | None = None, bank: QuestionBank | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m question_bank.evaluate_grading", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--backend", choices=[b.value for b in Backend], default=None, help="default: the grader's"
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="folder with graded_answers.yaml, adversarial_answers.yaml"
    )
    parser.add_argument(
        "--scientsbank", type=Path, default=None, help="SciEntsBank training split (JSON lines)"
    )
    parser.add_argument("--skip-scientsbank", action="store_true")
    args = parser.parse_args([] if argv is None else argv)
    data_dir: Path = args.data or default_data_dir()
    bank = load_bank() if bank is None else bank
    started = time.perf_counter()
    grader = build_grader(None if args.backend is None else Backend(args.backend), bank, fallback=False)
    print(f"backend: {grader.backend.value} (ready in {time.perf_counter() - started:.2f} s)")
    rubrics = {entry.id: grader.rubric_for(entry) for entry in bank}
    graded = load_graded(data_dir / "graded_answers.yaml")
    cases = load_adversarial(data_dir / "adversarial_answers.yaml")
    start = time.perf_counter()
    own = evaluate_own(grader, rubrics, graded)
    adversarial = evaluate_adversarial(grader, rubrics, cases)
    seconds = time.perf_counter() - start
    count = sum(len(question.answers) for question in graded) + len(cases)
    for line in render_own(own) + render_adversarial(adversarial):
        print(line)
    print(f"own + adversarial: {count} grades in {seconds:.2f} s = {count / seconds:.0f} grades/s")
    path: Path = args.scientsbank or default_scientsbank()
    if args.skip_scientsbank:
        pass
    elif path.is_file():
        for line in render_scientsbank(evaluate_scientsbank(grader, load_scientsbank(path))):
            print(line)
    else:
        print(f"SciEntsBank: {path.name} not found, skipped")
    failed, total = own.failures()
    ok = total > 0 and failed <= ORDERING_FAILURE_BAR * total
    verdict = "met" if ok else "NOT met"
    print(
        f"ordering fails on {failed}/{total} questions (bar: at most {ORDERING_FAILURE_BAR:.0%}): {verdict}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
