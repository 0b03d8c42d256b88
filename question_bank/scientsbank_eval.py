"""SciEntsBank in generic mode: key points derived from each reference answer, 2-way and 3-way scores.

The score threshold for ``correct`` is the one with the best weighted F1 on the questions with an
even index (order of first appearance in the file); weighted F1 is reported on the odd questions and
on all. 3-way: score ≥ threshold → correct; below it, a contradicted key point → contradictory;
otherwise incorrect (the file's labels: correct, contradictory, incorrect).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from question_bank.grading import KeyPointGrader
from question_bank.rubric import Rubric, rubric_from_reference

LABELS_3WAY = ("correct", "contradictory", "incorrect")


def weighted_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Weighted F1 over the gold labels (as scikit-learn's ``average="weighted"``)."""
    total = len(gold)
    if not total:
        return 0.0
    result = 0.0
    for label, support in Counter(gold).items():
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        predicted_count = sum(1 for p in predicted if p == label)
        precision = tp / predicted_count if predicted_count else 0.0
        recall = tp / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result += f1 * support / total
    return result


@dataclass(frozen=True)
class SciRow:
    question_id: str
    index: int
    question: str
    reference: str
    answer: str
    label_2way: str
    label_3way: str


def load_scientsbank(path: Path) -> list[SciRow]:
    rows: list[SciRow] = []
    order: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item: dict[str, Any] = json.loads(line)
        index = order.setdefault(item["question_id"], len(order))
        rows.append(
            SciRow(
                item["question_id"],
                index,
                item["question"],
                " ".join(item["reference_answers"][:1]),
                item["student_answer"],
                item["label_2way"],
                item["label_3way"],
            )
        )
    return rows


@dataclass
class SciReport:
    threshold: float
    f1_even: float
    f1_odd: float
    f1_all: float
    f1_3way_odd: float
    f1_3way_all: float
    confusion: dict[tuple[str, str], int]
    seconds: float
    count: int


def _three_way(score: float, contradicted: bool, threshold: float) -> str:
    if score >= threshold:
        return "correct"
    return "contradictory" if contradicted else "incorrect"


def evaluate_scientsbank(grader: KeyPointGrader, rows: list[SciRow]) -> SciReport:
    rubrics: dict[tuple[str, str], Rubric] = {}
    graded: list[tuple[float, bool]] = []
    start = time.perf_counter()
    for row in rows:
        key = (row.question, row.reference)
        if key not in rubrics:
            rubrics[key] = rubric_from_reference(row.question, row.reference)
        result = grader.grade(rubrics[key], row.answer)
        graded.append((result.score, result.contradicted))
    seconds = time.perf_counter() - start

    def two_way(part: list[int], threshold: float) -> float:
        gold = [rows[i].label_2way for i in part]
        predicted = ["correct" if graded[i][0] >= threshold else "incorrect" for i in part]
        return weighted_f1(gold, predicted)

    even = [i for i, row in enumerate(rows) if row.index % 2 == 0]
    odd = [i for i, row in enumerate(rows) if row.index % 2 == 1]
    everything = list(range(len(rows)))
    candidates = [step / 100 for step in range(1, 100)]
    threshold = max(candidates, key=lambda value: (two_way(even, value), -value))
    three = [_three_way(score, contradicted, threshold) for score, contradicted in graded]

    def three_f1(part: list[int]) -> float:
        return weighted_f1([rows[i].label_3way for i in part], [three[i] for i in part])

    confusion = Counter((row.label_3way, three[i]) for i, row in enumerate(rows))
    return SciReport(
        threshold,
        two_way(even, threshold),
        two_way(odd, threshold),
        two_way(everything, threshold),
        three_f1(odd),
        three_f1(everything),
        dict(confusion),
        seconds,
        len(rows),
    )


def render_scientsbank(report: SciReport) -> list[str]:
    lines = [
        f"SciEntsBank (generic mode, {report.count} answers): "
        f"threshold {report.threshold:.2f} chosen on even questions",
        f"  2-way weighted F1: even {report.f1_even:.3f}  odd {report.f1_odd:.3f}  all {report.f1_all:.3f}",
        f"  3-way weighted F1: odd {report.f1_3way_odd:.3f}  all {report.f1_3way_all:.3f}",
        "  3-way confusion (rows gold, columns predicted): "
        + " ".join(f"{label[:7]:>8}" for label in LABELS_3WAY),
    ]
    for gold in LABELS_3WAY:
        counts = " ".join(f"{report.confusion.get((gold, predicted), 0):8d}" for predicted in LABELS_3WAY)
        lines.append(f"  {gold:>47} {counts}")
    lines.append(f"  {report.count / report.seconds:.0f} grades/s")
    return lines
