"""The answers known mistakes lead to, each with the feedback that explains it; the other Jacobian
layout and symbols where the question gives numbers are accepted conventions."""

from __future__ import annotations

from solvers.base import Variant
from solvers.gradient_shape_answer import Mistake, answer
from solvers.gradient_shape_parse import GradientShapeProblem

_ACCEPTED = (Mistake.DENOMINATOR, Mistake.SYMBOLIC)
_FEEDBACK = {
    Mistake.TRANSPOSED: (
        "The dimensions are swapped. The gradient of a scalar with respect to a matrix has one entry "
        "per entry of the matrix, in the same place, so it has the matrix's shape (rows first), not "
        "its transpose."
    ),
    Mistake.SCALAR: (
        "The function is a scalar, but its gradient is not: there is one partial derivative for "
        "every entry of the variable, so the gradient has the variable's shape."
    ),
    Mistake.FLATTENED: (
        "The right number of entries, but flattened into one long vector. The gradient is arranged "
        "like the variable: a matrix variable has a matrix gradient of the same shape."
    ),
    Mistake.BATCH_KEPT: (
        "The batch dimension was kept: that is the stack of per-example gradients, not summed over "
        "the batch. A parameter's gradient sums every example's contribution, so it has the "
        "parameter's shape."
    ),
    Mistake.DENOMINATOR: (
        "This is the Jacobian in denominator layout (one row per input). It is accepted; the usual "
        "numerator layout puts one row per output and one column per input."
    ),
    Mistake.SYMBOLIC: (
        "The shape is right in symbols; the question gives numbers for them, which is accepted."
    ),
}
_JACOBIAN_FEEDBACK = {
    Mistake.SCALAR: (
        "The Jacobian is not a single number: it holds one partial derivative ∂f_i/∂x_j for every "
        "output i and every input j, so it has one row per output and one column per input."
    ),
    Mistake.FLATTENED: (
        "The right number of entries, but the Jacobian is a matrix, not one long vector: one row per "
        "output and one column per input."
    ),
}


def find_variants(problem: GradientShapeProblem) -> list[Variant]:
    """One variant per mistake whose answer differs from the right one and from every earlier variant."""
    right = answer(problem)
    jacobian = all(t.jacobian for t in problem.targets)
    found: list[Variant] = []
    for mistake in Mistake:
        wrong = answer(problem, mistake)
        if wrong != right and all(v.answer != wrong for v in found):
            feedback = _JACOBIAN_FEEDBACK.get(mistake, _FEEDBACK[mistake]) if jacobian else _FEEDBACK[mistake]
            found.append(Variant(mistake.value, feedback, dict(wrong), mistake in _ACCEPTED))
    return found
