"""Worked steps and stated conventions for a norm-penalty question."""

from __future__ import annotations

import math

from solvers.base import AnswerValue, Step
from solvers.numbers import format_number
from solvers.regularization_problem import (
    Penalty,
    RegularizationProblem,
    coefficients,
    penalty_gradient,
    sign,
)


def _val(answer: dict[str, AnswerValue], name: str) -> float:
    value = answer[name]
    return float(value) if isinstance(value, int | float) else math.nan


def num(x: float) -> str:
    return format_number(x, 6)


def vec(values: tuple[float, ...] | list[float]) -> str:
    return "[" + ", ".join(num(x) for x in values) + "]" if len(values) != 1 else num(values[0])


def _tex(value: AnswerValue) -> str:
    if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], list):
        return num(float(value[0]))
    if isinstance(value, list):
        flat = [x for row in value for x in (row if isinstance(row, list) else [row])]
        return r"\left[" + ", ".join(num(float(x)) for x in flat) + r"\right]"
    return num(float(value)) if isinstance(value, int | float) else str(value)


def _read_step(p: RegularizationProblem) -> Step:
    facts = [f"w = {vec(p.weights)}"]
    latex = [rf"w = {_tex(list(p.weights))}"]
    if p.bias:
        facts.append(f"bias b = {vec(p.bias)}")
        latex.append(rf"b = {_tex(list(p.bias))}")
    for label, tex, value in (
        ("λ", r"\lambda", p.lam if not p.sklearn else None),
        ("λ1", r"\lambda_1", p.lam1),
        ("λ2", r"\lambda_2", p.lam2),
        ("α", r"\alpha", p.alpha if p.sklearn else None),
        ("l1_ratio", r"\rho", p.l1_ratio),
        ("data loss", r"L_{\text{data}}", p.data_loss),
        ("η", r"\eta", p.lr),
        ("threshold", r"\tau", p.threshold),
    ):
        if value is not None:
            facts.append(f"{label} = {num(value)}")
            latex.append(f"{tex} = {num(value)}")
    if p.data_gradient is not None:
        facts.append(f"data gradient ∇L = {vec(p.data_gradient)}")
        latex.append(rf"\nabla L = {_tex(list(p.data_gradient))}")
    return Step("Read the data", "Given: " + "; ".join(facts) + ".", r",\quad ".join(latex))


def _norm_step(p: RegularizationProblem, answer: dict[str, AnswerValue]) -> Step:
    w = p.weights
    abs_sum = " + ".join(num(abs(x)) for x in w)
    squares = " + ".join(f"{num(x)}^2" if x >= 0 else f"({num(x)})^2" for x in w)
    latex = (
        rf"\|w\|_1 = {abs_sum} = {num(_val(answer, 'l1_norm'))},\quad "
        rf"\|w\|_2^2 = {squares} = {num(_val(answer, 'l2_norm_squared'))},\quad "
        rf"\|w\|_2 = {num(_val(answer, 'l2_norm'))},\quad \|w\|_\infty = {num(_val(answer, 'linf_norm'))}"
    )
    return Step(
        "Norms of the weights",
        "L1 adds the absolute values, L2 is the square root of the sum of squares, L∞ is the largest "
        "absolute value.",
        latex,
    )


def _penalty_step(p: RegularizationProblem, answer: dict[str, AnswerValue]) -> Step | None:
    if p.penalty is Penalty.NONE or ("penalty" not in answer and "l1_penalty" not in answer):
        return None
    a, b = coefficients(p, p.rules)
    n1 = sum(abs(x) for x in p.weights + (p.bias if p.rules.include_bias else ()))
    n2 = sum(x * x for x in p.weights + (p.bias if p.rules.include_bias else ()))
    if p.penalty is Penalty.BOTH:
        latex = (
            rf"\lambda\|w\|_1 = {num(p.lam or 0)} \cdot {num(n1)} = {_tex(answer['l1_penalty'])},\quad "
            rf"{num(p.rules.l2_factor)}\,\lambda\|w\|_2^2 = {num(p.rules.l2_factor * (p.lam or 0))} \cdot "
            rf"{num(n2)} = {_tex(answer['l2_penalty'])}"
        )
        return Step("Both penalties", "Multiply each norm by λ.", latex)
    pieces, words = [], []
    if a:
        pieces.append(rf"{num(a)} \cdot \|w\|_1 = {num(a)} \cdot {num(n1)}")
        words.append(f"{num(a)} × ‖w‖₁ = {num(a)} × {num(n1)}")
    if b:
        pieces.append(rf"{num(b)} \cdot \|w\|_2^2 = {num(b)} \cdot {num(n2)}")
        words.append(f"{num(b)} × ‖w‖₂² = {num(b)} × {num(n2)}")
    latex = r"\Omega(w) = " + " + ".join(pieces) + f" = {_tex(answer['penalty'])}"
    if "total_loss" in answer:
        latex += (
            rf",\quad J = L + \Omega = {num(p.data_loss or 0)} + {_tex(answer['penalty'])} = "
            rf"{_tex(answer['total_loss'])}"
        )
    text = "The penalty is " + " + ".join(words) + f" = {num(_val(answer, 'penalty'))}."
    if p.bias and not p.rules.include_bias:
        text += " The bias is not penalised."
    return Step("Penalty", text, latex)


