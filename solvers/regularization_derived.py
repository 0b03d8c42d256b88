"""Which regularization parts follow from other asked parts (for error carried forward).

The total loss is the data loss plus the penalty; the total gradient is the data gradient plus
the penalty's gradient; a (non-proximal) step moves the weights by −η times the total gradient.
"""

from __future__ import annotations

from collections.abc import Mapping

from solvers.base import AnswerValue, Derivation, number_input, vector_input
from solvers.regularization_problem import RegularizationProblem, Vec, shaped, tidy


def _vector(values: Mapping[str, AnswerValue], name: str, size: int) -> Vec:
    vec = vector_input(values, name)
    if len(vec) != size:
        raise ValueError(f"{name} has {len(vec)} entries, not {size}")
    return vec


def _total_loss(problem: RegularizationProblem, data_loss: float) -> Derivation:
    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        return tidy(data_loss + number_input(values, "penalty"))

    return Derivation(("penalty",), compute)


def _total_gradient(problem: RegularizationProblem, data_gradient: Vec) -> Derivation:
    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        penalty = _vector(values, "penalty_gradient", problem.size)
        return shaped(problem, tuple(g + d for g, d in zip(data_gradient, penalty, strict=True)))

    return Derivation(("penalty_gradient",), compute)


def _step(problem: RegularizationProblem, lr: float, source: str, data_gradient: Vec) -> Derivation:
    """w ← w − η·(total gradient); from the penalty's gradient, the data gradient is added first."""

    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        given = _vector(values, source, problem.size)
        total = (
            given if source == "gradient" else tuple(g + d for g, d in zip(data_gradient, given, strict=True))
        )
        sign = problem.rules.sign
        return shaped(problem, tuple(w + sign * lr * g for w, g in zip(problem.weights, total, strict=True)))

    return Derivation((source,), compute)


def derivations(problem: RegularizationProblem) -> dict[str, Derivation]:
    """The asked parts that follow from other asked parts."""
    asked = set(problem.asked)
    found: dict[str, Derivation] = {}
    if {"total_loss", "penalty"} <= asked and problem.data_loss is not None:
        found["total_loss"] = _total_loss(problem, problem.data_loss)
    data_gradient = problem.data_gradient
    if data_gradient is None:
        return found
    if {"gradient", "penalty_gradient"} <= asked:
        found["gradient"] = _total_gradient(problem, data_gradient)
    plain_step = problem.threshold is None and not problem.proximal and problem.rules.decay_lr
    if "w" in asked and problem.lr is not None and plain_step:
        source = (
            "gradient" if "gradient" in asked else "penalty_gradient" if "penalty_gradient" in asked else None
        )
        if source is not None:
            found["w"] = _step(problem, problem.lr, source, data_gradient)
    return found
