"""The binary confusion-matrix metrics: their parts, and their exact computation under a set of rules.

`compute` gives every asked metric from the four counts; a `Rules` with one field changed gives the
answer a classic mistake leads to (precision and recall swapped, F1 as an arithmetic mean, ...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from solvers.base import AnswerValue, PartSpec, ValueKind
from solvers.confusion_asked import DEFAULT_ASKED, METRIC_NEEDS
from solvers.confusion_facts import CELLS, Counts


@dataclass(frozen=True)
class ConfusionProblem:
    tp: Fraction | None
    fp: Fraction | None
    fn: Fraction | None
    tn: Fraction | None
    asked: tuple[str, ...] = DEFAULT_ASKED
    beta: Fraction | None = None
    orientation: str = "counts"
    positive_class: str = "positive"
    description: str = "Reading the counts stated in the question"
    conventions: tuple[str, ...] = ()
    orientation_assumed: bool = False
    positive_assumed: bool = False
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> Counts:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


@dataclass(frozen=True)
class Rules:
    """How the metrics are computed; a variant is the right computation with one rule changed."""

    zero_division: Fraction | None = None  # the value of 0/0 (None: undefined)
    swap_precision_recall: bool = False
    f1_arithmetic_mean: bool = False
    accuracy_without_tn: bool = False
    specificity_as_npv: bool = False
    specificity_as_fpr: bool = False
    fpr_as_one_minus_precision: bool = False
    inverse_beta: bool = False


RATIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "accuracy": (("tp", "tn"), ("tp", "fp", "fn", "tn")),
    "precision": (("tp",), ("tp", "fp")),
    "recall": (("tp",), ("tp", "fn")),
    "specificity": (("tn",), ("tn", "fp")),
    "npv": (("tn",), ("tn", "fn")),
    "fpr": (("fp",), ("fp", "tn")),
    "fnr": (("fn",), ("fn", "tp")),
    "error_rate": (("fp", "fn"), ("tp", "fp", "fn", "tn")),
}

PARTS: dict[str, PartSpec] = {
    spec.name: spec
    for spec in (
        PartSpec("accuracy", "Accuracy", ValueKind.FRACTION, ("acc",)),
        PartSpec("precision", "Precision", ValueKind.FRACTION, ("prec", "ppv", "positive predictive value")),
        PartSpec(
            "recall",
            "Recall",
            ValueKind.FRACTION,
            ("sensitivity", "tpr", "true positive rate", "hit rate", "rec"),
        ),
        PartSpec(
            "specificity",
            "Specificity",
            ValueKind.FRACTION,
            ("tnr", "true negative rate", "selectivity", "spec"),
        ),
        PartSpec(
            "f1",
            "F1",
            ValueKind.FRACTION,
            ("f1 score", "f1-score", "f-score", "f score", "f-measure", "f measure", "f1score"),
        ),
        PartSpec("npv", "NPV", ValueKind.FRACTION, ("negative predictive value",)),
        PartSpec(
            "fpr",
            "False positive rate",
            ValueKind.FRACTION,
            ("fpr", "fall-out", "fallout", "false alarm rate", "type i error rate"),
        ),
        PartSpec(
            "fnr", "False negative rate", ValueKind.FRACTION, ("fnr", "miss rate", "type ii error rate")
        ),
        PartSpec(
            "mcc",
            "MCC",
            ValueKind.SCALAR,
            ("matthews correlation coefficient", "matthews correlation", "phi coefficient"),
        ),
        PartSpec("balanced_accuracy", "Balanced accuracy", ValueKind.FRACTION, ("balanced acc", "bacc")),
        PartSpec("f_beta", "F-beta", ValueKind.FRACTION, ("f-beta", "fbeta", "f beta", "fβ", "f-beta score")),
        PartSpec(
            "error_rate",
            "Error rate",
            ValueKind.FRACTION,
            ("misclassification rate", "misclassification error", "error"),
        ),
    )
}


def _ratio_cells(name: str, rules: Rules) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if rules.swap_precision_recall and name in ("precision", "recall"):
        name = "recall" if name == "precision" else "precision"
    if name == "accuracy" and rules.accuracy_without_tn:
        return ("tp",), ("tp", "fp", "fn")
    if name == "specificity" and rules.specificity_as_npv:
        return ("tn",), ("tn", "fn")
    if name == "specificity" and rules.specificity_as_fpr:
        return ("fp",), ("fp", "tn")
    if name == "fpr" and rules.fpr_as_one_minus_precision:
        return ("fp",), ("tp", "fp")
    return RATIOS[name]


def total(counts: Counts, cells: tuple[str, ...]) -> Fraction:
    return sum((counts[c] or Fraction(0) for c in cells), Fraction(0))


def _divide(num: Fraction, den: Fraction, rules: Rules) -> Fraction | None:
    if den == 0:
        return rules.zero_division if num == 0 else None
    return num / den


def f_beta(counts: Counts, beta: Fraction, rules: Rules) -> Fraction | None:
    b2 = beta * beta
    tp, fp, fn = (total(counts, (c,)) for c in ("tp", "fp", "fn"))
    return _divide((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, rules)


def metric(name: str, counts: Counts, beta: Fraction | None, rules: Rules) -> float | None:
    """One metric's value (None when it is 0/0 and `rules.zero_division` is None)."""
    value: Fraction | None
    if name in RATIOS:
        num, den = _ratio_cells(name, rules)
        value = _divide(total(counts, num), total(counts, den), rules)
    elif name == "f1" and rules.f1_arithmetic_mean:
        p, r = metric("precision", counts, beta, rules), metric("recall", counts, beta, rules)
        return None if p is None or r is None else (p + r) / 2
    elif name in ("f1", "f_beta"):
        b = Fraction(1) if name == "f1" else beta or Fraction(1)
        value = f_beta(counts, 1 / b if rules.inverse_beta else b, rules)
    elif name == "balanced_accuracy":
        r, s = metric("recall", counts, beta, rules), metric("specificity", counts, beta, rules)
        return None if r is None or s is None else (r + s) / 2
    elif name == "mcc":
        tp, fp, fn, tn = (total(counts, (c,)) for c in CELLS)
        product = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
        if product == 0:
            return None if rules.zero_division is None else float(rules.zero_division)
        return float(tp * tn - fp * fn) / math.sqrt(product)
    else:
        raise KeyError(name)
    return None if value is None else float(value)


def answer_parts(problem: ConfusionProblem) -> tuple[str, ...]:
    """The asked parts, then the usual five when the counts allow them."""
    known = {c for c, v in problem.counts.items() if v is not None}
    extras = [m for m in DEFAULT_ASKED if METRIC_NEEDS[m] <= known]
    return tuple(dict.fromkeys((*problem.asked, *extras)))


def compute(
    problem: ConfusionProblem, rules: Rules = Rules(), counts: Counts | None = None
) -> dict[str, AnswerValue]:
    counts = problem.counts if counts is None else counts
    return {name: metric(name, counts, problem.beta, rules) for name in answer_parts(problem)}


def number_text(q: Fraction) -> str:
    """`80`, `0.5`: a count or β as written in steps and labels."""
    return str(q.numerator) if q.denominator == 1 else f"{float(q):g}"


def part_label(name: str, problem: ConfusionProblem) -> str:
    """A part's label for people; an F-beta score is named by its β ("F2 score")."""
    if name == "f_beta" and problem.beta is not None:
        return f"F{number_text(problem.beta)} score"
    return PARTS[name].label