def _gradient_step(p: RegularizationProblem, answer: dict[str, AnswerValue]) -> Step | None:
    if "penalty_gradient" not in answer:
        return None
    a, b = coefficients(p, p.rules)
    terms = []
    if a:
        signs = vec([sign(x) for x in p.weights])
        terms.append(rf"{num(a)}\,\mathrm{{sign}}(w) = {num(a)} \cdot {signs}")
    if b:
        terms.append(rf"{num(2 * b)}\,w")
    latex = (
        r"\frac{\partial \Omega}{\partial w} = "
        + " + ".join(terms)
        + f" = {_tex(answer['penalty_gradient'])}"
    )
    if "gradient" in answer:
        latex += (
            rf",\quad \nabla J = \nabla L + \frac{{\partial \Omega}}{{\partial w}} = "
            rf"{_tex(answer['gradient'])}"
        )
    text = "Differentiate the penalty: λ‖w‖₁ gives λ·sign(w) (0 at w = 0); cλ‖w‖² gives 2cλw."
    return Step("Gradient of the penalty", text, latex)


def _update_step(p: RegularizationProblem, answer: dict[str, AnswerValue]) -> Step | None:
    if "w" not in answer:
        return None
    result = _tex(answer["w"])
    if p.threshold is not None:
        latex = rf"S_\tau(w) = \mathrm{{sign}}(w)\max(|w| - {num(p.threshold)}, 0) = {result}"
        return Step(
            "Soft-threshold", "Shrink every weight toward 0 by τ; weights within τ of 0 become 0.", latex
        )
    lr = p.lr or 0.0
    g = p.data_gradient or (0.0,) * p.size
    if p.proximal:
        a, _ = coefficients(p, p.rules)
        z = [w - lr * gi for w, gi in zip(p.weights, g, strict=True)]
        latex = (
            rf"z = w - \eta \nabla L = {_tex(z)},\quad w' = \mathrm{{sign}}(z)\max(|z| - \eta\lambda, 0),\ "
            rf"\eta\lambda = {num(lr * a)}:\ w' = {result}"
        )
        return Step(
            "Proximal (soft-threshold) step",
            "Take the gradient step on the data loss, then shrink toward 0 by ηλ.",
            latex,
        )
    d = penalty_gradient(p, p.rules)
    latex = (
        rf"w' = w - \eta(\nabla L + \partial\Omega) = {_tex(list(p.weights))} - {num(lr)} \cdot "
        rf"({_tex(list(g))} + {_tex(list(d))}) = {result}"
    )
    text = "One gradient step on the data loss plus the penalty."
    if "decay_factor" in answer:
        text += f" The weights are first shrunk by the factor {_tex(answer['decay_factor'])} (weight decay)."
    return Step("Gradient step", text, latex)


def steps(p: RegularizationProblem, answer: dict[str, AnswerValue]) -> list[Step]:
    out = [_read_step(p)]
    if any(name.endswith("_norm") for name in p.asked):
        out.append(_norm_step(p, answer))
    for make in (_penalty_step, _gradient_step, _update_step):
        found = make(p, answer)
        if found is not None:
            out.append(found)
    return out


def conventions(p: RegularizationProblem) -> list[str]:
    notes: list[str] = []
    c = p.rules.l2_factor
    if p.penalty in (Penalty.L2, Penalty.ELASTIC, Penalty.BOTH) and not (
        p.penalty is Penalty.ELASTIC and p.sklearn
    ):
        written = "λΣw²" if c == 1 else "(λ/2)Σw²" if c == 0.5 else f"{num(c)}·λΣw²"
        gradient = "2λw" if c == 1 else "λw" if c == 0.5 else f"{num(2 * c)}·λw"
        if "factor" in p.stated:
            notes.append(
                f"The L2 penalty is {written} as the question writes it, so its gradient is {gradient}."
            )
        else:
            other = "(λ/2)Σw² (gradient λw)" if c == 1 else "λΣw² (gradient 2λw)"
            reason = " (weight decay λ in PyTorch adds λw to the gradient)" if p.weight_decay else ""
            notes.append(
                f"The L2 penalty is taken as {written}{reason}, so its gradient is {gradient}; the other "
                f"convention, {other}, is also accepted."
            )
    if p.penalty in (Penalty.L1, Penalty.ELASTIC, Penalty.BOTH):
        notes.append("The L1 penalty is λΣ|w|; its (sub)gradient is λ·sign(w), taken as 0 at w = 0.")
    if p.penalty is Penalty.ELASTIC and p.sklearn:
        notes.append(
            "Elastic net as in scikit-learn: α·l1_ratio·‖w‖₁ + ½·α·(1 − l1_ratio)·‖w‖₂² (the data term "
            "1/(2n)‖y − Xw‖² is not part of the penalty)."
        )
    if p.bias:
        notes.append(
            "The bias is penalised too, as the question says."
            if p.rules.include_bias
            else "The bias is not penalised (only the weights are), as is usual."
        )
    if "w" in p.asked and p.threshold is None:
        if p.proximal:
            notes.append(
                "Proximal step: z = w − η∇L, then soft-thresholding at ηλ: sign(z)·max(|z| − ηλ, 0)."
            )
        else:
            notes.append(
                "One gradient step: w ← w − η(∇L + ∂Ω/∂w); for plain SGD, coupled L2 and decoupled weight "
                "decay give the same step."
            )
    if any(name.endswith("_norm") for name in p.asked):
        notes.append("‖w‖₂ is the square root of the sum of squares; the squared norm is asked separately.")
    notes.extend(p.notes)
    if not notes:
        notes.append("Norms and penalties are taken over the weights given.")
    return notes
