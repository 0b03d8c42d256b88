"""Which AdaBoost parts follow from other asked parts (for error carried forward).

α follows from the weighted error ε; the updated weights (and Z, and the common weight of the
misclassified and of the correct samples) follow from α, under the question's convention for α.
"""

from __future__ import annotations

from collections.abc import Mapping

from solvers.base import AnswerValue, Derivation, number_input
from solvers.ensemble_problem import AdaBoost, Task, alpha, updated_weights


def _alpha_from_error(task: AdaBoost) -> Derivation:
    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        error = number_input(values, "error")
        if not 0 < error < 1:
            raise ValueError("a weighted error outside (0, 1) gives no α")
        return alpha(error, task.half)

    return Derivation(("error",), compute)


def _update_from_alpha(task: AdaBoost, part: str) -> Derivation:
    """The update multiplies by e^{±α} with Freund and Schapire's α (half of AdaBoost.M1's)."""

    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        a = number_input(values, "alpha")
        update = updated_weights(task, a if task.half else a / 2)
        if update is None or task.wrong is None:
            raise ValueError("no weights to update")
        weights, z = update
        if part == "weights":
            return weights
        if part == "normalizer":
            return z
        misclassified = part == "weight_misclassified"
        return next(w for w, bad in zip(weights, task.wrong, strict=True) if bad == misclassified)

    return Derivation(("alpha",), compute)


def derivations(task: Task) -> dict[str, Derivation]:
    """The asked AdaBoost parts that follow from other asked parts."""
    if not isinstance(task, AdaBoost):
        return {}
    asked = set(task.asked)
    found: dict[str, Derivation] = {}
    if {"alpha", "error"} <= asked:
        found["alpha"] = _alpha_from_error(task)
    if "alpha" in asked and task.weights is not None and task.wrong is not None:
        for part in ("weights", "normalizer", "weight_misclassified", "weight_correct"):
            if part in asked:
                found[part] = _update_from_alpha(task, part)
    return found
