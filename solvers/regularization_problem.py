"""A norm-penalty problem as read from a question, the rules it is computed with, and the arithmetic.

L1: Ω = λ‖w‖₁, ∂Ω = λ·sign(w) (0 at 0). L2: Ω = c·λ‖w‖₂² with c = 1 (λΣw²) or ½ (weight decay,
(λ/2)‖w‖²), ∂Ω = 2cλw. Elastic net: λ1‖w‖₁ + c·λ2‖w‖₂², or scikit-learn's
α·ρ‖w‖₁ + ½α(1 − ρ)‖w‖₂². A step: w ← w − η(∇L + ∂Ω); the L1 proximal step soft-thresholds
z = w − η∇L at ηλ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from solvers.base import AnswerValue, PartSpec, ValueKind

Vec = tuple[float, ...]


class Penalty(StrEnum):
    NONE = "none"
    L1 = "L1"
    L2 = "L2"
    ELASTIC = "elastic net"
    BOTH = "L1 and L2"  # both penalties asked side by side


@dataclass(frozen=True)
class Rules:
    """How the numbers are computed; a known mistake is other rules."""

    l2_factor: float = 1.0  # c in c·λ‖w‖²
    squared: bool = True  # the L2 penalty uses ‖w‖² (False: ‖w‖)
    l1_sign: bool = True  # the L1 gradient is λ·sign(w) (False: λ for every weight)
    abs_values: bool = True  # the L1 penalty uses |w| (False: w)
    sign_at_zero: float = 0.0  # the L1 subgradient used at w = 0
    include_bias: bool = False
    add_penalty: bool = True
    decay_lr: bool = True  # the penalty's step is multiplied by η
    sign: float = -1.0
    use_lr: bool = True
    proximal: bool = True  # an L1 step by soft-thresholding (when the question asks for it)
    threshold_lr: bool = True  # the soft threshold is ηλ (False: λ)
    hard: bool = False  # hard thresholding instead of soft
    ratio_swapped: bool = False  # elastic net: l1_ratio and 1 − l1_ratio swapped
    elastic_half: bool = True  # scikit-learn's ½ on the L2 part
    norm_root: bool = True  # the L2 norm is a square root


@dataclass(frozen=True)
class RegularizationProblem:
    penalty: Penalty
    weights: Vec
    shape: tuple[int, ...]
    bias: Vec  # () when none is given
    lam: float | None  # λ of L1 or L2
    lam1: float | None  # elastic net, λ1 (or α·ρ in scikit-learn's form)
    lam2: float | None  # elastic net, λ2 (or α(1 − ρ))
    sklearn: bool  # elastic net written with α and l1_ratio (½ on the L2 part)
    l1_ratio: float | None
    alpha: float | None
    data_loss: float | None
    data_gradient: Vec | None
    lr: float | None
    threshold: float | None  # a bare soft-thresholding question: S_t(w)
    proximal: bool  # the step is a proximal (soft-threshold) step
    weight_decay: bool  # the question speaks of weight decay
    rules: Rules
    stated: frozenset[str]  # conventions the question fixes: "factor", "bias"
    asked: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.weights)


def sign(x: float, at_zero: float = 0.0) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else at_zero


def tidy(x: float) -> float:
    return float(f"{x:.12g}")


def _penalized(problem: RegularizationProblem, rules: Rules) -> Vec:
    return problem.weights + (problem.bias if rules.include_bias else ())


def l1_value(v: Vec, rules: Rules) -> float:
    return sum(abs(x) for x in v) if rules.abs_values else sum(v)


def l2_value(v: Vec, rules: Rules) -> float:
    squares = sum(x * x for x in v)
    return squares if rules.squared else math.sqrt(squares)


def coefficients(problem: RegularizationProblem, rules: Rules) -> tuple[float, float]:
    """(a, b) with Ω = a‖w‖₁ + b‖w‖₂² (b multiplies ‖w‖ itself when `squared` is off)."""
    if problem.penalty is Penalty.L1:
        return problem.lam or 0.0, 0.0
    if problem.penalty is Penalty.L2:
        return 0.0, rules.l2_factor * (problem.lam or 0.0)
    if problem.penalty is Penalty.ELASTIC:
        if problem.sklearn and problem.alpha is not None and problem.l1_ratio is not None:
            ratio = 1 - problem.l1_ratio if rules.ratio_swapped else problem.l1_ratio
            half = 0.5 if rules.elastic_half else 1.0
            return problem.alpha * ratio, half * problem.alpha * (1 - ratio)
        return problem.lam1 or 0.0, rules.l2_factor * (problem.lam2 or 0.0)
    return 0.0, 0.0


def penalty_value(problem: RegularizationProblem, rules: Rules) -> float:
    a, b = coefficients(problem, rules)
    v = _penalized(problem, rules)
    return a * l1_value(v, rules) + b * l2_value(v, rules)


def penalty_gradient(problem: RegularizationProblem, rules: Rules, w: Vec | None = None) -> Vec:
    """∂Ω/∂w for the weights (the bias, when penalised, is not part of the answer)."""
    a, b = coefficients(problem, rules)
    w = problem.weights if w is None else w
    norm = math.sqrt(sum(x * x for x in _penalized(problem, rules))) or 1.0
    out = []
    for x in w:
        l1 = a * (sign(x, rules.sign_at_zero) if rules.l1_sign else 1.0)
        l2 = 2 * b * x if rules.squared else b * x / norm
        out.append(l1 + l2)
    return tuple(out)


def soft_threshold(z: Vec, t: float, hard: bool = False) -> Vec:
    if hard:
        return tuple(x if abs(x) > t else 0.0 for x in z)
    return tuple(sign(x) * max(abs(x) - t, 0.0) for x in z)


def step(problem: RegularizationProblem, rules: Rules) -> Vec:
    """The weights after one step (gradient step with the penalty, or the proximal L1 step)."""
    lr = (problem.lr or 0.0) if rules.use_lr else 1.0
    g = problem.data_gradient or (0.0,) * problem.size
    if problem.threshold is not None:
        return soft_threshold(problem.weights, problem.threshold, rules.hard)
    if problem.proximal and rules.proximal:
        z = tuple(w + rules.sign * lr * gi for w, gi in zip(problem.weights, g, strict=True))
        a, _ = coefficients(problem, rules)
        return soft_threshold(z, (lr if rules.threshold_lr else 1.0) * a, rules.hard)
    d = penalty_gradient(problem, rules) if rules.add_penalty else (0.0,) * problem.size
    decay = lr if rules.decay_lr else 1.0
    return tuple(
        w + rules.sign * (lr * gi + decay * di) for w, gi, di in zip(problem.weights, g, d, strict=True)
    )


def shaped(problem: RegularizationProblem, v: Vec) -> AnswerValue:
    if not problem.shape:
        return tidy(v[0])
    if len(problem.shape) == 2:
        rows, cols = problem.shape
        return [[tidy(v[r * cols + c]) for c in range(cols)] for r in range(rows)]
    return [tidy(x) for x in v]


def norms(v: Vec, rules: Rules) -> dict[str, AnswerValue]:
    squares = sum(x * x for x in v)
    return {
        "l1_norm": tidy(sum(abs(x) for x in v) if rules.abs_values else sum(v)),
        "l2_norm": tidy(math.sqrt(squares) if rules.norm_root else squares),
        "l2_norm_squared": tidy(squares),
        "linf_norm": tidy(max(abs(x) for x in v) if rules.abs_values else max(v)),
        "l0_norm": float(sum(1 for x in v if x != 0)),
    }


def evaluate(problem: RegularizationProblem, rules: Rules) -> dict[str, AnswerValue]:
    """Every quantity the data allows; the solver keeps the asked ones and a few helpful extras."""
    out: dict[str, AnswerValue] = dict(norms(problem.weights, rules))
    if problem.penalty is Penalty.BOTH and problem.lam is not None:
        v = _penalized(problem, rules)
        out["l1_penalty"] = tidy(problem.lam * l1_value(v, rules))
        out["l2_penalty"] = tidy(rules.l2_factor * problem.lam * l2_value(v, rules))
        return out
    if problem.penalty is not Penalty.NONE:
        value = penalty_value(problem, rules) if rules.add_penalty else 0.0
        out["penalty"] = tidy(value)
        out["penalty_gradient"] = shaped(problem, penalty_gradient(problem, rules))
        if problem.data_loss is not None:
            out["total_loss"] = tidy(problem.data_loss + value)
        if problem.data_gradient is not None:
            d = penalty_gradient(problem, rules) if rules.add_penalty else (0.0,) * problem.size
            out["gradient"] = shaped(
                problem, tuple(g + x for g, x in zip(problem.data_gradient, d, strict=True))
            )
    if problem.threshold is not None or (problem.lr is not None and problem.penalty is not Penalty.NONE):
        out["w"] = shaped(problem, step(problem, rules))
        if problem.penalty is Penalty.L2 and problem.lr is not None and not problem.proximal:
            decay = (problem.lr if rules.decay_lr else 1.0) * 2 * rules.l2_factor * (problem.lam or 0.0)
            out["decay_factor"] = tidy(1 - decay)
    return out


_SPECS: dict[str, tuple[str, tuple[str, ...]]] = {
    "penalty": (
        "Penalty",
        (
            "regularization term",
            "regularisation term",
            "regularizer",
            "regularization",
            "penalty term",
            "Ω",
            "Ω(w)",
            "R(w)",
            "l1 penalty",
            "l2 penalty",
            "reg term",
            "reg",
        ),
    ),
    "l1_penalty": ("L1 penalty", ("l1 term", "lasso penalty", "l1 regularization", "λ||w||_1")),
    "l2_penalty": ("L2 penalty", ("l2 term", "ridge penalty", "l2 regularization", "λ||w||^2")),
    "total_loss": (
        "Total loss",
        (
            "regularized loss",
            "regularised loss",
            "total",
            "loss",
            "objective",
            "J",
            "J(w)",
            "new loss",
            "overall loss",
            "total cost",
            "cost",
        ),
    ),
    "penalty_gradient": (
        "Gradient of the penalty",
        (
            "penalty gradient",
            "regularization gradient",
            "gradient of the regularization term",
            "∂Ω/∂w",
            "∇Ω",
            "subgradient",
            "gradient of penalty",
            "dΩ/dw",
        ),
    ),
    "gradient": (
        "Gradient of the total loss",
        ("total gradient", "regularized gradient", "gradient", "∇J", "dJ/dw", "∂J/∂w", "grad"),
    ),
    "w": (
        "Updated weights",
        (
            "w",
            "new weights",
            "new weight",
            "updated weight",
            "w_new",
            "w'",
            "w_1",
            "weights",
            "weight",
            "result",
            "output",
            "soft-thresholded weights",
            "updated w",
            "new w",
        ),
    ),
    "decay_factor": (
        "Decay factor",
        ("shrink factor", "shrinkage factor", "multiplicative factor", "factor"),
    ),
    "l1_norm": ("L1 norm", ("||w||_1", "l1", "manhattan norm", "taxicab norm", "sum of absolute values")),
    "l2_norm": ("L2 norm", ("||w||_2", "||w||", "l2", "euclidean norm", "euclidean length", "norm")),
    "l2_norm_squared": (
        "Squared L2 norm",
        ("||w||^2", "||w||_2^2", "squared norm", "sum of squares", "w^Tw"),
    ),
    "linf_norm": (
        "L∞ norm",
        ("||w||_inf", "||w||_∞", "max norm", "infinity norm", "l_inf", "linf", "chebyshev norm"),
    ),
    "l0_norm": ("L0 norm", ("||w||_0", "l0", "number of non-zero weights", "nonzero count")),
}


def part_spec(name: str, value: AnswerValue) -> PartSpec:
    label, aliases = _SPECS[name]
    kind = ValueKind.VECTOR if isinstance(value, list) else ValueKind.SCALAR
    return PartSpec(name, label, kind, aliases)
