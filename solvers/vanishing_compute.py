"""Vanishing-gradient arithmetic: per-layer factors, their product, the depth past a threshold."""

from __future__ import annotations

import math
from dataclasses import dataclass

from solvers.base import AnswerValue
from solvers.errors import InvalidQuestion
from solvers.numbers import format_number
from solvers.vanishing_parse import ACTIVATIONS, VanishingProblem, activation_derivative, activation_value


@dataclass(frozen=True)
class Rules:
    sigmoid_max: float = 0.25
    use_value: bool = False  # σ(z) taken for σ'(z)
    use_weights: bool = True
    use_derivative: bool = True
    fewer: int = 0  # factors left out (L − 1)
    strict: bool = True  # "below": strictly below the threshold
    floor: bool = False  # the count rounded down


def per_layer(problem: VanishingProblem, rules: Rules) -> list[float]:
    """The factor each layer contributes, |w_l · σ'(z_l)|."""
    weights = list(problem.weights) if problem.weights else []
    if problem.factors:
        derivatives = list(problem.factors)
    else:
        if problem.derivative is not None:
            d = problem.derivative
        elif problem.z is not None and problem.activation is not None:
            name = problem.activation
            d = (
                abs(activation_value(name, problem.z))
                if rules.use_value
                else activation_derivative(name, problem.z)
            )
        else:
            name = problem.activation or "linear"
            d = rules.sigmoid_max if name == "sigmoid" else ACTIVATIONS[name]
        count = problem.layers or 1
        derivatives = [d] * (len(weights) or count)
    if not rules.use_derivative:
        derivatives = [1.0] * len(derivatives)
    if not weights or not rules.use_weights:
        weights = [problem.weight if rules.use_weights else 1.0] * len(derivatives)
    return [abs(w * d) for w, d in zip(weights, derivatives, strict=False)]


def layers_needed(f: float, threshold: float, above: bool, rules: Rules) -> int:
    if f <= 0:
        return 1
    if (not above and f >= 1) or (above and f <= 1):
        direction = "exceeds" if above else "falls below"
        raise InvalidQuestion(
            f"with a factor of {format_number(f)} per layer the gradient never {direction} "
            f"{format_number(threshold)}"
        )
    exact = math.log(threshold) / math.log(f)
    nearest = round(exact)
    if math.isclose(exact, nearest, rel_tol=1e-9, abs_tol=1e-9):
        count = nearest + (1 if rules.strict else 0)
    else:
        count = math.floor(exact) + 1
    return max(count - (1 if rules.floor else 0), 1)


def evaluate(problem: VanishingProblem, rules: Rules) -> dict[str, AnswerValue]:
    factors = per_layer(problem, rules)
    out: dict[str, AnswerValue] = {}
    if len(set(factors)) == 1 or not factors:
        out["per_layer"] = _tidy(factors[0] if factors else 1.0)
    if problem.layers is not None:
        kept = factors[: max(len(factors) - rules.fewer, 0)] if problem.factors or problem.weights else None
        product = (
            math.prod(kept) if kept is not None else _power(factors[0], max(problem.layers - rules.fewer, 0))
        )
        if not math.isfinite(product):
            raise InvalidQuestion("the gradient factor is too large to represent: it overflows a float")
        out["factor"] = _tidy(product)
        if problem.upstream is not None:
            out["gradient"] = _tidy(problem.upstream * product)
        f = factors[0]
        out["behaviour"] = "vanishing" if f < 1 else "exploding" if f > 1 else "stable"
    if problem.threshold is not None and len(set(factors)) == 1:
        scale = problem.upstream or 1.0
        out["layers"] = float(layers_needed(factors[0], problem.threshold / scale, problem.above, rules))
        out.setdefault("behaviour", "vanishing" if factors[0] < 1 else "exploding")
    return out


def _power(base: float, exponent: int) -> float:
    try:
        return float(base**exponent)
    except OverflowError:
        return math.inf


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")


MISTAKES = {
    "sigmoid_derivative_half": "The sigmoid's derivative peaks at 0.25, not 0.5 (0.5 is σ(0) itself).",
    "activation_instead_of_derivative": "This used the activation σ(z) instead of its derivative σ'(z).",
    "weights_ignored": "The weights were left out: each layer multiplies by |w·σ'|, not by σ' alone.",
    "derivative_ignored": "The activation derivatives were left out: each layer multiplies by |w·σ'|.",
    "one_factor_fewer": "One layer's factor is missing: L layers contribute L factors.",
    "threshold_count_rounded_down": (
        "One layer too few: at that depth the gradient is not yet past the threshold."
    ),
    "threshold_reached_not_passed": (
        "At that depth the gradient equals the threshold; it is strictly past it one layer later."
    ),
}
