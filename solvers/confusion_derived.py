"""Which confusion-matrix metrics follow from other asked metrics (for error carried forward).

F1 and F-beta are computed from precision and recall, balanced accuracy from recall and
specificity; accuracy, precision, recall and specificity come from the counts alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from solvers.base import AnswerValue, Derivation, number_input
from solvers.confusion_metrics import ConfusionProblem


def _f_score(beta_squared: float) -> Derivation:
    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        p, r = number_input(values, "precision"), number_input(values, "recall")
        return (1 + beta_squared) * p * r / (beta_squared * p + r)

    return Derivation(("precision", "recall"), compute)


def _balanced_accuracy(values: Mapping[str, AnswerValue]) -> AnswerValue:
    return (number_input(values, "recall") + number_input(values, "specificity")) / 2


def derivations(problem: ConfusionProblem) -> dict[str, Derivation]:
    """The asked metrics that follow from other asked metrics."""
    found = {
        "f1": _f_score(1.0),
        "balanced_accuracy": Derivation(("recall", "specificity"), _balanced_accuracy),
    }
    if problem.beta is not None:
        found["f_beta"] = _f_score(float(problem.beta) ** 2)
    return {
        name: d
        for name, d in found.items()
        if name in problem.asked and all(i in problem.asked for i in d.inputs)
    }
