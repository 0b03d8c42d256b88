"""Vanishing and exploding gradients: the product of per-layer factors |w·σ'(z)| over L layers, the
gradient reaching the first layer, and after how many layers it falls below (or exceeds) a threshold.

Each of the L layers contributes one factor; the sigmoid's derivative is at most 0.25 (at z = 0), tanh's
and ReLU's at most 1. Reading: `vanishing_parse`; arithmetic and mistakes: `vanishing_compute`; steps:
`vanishing_steps`.
"""

from __future__ import annotations

import random
import re

from solvers.base import AnswerValue, Example, PartSpec, Solution, Solver, ValueKind, Variant
from solvers.compare import same_answer
from solvers.errors import InvalidQuestion
from solvers.numbers import find_numbers
from solvers.optimizer_text import prepare
from solvers.vanishing_compute import MISTAKES, Rules, evaluate
from solvers.vanishing_parse import (
    VanishingProblem,
    mentions_depth_and_derivative,
    read_problem,
)
from solvers.vanishing_steps import conventions, steps

__all__ = ["VanishingProblem", "VanishingSolver"]


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


class VanishingSolver(Solver[VanishingProblem]):
    kind = "vanishing_gradient"
    title = "Vanishing and exploding gradients"
    topic = "gradients"

    def detect(self, text: str) -> float:
        prepared = prepare(text)
        if re.search(
            r"\bclip|\bdropout|confusion|\badam\b|momentum|regulari|initiali[sz]ation|xavier|glorot|kaiming|\bhe\s+(?:normal|uniform)"
            r"|fan[_\s-]?(?:in|out)",
            prepared,
            re.IGNORECASE,
        ):
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
                found.append(Variant(code, MISTAKES[code], differing))
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
    """One of five styles: prose, a threshold to cross, LaTeX, a recurrent network, a table of layers."""
    activation = ("sigmoid", "tanh", "ReLU")[rng.randrange(3)]
    layers = rng.randrange(3, 21)
    style = rng.randrange(5)
    if style == 3:
        w = (0.5, 0.8, 0.9, 0.95, 1.1)[rng.randrange(5)]
        steps = rng.randrange(10, 60)
        return (
            f"An RNN with a linear activation has recurrent weight {w}. Over {steps} time steps, by what "
            f"factor "
            "is the gradient multiplied?"
        )
    if style == 4:
        rows = [(round(rng.uniform(0.5, 2.0), 1), (0.1, 0.2, 0.25)[rng.randrange(3)]) for _ in range(3)]
        table = "\n".join(f"| {i + 1} | {w} | {d} |" for i, (w, d) in enumerate(rows))
        return (
            "| layer | weight | derivative |\n|---|---|---|\n" + table + "\nWhat is the product of the "
            "factors "
            "|w·σ'| over the three layers, i.e. the factor by which the gradient is multiplied?"
        )
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
