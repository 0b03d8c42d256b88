"""The shapes asked for, right or as a known mistake leads to: a scalar's gradient has the shape of
the variable; a Jacobian is outputs × inputs (numerator layout)."""

from __future__ import annotations

import re
from enum import StrEnum

from solvers.gradient_shape_parse import GradientShapeProblem, Target
from solvers.shapes import Dim


class Mistake(StrEnum):
    TRANSPOSED = "shape_transposed"
    SCALAR = "shape_scalar"
    FLATTENED = "shape_flattened"
    BATCH_KEPT = "batch_dimension_kept"
    DENOMINATOR = "jacobian_layout"
    SYMBOLIC = "symbolic_dimensions"


def _product(dims: list[Dim]) -> Dim:
    """`[3, 4]` → 12; `["n", "m"]` → "n*m"."""
    if all(isinstance(d, int) for d in dims):
        total = 1
        for d in dims:
            total *= int(d)
        return total
    return "*".join(str(d) for d in dims)


def target_dims(problem: GradientShapeProblem, target: Target, mistake: Mistake | None = None) -> list[Dim]:
    """The shape asked for `target`, or the one a known mistake leads to."""
    if target.jacobian:
        numerator = [*(target.output or (1,)), *target.shape]
        dims = [*target.shape, *target.output] if mistake is Mistake.DENOMINATOR else numerator
    else:
        dims = list(target.shape)
        parameter = target.role in ("weight", "bias")
        if mistake is Mistake.BATCH_KEPT and parameter and problem.batch is not None:
            dims = [problem.batch, *dims]
    if mistake is not Mistake.SYMBOLIC:
        numbers = dict(problem.substitutions)
        dims = [numbers.get(d, d) if isinstance(d, str) else d for d in dims]
    if mistake is Mistake.TRANSPOSED and len(dims) >= 2 and not target.jacobian:
        dims = dims[::-1]
    elif mistake is Mistake.SCALAR:
        dims = []
    elif mistake is Mistake.FLATTENED and len(dims) >= 2:
        dims = [_product(dims)]
    return dims


def part_name(problem: GradientShapeProblem, target: Target) -> str:
    """`shape` when one shape is asked, else `shape_W`, `shape_b`, `shape_W2` (for `W^(2)`)."""
    if len(problem.targets) == 1:
        return "shape"
    return "shape_" + re.sub(r"\W", "", target.name.replace("^", ""))


def answer(problem: GradientShapeProblem, mistake: Mistake | None = None) -> dict[str, list[Dim]]:
    return {part_name(problem, t): target_dims(problem, t, mistake) for t in problem.targets}
