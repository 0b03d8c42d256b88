"""Dropout arithmetic: every part a problem allows, under the right rule or a mistaken one."""

from __future__ import annotations

from dataclasses import dataclass

from solvers.base import AnswerValue
from solvers.dropout_problem import DropoutProblem, Grid


@dataclass(frozen=True)
class Rule:
    """How a unit is treated: survivors' factor in training, the factor at test time, E[a′]/a."""

    train_scale: float | None
    test_scale: float | None
    expected_factor: float | None
    flip_mask: bool = False
    mask_at_test: bool = False


def rule(keep: float | None, inverted: bool) -> Rule:
    """Inverted dropout divides survivors by `keep`; plain dropout multiplies by it at test time."""
    if inverted:
        return Rule(None if keep is None else 1.0 / keep, 1.0, 1.0)
    return Rule(1.0, keep, keep)


def tidy(x: float) -> float:
    return round(x, 12) + 0.0  # no -0.0, no 0.30000000000000004


def combine(a: Grid, m: Grid, factor: float) -> Grid:
    """a ⊙ m × factor, entry by entry."""
    return tuple(
        tuple(tidy(x * k * factor) for x, k in zip(ra, rm, strict=True)) for ra, rm in zip(a, m, strict=True)
    )


def scaled(a: Grid, factor: float) -> Grid:
    return tuple(tuple(tidy(x * factor) for x in row) for row in a)


def flipped(m: Grid) -> Grid:
    return tuple(tuple(1.0 - k for k in row) for row in m)


def as_answer(grid: Grid, form: str, unit: int | None = None) -> AnswerValue:
    """The grid as the question wrote it: one value, a list or a list of rows (or one unit's value)."""
    if unit is not None:
        return grid[0][unit]
    if form == "scalar":
        return grid[0][0]
    if form == "matrix":
        return [list(row) for row in grid]
    return list(grid[0])


def counts(problem: DropoutProblem, mask: Grid | None) -> tuple[float, int] | None:
    """(kept units, all units): counted in the mask, or expected from the keep probability."""
    if mask is not None:
        flat = [k for row in mask for k in row]
        return sum(flat), len(flat)
    if problem.size is not None and problem.keep is not None:
        return problem.size * problem.keep, problem.size
    return None


def evaluate(problem: DropoutProblem, how: Rule) -> dict[str, AnswerValue]:
    """Every part computable from the problem under `how` (right or mistaken)."""
    a, m = problem.activations, problem.mask
    units = dict(problem.units)
    if m is not None and how.flip_mask:
        m = flipped(m)
    out: dict[str, AnswerValue] = {}
    if a is not None and m is not None and how.train_scale is not None:
        out["output"] = as_answer(combine(a, m, how.train_scale), problem.form)
    factor = how.train_scale if problem.inverted else how.test_scale
    if factor is not None and problem.keep is not None:
        out["scale"] = tidy(factor)
    if how.test_scale is not None:
        out["test_scale"] = tidy(how.test_scale)
    if a is not None and how.expected_factor is not None:
        expected = scaled(a, how.expected_factor)
        out["expected_value"] = as_answer(expected, problem.form, units.get("expected_value"))
    if a is not None and how.test_scale is not None:
        base = combine(a, m, 1.0) if how.mask_at_test and m is not None else a
        out["test_output"] = as_answer(scaled(base, how.test_scale), problem.form, units.get("test_output"))
    counted = counts(problem, m)
    if counted is not None:
        kept, total = counted
        out["dropped_count"] = tidy(total - kept)
        out["kept_count"] = tidy(kept)
        out["kept_fraction"] = tidy(kept / total)
        out["dropped_fraction"] = tidy((total - kept) / total)
    return out
