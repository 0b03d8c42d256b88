"""Clipping arithmetic: norms, PyTorch's clipping factor, the clipped tensors; mistakes as other rules."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from solvers.base import AnswerValue
from solvers.clipping_parse import ClipProblem, Mode, Tensor


@dataclass(frozen=True)
class Rules:
    mode: Mode
    norm_type: float = 2.0
    eps: float = 1e-6
    clamp: bool = True  # the factor never exceeds 1 (False: every gradient rescaled to norm c)
    squared: bool = False  # the squared norm used as the norm
    inverted: bool = False  # multiplied by ‖g‖/c instead of c/‖g‖


def tidy(x: float) -> float:
    return float(f"{x:.12g}")


def norm(values: tuple[float, ...], rules: Rules) -> float:
    if rules.norm_type == math.inf:
        return max((abs(x) for x in values), default=0.0)
    if rules.norm_type == 1:
        return sum(abs(x) for x in values)
    squares = float(sum(abs(x) ** rules.norm_type for x in values))
    return squares if rules.squared else float(squares ** (1 / rules.norm_type))


def factor(total: float, c: float, rules: Rules) -> float:
    if rules.inverted:
        return total / c if total > c else 1.0
    coefficient = c / (total + rules.eps)
    return min(coefficient, 1.0) if rules.clamp else c / total if total else 1.0


def shaped(t: Tensor, values: tuple[float, ...]) -> AnswerValue:
    if not t.shape:
        return tidy(values[0])
    if len(t.shape) == 2:
        rows, cols = t.shape
        return [[tidy(values[r * cols + k]) for k in range(cols)] for r in range(rows)]
    return [tidy(x) for x in values]


def evaluate(problem: ClipProblem, rules: Rules) -> dict[str, AnswerValue]:
    c, several = problem.threshold, len(problem.tensors) > 1
    out: dict[str, AnswerValue] = {}

    def key(name: str, t: Tensor) -> str:
        return f"{name}_{t.name}" if several else name

    clipped: dict[str, tuple[float, ...]] = {}
    if rules.mode is Mode.VALUE:
        for t in problem.tensors:
            clipped[t.name] = tuple(max(-c, min(c, x)) for x in t.values)
    elif rules.mode is Mode.GLOBAL:
        norms = [norm(t.values, replace(rules, squared=False)) for t in problem.tensors]
        total = norm(tuple(norms), rules)
        scale = factor(total, c, rules)
        out["global_norm"], out["scale"] = tidy(total), tidy(scale)
        for t in problem.tensors:
            clipped[t.name] = tuple(scale * x for x in t.values)
    else:
        for t in problem.tensors:
            own = norm(t.values, rules)
            scale = factor(own, c, rules)
            out[key("norm", t)], out[key("scale", t)] = tidy(own), tidy(scale)
            clipped[t.name] = tuple(scale * x for x in t.values)
    for t in problem.tensors:
        out[key("clipped", t)] = shaped(t, clipped[t.name])
        if rules.mode is not Mode.VALUE:
            out[key("clipped_norm", t)] = tidy(norm(clipped[t.name], replace(rules, squared=False)))
    if problem.weights is not None and problem.lr is not None and not several:
        t = problem.tensors[0]
        out["w"] = shaped(
            t, tuple(w - problem.lr * g for w, g in zip(problem.weights, clipped[t.name], strict=True))
        )
    return out


MISTAKES: tuple[tuple[str, str], ...] = (
    (
        "per_tensor_instead_of_global",
        (
            "Each tensor was clipped by its own norm; clip_grad_norm_ uses one "
            "global norm over all tensors and one common factor."
        ),
    ),
    (
        "global_instead_of_per_tensor",
        ("All tensors were clipped with one global factor; the question clips each tensor by its own norm."),
    ),
    (
        "value_instead_of_norm",
        (
            "The entries were clamped one by one (clipping by value); clipping by norm "
            "rescales the whole vector and keeps its direction."
        ),
    ),
    (
        "norm_instead_of_value",
        ("The vector was rescaled by its norm; clipping by value clamps each entry to [−c, c]."),
    ),
    (
        "always_rescaled",
        (
            "The gradient was rescaled to norm c even though it was already within the "
            "threshold; clipping only ever shrinks."
        ),
    ),
    ("l1_norm_used", "The L1 norm (sum of absolute values) was used; clipping by norm uses the L2 norm."),
    ("squared_norm_used", "The squared norm was used; the norm is the square root of the sum of squares."),
    (
        "scale_inverted",
        ("The gradient was multiplied by ‖g‖/c; it is multiplied by c/‖g‖ to bring its norm down to c."),
    ),
)


def mistake_rules(problem: ClipProblem, rules: Rules) -> dict[str, Rules]:
    several = len(problem.tensors) > 1
    found: dict[str, Rules] = {}
    if rules.mode is Mode.GLOBAL:
        found["per_tensor_instead_of_global"] = replace(rules, mode=Mode.NORM)
    if rules.mode is Mode.NORM and several:
        found["global_instead_of_per_tensor"] = replace(rules, mode=Mode.GLOBAL)
    if rules.mode is Mode.VALUE:
        found["norm_instead_of_value"] = replace(rules, mode=Mode.GLOBAL if several else Mode.NORM)
        return found
    found["value_instead_of_norm"] = replace(rules, mode=Mode.VALUE)
    found["always_rescaled"] = replace(rules, clamp=False)
    if rules.norm_type == 2:
        found["l1_norm_used"] = replace(rules, norm_type=1.0)
        found["squared_norm_used"] = replace(rules, squared=True)
    found["scale_inverted"] = replace(rules, inverted=True)
    return found
