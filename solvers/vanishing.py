"""Vanishing and exploding gradients: the product of per-layer factors |w·σ'(z)| over L layers, the
gradient reaching the first layer, and after how many layers it falls below (or exceeds) a threshold.

Each of the L layers contributes one factor; the sigmoid's derivative is at most 0.25 (at z = 0), tanh's
and ReLU's at most 1. Reading lives in `solvers.vanishing_parse`.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from solvers.base import AnswerValue, Example, PartSpec, Solution, Solver, Step, ValueKind, Variant
from solvers.compare import same_answer
from solvers.errors import InvalidQuestion
from solvers.numbers import find_numbers, format_number
from solvers.optimizer_text import prepare
from solvers.vanishing_parse import (
    ACTIVATIONS,
    VanishingProblem,
    activation_derivative,
    activation_value,
    mentions_depth_and_derivative,
    read_problem,
)

__all__ = ["VanishingProblem", "VanishingSolver"]


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
        product = math.prod(kept) if kept is not None else factors[0] ** max(problem.layers - rules.fewer, 0)
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


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")


_SPECS = {
    "factor": ("Gradient factor", ("product", "scale", "scaling factor", "factor", "ratio", "∏")),
    "gradient": ("Gradient at the first layer", ("gradient", "first-layer gradient", "gradient at layer 1")),
    "layers": ("Number of layers", ("layers", "L", "depth", "n", "number of layers", "time steps")),
    "per_layer": ("Factor per layer", ("per layer", "per-layer factor", "|w·σ'|", "each layer")),
    "behaviour": ("Vanishing or exploding", ("behaviour", "behavior", "regime", "answer")),
}


def part_spec(name: str, value: AnswerValue) -> PartSpec:
    label, aliases = _SPECS[name]
    kind = ValueKind.CHOICE if isinstance(value, str) else ValueKind.SCALAR
    rtol = 1e-9 if name == "layers" else None
    return PartSpec(name, label, kind, aliases, rtol)


def _val(answer: dict[str, AnswerValue], name: str) -> float:
    value = answer[name]
    return float(value) if isinstance(value, int | float) else math.nan


def _num(x: float) -> str:
    return format_number(x, 6)


def steps(p: VanishingProblem, answer: dict[str, AnswerValue]) -> list[Step]:
    out: list[Step] = []
    factors = per_layer(p, Rules())
    if p.factors or p.weights:
        product = r" \cdot ".join(_num(f) for f in factors)
        out.append(
            Step(
                "Multiply the layer factors",
                ("Backpropagation multiplies one factor |w·σ'| per layer."),
                rf"\prod_l |w_l \sigma'(z_l)| = {product} = {_num(_val(answer, 'factor'))}",
            )
        )
        return out + _tail(p, answer)
    name = p.activation or "linear"
    if p.derivative is not None:
        d, why = p.derivative, f"The derivative per layer is {_num(p.derivative)}, as given."
    elif p.z is not None:
        d = activation_derivative(name, p.z)
        formula = {"sigmoid": r"\sigma(z)(1 - \sigma(z))", "tanh": r"1 - \tanh^2(z)"}.get(name, "1")
        why = f"The derivative of {name} at z = {_num(p.z)} is {_num(d)}."
        out.append(
            Step(
                "Derivative at the pre-activation",
                why,
                (
                    rf"{name}'({_num(p.z)}) = {formula} = "
                    rf"{_num(d)}"
                ),
            )
        )
    else:
        d = ACTIVATIONS[name]
        why = f"The largest derivative of {name} is {_num(d)}" + (
            " (at z = 0)." if name == "sigmoid" else "."
        )
        out.append(Step("Largest derivative", why, rf"\max_z {name}'(z) = {_num(d)}"))
    f = factors[0]
    if p.weight != 1:
        out.append(
            Step(
                "Factor per layer",
                (f"Each layer multiplies by |w|·σ' = {_num(p.weight)} × {_num(d)} = {_num(f)}."),
                rf"|w \sigma'| = {_num(p.weight)} \cdot {_num(d)} = {_num(f)}",
            )
        )
    if "factor" in answer and p.layers is not None:
        out.append(
            Step(
                f"Over {p.layers} layers",
                (f"One factor per layer: {_num(f)}^{p.layers} = {_num(_val(answer, 'factor'))}."),
                (
                    rf"\prod_{{l=1}}^{{{p.layers}}} |w \sigma'| = {_num(f)}^{{{p.layers}}} = "
                    rf"{_num(_val(answer, 'factor'))}"
                ),
            )
        )
    return out + _tail(p, answer)


def _tail(p: VanishingProblem, answer: dict[str, AnswerValue]) -> list[Step]:
    out: list[Step] = []
    if "gradient" in answer and p.upstream is not None:
        out.append(
            Step(
                "Gradient at the first layer",
                "Multiply the incoming gradient by the product.",
                (
                    rf"{_num(p.upstream)} \cdot {_num(_val(answer, 'factor'))} = "
                    rf"{_num(_val(answer, 'gradient'))}"
                ),
            )
        )
    if "layers" in answer and p.threshold is not None:
        f = per_layer(p, Rules())[0]
        n = int(_val(answer, "layers"))
        relation = ">" if p.above else "<"
        out.append(
            Step(
                "Smallest depth past the threshold",
                f"Solve {_num(f)}^L {relation} {_num(p.threshold)}: L {relation} "
                f"log({_num(p.threshold)})/log({_num(f)}) "
                f"= {_num(math.log(p.threshold) / math.log(f))}, so L = {n} ({_num(f)}^{n} = {_num(f**n)}).",
                (
                    rf"L = \left\lceil \frac{{\ln {_num(p.threshold)}}}{{\ln {_num(f)}}} \right\rceil = "
                    rf"{n}"
                ),
            )
        )
    return out


def conventions(p: VanishingProblem) -> list[str]:
    notes = ["Each of the L layers contributes one factor |w·σ'(z)| to the gradient of the first layer."]
    if p.activation == "sigmoid" and not p.derivative_given and p.z is None:
        notes.append(
            "The sigmoid's derivative σ(z)(1 − σ(z)) is at most 0.25 (at z = 0): the best case is used."
        )
    if p.activation in ("tanh", "relu") and not p.derivative_given and p.z is None:
        notes.append(f"The {p.activation} derivative is at most 1 (ReLU: 1 for an active unit, 0 otherwise).")
    if p.weight == 1 and not p.weights:
        notes.append("No weights are given, so each weight is taken as 1.")
    if p.threshold is not None:
        notes.append("The count is the smallest L for which the gradient is strictly past the threshold.")
    return notes


_MISTAKES = {
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


class VanishingSolver(Solver[VanishingProblem]):
    kind = "vanishing_gradient"
    title = "Vanishing and exploding gradients"
    topic = "gradients"

    def detect(self, text: str) -> float:
        prepared = prepare(text)
        if re.search(r"\bclip|\bdropout|confusion|\badam\b|momentum|regulari", prepared, re.IGNORECASE):
            return 0.1
        if not find_numbers(prepared):
            return 0.1
        has_depth, has_derivative = mentions_depth_and_derivative(prepared)
        topical = bool(re.search(r"vanish|explod|gradient|backprop", prepared, re.IGNORECASE))
        if has_depth and has_derivative:
            return 0.9 if topical else 0.7
        return 0.35 if topical and (has_depth or has_derivative) else 0.05

    def parse(self, text: str) -> VanishingProblem:
        return read_problem(text)

    def solve(self, problem: VanishingProblem) -> Solution:
        everything = evaluate(problem, Rules())
        answer = {k: v for k, v in everything.items() if k in problem.asked or k in ("factor", "per_layer")}
        missing = [a for a in problem.asked if a not in everything]
        if missing:
            raise InvalidQuestion(f"{', '.join(missing)} cannot be worked out from the data given")
        given: dict[str, object] = {
            "activation": problem.activation,
            "layers": problem.layers,
            "weight": problem.weight,
        }
        for key, value in (
            ("derivative", problem.derivative),
            ("z", problem.z),
            ("threshold", problem.threshold),
        ):
            if value is not None:
                given[key] = value
        return Solution(
            kind=self.kind,
            asked=problem.asked,
            answer=answer,
            parts={name: part_spec(name, value) for name, value in answer.items()},
            steps=steps(problem, everything),
            conventions=conventions(problem),
            given=given,
        )

    def variants(self, problem: VanishingProblem) -> list[Variant]:
        solution = self.solve(problem)
        candidates = {
            "sigmoid_derivative_half": Rules(sigmoid_max=0.5),
            "activation_instead_of_derivative": Rules(use_value=True),
            "weights_ignored": Rules(use_weights=False),
            "derivative_ignored": Rules(use_derivative=False),
            "one_factor_fewer": Rules(fewer=1),
            "threshold_reached_not_passed": Rules(strict=False),
            "threshold_count_rounded_down": Rules(floor=True),
        }
        found: list[Variant] = []
        seen: list[dict[str, AnswerValue]] = []
        for code, rules in candidates.items():
            try:
                wrong = evaluate(problem, rules)
            except InvalidQuestion:
                continue
            differing = {
                name: value
                for name, value in wrong.items()
                if name in solution.parts
                and not same_answer(solution.spec(name), solution.answer[name], value)
            }
            if differing and differing not in seen:
                seen.append(differing)
                found.append(Variant(code, _MISTAKES[code], differing))
        return found

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES

    def practice(self, rng: random.Random) -> str:
        return practice_question(rng)


EXAMPLES = (
    # 0.25^10 = 9.5367e-7
    Example(
        "A deep network has 10 layers with sigmoid activations. Using the maximum value of the sigmoid "
        "derivative, by what factor is the gradient multiplied by the time it reaches the first layer?",
        {"factor": 9.5367431640625e-07},
    ),
    # 0.25^L < 1e-6 ⇔ L > 6/log10(4) = 9.97 → 10
    Example(
        (
            "The derivative of the sigmoid is at most 0.25. After how many layers does the gradient fall "
            "below "
            "1e-6?"
        ),
        {"layers": 10.0},
    ),
    # |0.5 × 0.25| = 0.125; 0.125^5 = 3.0517578125e-5
    Example(
        "In a 5-layer network each layer has weight w = 0.5 and sigmoid activation with σ'(z) = 0.25. What "
        "is "
        "the gradient factor?",
        {"factor": 3.0517578125e-05},
    ),
    # |5 × 0.25| = 1.25 > 1; 1.25^20 = 86.736
    Example(
        "Weights w = 5, sigmoid at its maximum slope, 20 layers: does the gradient vanish or explode, and by "
        "what "
        "factor is it multiplied?",
        {"behaviour": "exploding", "factor": 86.7361737988},
    ),
    # tanh'(1) = 1 − tanh²(1) = 1 − 0.761594² = 0.419974; 0.419974^4 = 0.0311094
    Example(
        "A 4-layer tanh network has pre-activation z = 1 at every layer. Compute the product of the "
        "activation "
        "derivatives.",
        {"factor": 0.0311093568},
    ),
    # 0.9^50 = 0.0051538
    Example(
        "An RNN with a linear activation has recurrent weight 0.9. Over 50 time steps, by what factor does "
        "the "
        "gradient shrink?",
        {"factor": 0.00515377520732},
    ),
)


def practice_question(rng: random.Random) -> str:
    activation = ("sigmoid", "tanh", "ReLU")[rng.randrange(3)]
    layers = rng.randrange(3, 21)
    style = rng.randrange(3)
    if style == 0:
        w = (
            (0.5, 1.0, 2.0, 3.0, 5.0)[rng.randrange(5)]
            if activation == "sigmoid"
            else (0.5, 0.8, 1.2)[rng.randrange(3)]
        )
        slope = {
            "sigmoid": "at its maximum slope",
            "tanh": "near z = 0 (derivative 1)",
            "ReLU": "with every unit active",
        }[activation]
        return (
            f"A {layers}-layer network uses {activation} activations {slope} and every weight equals {w}. "
            "By what factor is the gradient multiplied when it reaches the first layer?"
        )
    if style == 1:
        d = (0.1, 0.2, 0.25, 0.5)[rng.randrange(4)]
        threshold = ("1e-6", "1e-4", "0.001")[rng.randrange(3)]
        return (
            f"Each layer of a deep network multiplies the gradient by {d}. After how many layers does the "
            f"gradient "
            f"fall below {threshold}?"
        )
    z = (0.5, 1.0, 2.0)[rng.randrange(3)]
    name = "sigmoid" if activation != "tanh" else "tanh"
    return (
        rf"In an $L = {layers}$ layer {name} network every pre-activation is $z = {z}$. Compute "
        rf"$\prod_{{l=1}}^{{L}} \sigma'(z_l)$, the factor by which the gradient shrinks."
    )
