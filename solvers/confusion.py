"""Binary confusion matrices: accuracy, precision, recall, specificity, F1 and friends, with steps.

Reading the question (counts, tables in either orientation, label lists, stories) is
`solvers.confusion_parse`; the metrics are `solvers.confusion_metrics` and their worked steps
`solvers.confusion_steps`. This module is the solver: it routes, solves, and re-runs the
computation with the classic mistakes to get the wrong variants.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import replace
from fractions import Fraction

from solvers.base import AnswerValue, Example, Solution, Solver, Variant
from solvers.confusion_derived import derivations
from solvers.confusion_facts import named_facts
from solvers.confusion_grids import find_grids
from solvers.confusion_metrics import PARTS, ConfusionProblem, Rules, compute, number_text, part_label
from solvers.confusion_multiclass_asked import asks_averages
from solvers.confusion_parse import read_confusion
from solvers.confusion_practice import practice_question
from solvers.confusion_steps import steps
from solvers.errors import InvalidQuestion, NotUnderstood

_EVIDENCE_WORDS = re.compile(
    r"confusion\s+matri|precision|recall|accuracy|specificity|sensitivity|f1|f-score|true\s+positive"
    r"|false\s+positive",
    re.IGNORECASE,
)

# Mistakes in the formulas: (code, feedback, the rules that make the mistake).
_FORMULA_MISTAKES: tuple[tuple[str, str, Rules], ...] = (
    (
        "precision_recall_swapped",
        "You swapped precision and recall: precision is TP / (TP + FP), over everything predicted "
        "positive; recall is TP / (TP + FN), over all actual positives.",
        Rules(swap_precision_recall=True),
    ),
    (
        "f1_arithmetic_mean",
        "F1 is the harmonic mean of precision and recall, 2PR / (P + R), not their average (P + R) / 2.",
        Rules(f1_arithmetic_mean=True),
    ),
    (
        "accuracy_without_tn",
        "Accuracy counts every correct prediction, true negatives included: (TP + TN) / (TP + FP + FN + TN).",
        Rules(accuracy_without_tn=True),
    ),
    (
        "specificity_as_npv",
        "Specificity is TN / (TN + FP), over all actual negatives; TN / (TN + FN) is the negative "
        "predictive value.",
        Rules(specificity_as_npv=True),
    ),
    (
        "specificity_as_fpr",
        "That is the false positive rate FP / (FP + TN) = 1 − specificity; specificity is TN / (TN + FP).",
        Rules(specificity_as_fpr=True),
    ),
    (
        "fpr_as_one_minus_precision",
        "The false positive rate is FP / (FP + TN), over actual negatives; "
        "1 − precision = FP / (TP + FP) is the false discovery rate.",
        Rules(fpr_as_one_minus_precision=True),
    ),
)


class ConfusionSolver(Solver[ConfusionProblem]):
    kind = "confusion_binary"
    title = "Binary confusion matrix metrics"
    topic = "evaluation"

    def detect(self, text: str) -> float:
        try:
            parsed = read_confusion(text)
        except InvalidQuestion:
            return 0.8
        except NotUnderstood:
            if any(len(f.cells) == 1 for f in named_facts(text)) or any(
                g.size == 2 for g in find_grids(text)
            ):
                return 0.55  # confusion data that cannot be read for sure: say what is missing
            return 0.3 if _EVIDENCE_WORDS.search(text) else 0.0
        if parsed.reading.orientation != "counts" and asks_averages(text):
            return 0.3  # macro, micro, weighted or per-class values of a table: confusion_multiclass
        return 0.75 if parsed.reading.told_in_words else 0.9

    def parse(self, text: str) -> ConfusionProblem:
        parsed = read_confusion(text)
        reading = parsed.reading
        conventions = list(reading.conventions)
        if "f_beta" in parsed.asked and parsed.beta is not None:
            conventions.append(
                f"The F-beta score uses β = {number_text(parsed.beta)}: recall counts β² = "
                f"{number_text(parsed.beta**2)} times as much as precision."
            )
        conventions.append("Metrics are fractions between 0 and 1 (0.9 is 90 %).")
        counts = reading.counts
        return ConfusionProblem(
            counts["tp"],
            counts["fp"],
            counts["fn"],
            counts["tn"],
            asked=parsed.asked,
            beta=parsed.beta,
            orientation=reading.orientation,
            positive_class=reading.positive_class,
            description=reading.description,
            conventions=tuple(conventions),
            orientation_assumed=reading.orientation_assumed,
            positive_assumed=reading.positive_assumed,
            notes=parsed.notes,
        )

    def solve(self, problem: ConfusionProblem) -> Solution:
        answer = compute(problem)
        names = tuple(answer)
        notes = list(problem.notes)
        notes += [
            f"{part_label(name, problem)} is undefined here (0/0); scikit-learn reports 0 "
            "(its zero_division default) with a warning."
            for name in names
            if answer[name] is None
        ]
        parts = {name: PARTS[name] for name in names}
        if "f_beta" in parts and problem.beta is not None:
            b = number_text(problem.beta)
            spec = parts["f_beta"]
            parts["f_beta"] = replace(
                spec,
                label=part_label("f_beta", problem),
                aliases=(*spec.aliases, f"f{b}", f"f{b} score", f"f_{b}"),
            )
        given: dict[str, object] = {c: _json(v) for c, v in problem.counts.items()}
        given |= {"orientation": problem.orientation, "positive_class": problem.positive_class}
        if problem.beta is not None:
            given["beta"] = _json(problem.beta)
        return Solution(
            self.kind,
            problem.asked,
            answer,
            parts,
            steps(problem, names),
            list(problem.conventions),
            given,
            notes,
            derivations(problem),
        )

    def variants(self, problem: ConfusionProblem) -> list[Variant]:
        right = compute(problem)
        found: list[Variant] = []

        def add(code: str, feedback: str, answer: dict[str, AnswerValue], accepted: bool = False) -> None:
            if any(_differs(answer.get(n), right[n]) for n in problem.asked if n in answer):
                found.append(Variant(code, feedback, answer, accepted))

        if any(v is None for v in right.values()):
            add(
                "zero_division_as_zero",
                "an undefined 0/0 reported as 0, as scikit-learn does (zero_division=0).",
                compute(problem, Rules(zero_division=Fraction(0))),
                accepted=True,
            )
        for code, feedback, rules in _FORMULA_MISTAKES:
            add(code, feedback, compute(problem, rules))
        transposed = dict(problem.counts, fp=problem.fn, fn=problem.fp)
        feedback, accepted = _transposed_feedback(problem)
        add("table_transposed", feedback, compute(problem, counts=transposed), accepted)
        if problem.beta is not None:
            add(
                "f_beta_inverse_beta",
                f"With β = {number_text(problem.beta)} recall weighs β² times as much as precision: "
                "F_β = (1 + β²)·P·R / (β²·P + R); you used 1/β.",
                compute(problem, Rules(inverse_beta=True)),
            )
        if problem.positive_class != "positive":
            swapped = {"tp": problem.tn, "fp": problem.fn, "fn": problem.fp, "tn": problem.tp}
            feedback = (
                "the other class taken as the positive one."
                if problem.positive_assumed
                else f"You took the other class as positive; here the positive class is "
                f"“{problem.positive_class}”, so TP counts the cases predicted and actually "
                f"“{problem.positive_class}”."
            )
            add(
                "positive_class_swapped", feedback, compute(problem, counts=swapped), problem.positive_assumed
            )
        return found

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


def _transposed_feedback(problem: ConfusionProblem) -> tuple[str, bool]:
    if problem.orientation_assumed:
        return "the table read with rows as predicted classes and columns as actual ones.", True
    if problem.orientation in ("rows_predicted", "rows_actual"):
        rows = problem.orientation.removeprefix("rows_")
        cols = "actual" if rows == "predicted" else "predicted"
        return (
            "You read the table the wrong way round, so FP and FN are swapped: "
            f"here rows are {rows} classes and columns {cols} classes.",
            False,
        )
    return (
        "You swapped FP and FN: a false positive is predicted positive but actually negative; "
        "a false negative is predicted negative but actually positive.",
        False,
    )


def _differs(a: AnswerValue, b: AnswerValue) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) > 1e-9 * max(1.0, abs(b))
    return a != b


def _json(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


EXAMPLES: tuple[Example, ...] = (
    Example(
        "Define the evaluation metrics Accuracy, Precision, Recall, and F1 score.\nGiven Confusion Matrix:\n"
        "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
        "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |",
        {"accuracy": 0.9, "precision": 0.5, "recall": 0.8, "f1": 8 / 13},
    ),
    Example(
        "A classifier gives TP = 45, FP = 5, FN = 15 and TN = 35. Compute precision, recall and F1.",
        {"precision": 0.9, "recall": 0.75, "f1": 90 / 110},
    ),
    Example(
        "cm = [[50, 10], [5, 35]] is the output of sklearn's confusion_matrix(y_true, y_pred) "
        "with labels [0, 1]. "
        "What are the precision and recall?",
        {"precision": 35 / 45, "recall": 35 / 40},
    ),
    Example(
        "y_true = [1, 0, 1, 1, 0, 1, 0, 0]\ny_pred = [1, 0, 0, 1, 1, 1, 0, 0]\n"
        "Compute accuracy, precision and recall.",
        {"accuracy": 0.75, "precision": 0.75, "recall": 0.75},
    ),
    Example(
        "A spam filter is tested on 500 emails, of which 100 are spam. "
        "It flags 90 emails as spam, of which 75 are "
        "actually spam. Find the precision, recall and accuracy of the filter.",
        {"precision": 75 / 90, "recall": 0.75, "accuracy": 460 / 500},
    ),
    Example(
        "With TP = 40, FP = 10, FN = 20 and TN = 30, compute the F2 score and the MCC.",
        {"f_beta": 200 / 290, "mcc": 1000 / math.sqrt(6_000_000)},
    ),
    Example(
        "Rows are actual classes.\n| | Spam | Not spam |\n|---|---|---|\n"
        "| Spam | 30 | 10 |\n| Not spam | 5 | 55 |\n"
        "Compute the specificity and the false positive rate.",
        {"specificity": 55 / 60, "fpr": 5 / 60},
    ),
)
