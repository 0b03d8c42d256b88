"""Worked steps and stated conventions for vanishing and exploding gradients."""

from __future__ import annotations

import math

from solvers.base import AnswerValue, Step
from solvers.numbers import format_number
from solvers.vanishing_compute import Rules, per_layer
from solvers.vanishing_parse import ACTIVATIONS, VanishingProblem, activation_derivative


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
        if f <= 0:
            out.append(
                Step(
                    "Smallest depth past the threshold", "A factor of 0 zeroes the gradient at once.", "L = 1"
                )
            )
            return out
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
