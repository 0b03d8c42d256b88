"""The worked steps of an initialization answer, and the conventions it states."""

from __future__ import annotations

import math

from solvers.base import Step
from solvers.initialization_problem import (
    SCHEME_NAMES,
    Distribution,
    InitProblem,
    Scheme,
    scheme_gain,
    values,
)
from solvers.numbers import format_number

N_IN, N_OUT = r"n_{\text{in}}", r"n_{\text{out}}"


def _n(value: float | None) -> str:
    return "?" if value is None else format_number(value, 6)


def fan_step(problem: InitProblem) -> Step:
    fi, fo = problem.fan_in, problem.fan_out
    if problem.conv and problem.units_in is not None:
        k = problem.receptive
        lines = [rf"{N_IN} = c_{{\text{{in}}}} \cdot k_h k_w = {problem.units_in} \cdot {k} = {fi}"]
        if problem.units_out is not None:
            lines.append(
                rf"{N_OUT} = c_{{\text{{out}}}} \cdot k_h k_w = {problem.units_out} \cdot {k} = {fo}"
            )
        text = f"For {problem.described}, each output unit sees c_in · k_h · k_w inputs: fan-in = {fi}" + (
            f", fan-out = {fo}." if fo is not None else "."
        )
        return Step("Fan-in and fan-out of the convolution", text, r",\quad ".join(lines))
    parts = [f"{N_IN} = {fi}" if fi is not None else "", f"{N_OUT} = {fo}" if fo is not None else ""]
    text = f"The layer ({problem.described or 'as given'}) has fan-in {_n(fi)}" + (
        f" and fan-out {fo}." if fo is not None else "."
    )
    if problem.layout_assumed:
        text += " A weight matrix W ∈ R^{rows×cols} is read as out × in (y = Wx)."
    return Step("Read the layer's fans", text, r",\quad ".join(p for p in parts if p))


def _variance_latex(problem: InitProblem, scheme: Scheme, var: float) -> tuple[str, str]:
    """(formula with numbers, words) for Var(W) under `scheme`."""
    fi, fo = problem.fan_in, problem.fan_out
    gain = scheme_gain(problem, scheme)
    if scheme is Scheme.XAVIER:
        factor = "" if gain == 1 else rf"{format_number(gain * gain, 6)} \cdot "
        latex = (
            rf"\operatorname{{Var}}(W) = {factor}\frac{{2}}{{{N_IN} + {N_OUT}}} = "
            rf"{factor}\frac{{2}}{{{fi} + {fo}}}"
            rf" = {_n(var)}"
        )
        return (
            latex,
            "Xavier keeps the variance of activations and gradients alike: Var(W) = 2 / (fan_in + fan_out).",
        )
    if scheme is Scheme.TORCH_DEFAULT:
        latex = (
            rf"a = \text{{gain}}\sqrt{{\frac{{3}}{{{N_IN}}}}} = "
            rf"\sqrt{{\frac{{2}}{{1 + 5}}}}\sqrt{{\frac{{3}}{{{fi}}}}}"
            rf" = \frac{{1}}{{\sqrt{{{fi}}}}},\quad \operatorname{{Var}}(W) = \frac{{a^2}}{{3}} = "
            rf"\frac{{1}}{{3 \cdot {fi}}}"
            rf" = {_n(var)}"
        )
        return latex, (
            "PyTorch's nn.Linear and nn.Conv call kaiming_uniform_ with a = √5, whose gain √(2/(1+5)) makes "
            "the bound 1/√fan_in."
        )
    n = problem.fan_in if problem.mode == "fan_in" else problem.fan_out
    sym = N_IN if problem.mode == "fan_in" else N_OUT
    if scheme is Scheme.LECUN:
        return (
            rf"\operatorname{{Var}}(W) = \frac{{1}}{{{sym}}} = \frac{{1}}{{{n}}} = {_n(var)}",
            f"LeCun: Var(W) = 1 / {problem.mode}.",
        )
    g2 = gain * gain
    if problem.nonlinearity == "leaky_relu":
        slope = 0.01 if problem.slope is None else problem.slope
        latex = (
            rf"\operatorname{{Var}}(W) = \frac{{2}}{{(1 + a^2)\,{sym}}} = "
            rf"\frac{{2}}{{(1 + {format_number(slope)}^2) \cdot {n}}} = {_n(var)}"
        )
        return latex, f"He with leaky ReLU (slope {format_number(slope)}): gain² = 2 / (1 + a²)."
    if problem.nonlinearity in ("relu",) or math.isclose(g2, 2.0):
        return (
            rf"\operatorname{{Var}}(W) = \frac{{2}}{{{sym}}} = \frac{{2}}{{{n}}} = {_n(var)}",
            f"He: ReLU zeroes half its inputs, so the variance is doubled: Var(W) = 2 / {problem.mode}.",
        )
    return (
        rf"\operatorname{{Var}}(W) = \frac{{\text{{gain}}^2}}{{{sym}}} = "
        rf"\frac{{{format_number(g2, 6)}}}{{{n}}} = {_n(var)}",
        f"He with the {problem.nonlinearity} gain {format_number(gain, 6)}: Var(W) = gain² / {problem.mode}.",
    )


def scheme_steps(problem: InitProblem, scheme: Scheme) -> list[Step]:
    found = values(problem, scheme)
    var = found["variance"]
    latex, words = _variance_latex(problem, scheme, var)
    name = SCHEME_NAMES[scheme]
    steps = [Step(f"{name}: the variance", words, latex)]
    std, limit = found["std"], found["limit"]
    steps.append(
        Step(
            f"{name}: standard deviation",
            "The standard deviation is the square root of the variance (the same for the normal and the "
            "uniform version).",
            rf"\sigma = \sqrt{{{_n(var)}}} = {_n(std)}",
        )
    )
    if problem.distribution is not Distribution.NORMAL:
        if scheme is Scheme.XAVIER and scheme_gain(problem, scheme) == 1:
            fans = f"{problem.fan_in} + {problem.fan_out}"
            formula = rf"a = \sqrt{{\frac{{6}}{{{N_IN} + {N_OUT}}}}} = \sqrt{{\frac{{6}}{{{fans}}}}}"
        else:
            formula = rf"a = \sqrt{{3\operatorname{{Var}}(W)}} = \sqrt{{3 \cdot {_n(var)}}}"
        steps.append(
            Step(
                f"{name}: uniform limit",
                "U(−a, a) has variance a²/3, so the limit with that variance is a = √(3 · Var(W)).",
                rf"{formula} = {_n(limit)}",
            )
        )
    if "bias_limit" in found and "bias_limit" in problem.asked:
        steps.append(
            Step(
                "Bias",
                "PyTorch draws the bias from U(−1/√fan_in, 1/√fan_in).",
                rf"b \sim U\left(-\frac{{1}}{{\sqrt{{{problem.fan_in}}}}}, "
                rf"\frac{{1}}{{\sqrt{{{problem.fan_in}}}}}\right),"
                rf"\quad \frac{{1}}{{\sqrt{{{problem.fan_in}}}}} = {_n(found['bias_limit'])}",
            )
        )
    return steps


def conventions(problem: InitProblem) -> list[str]:
    notes: list[str] = []
    if problem.scheme_source == "activation":
        notes.append(
            "The question names no scheme, so the one suited to its activation is used: He (Kaiming) for "
            "ReLU "
            "and its variants, Xavier (Glorot) for tanh and sigmoid, LeCun for SELU."
        )
    if Scheme.TORCH_DEFAULT in problem.schemes:
        notes.append(
            "PyTorch's default for nn.Linear and nn.Conv is kaiming_uniform_ with a = √5: weights "
            "U(−1/√fan_in, 1/√fan_in), biases U(−1/√fan_in, 1/√fan_in)."
        )
    if problem.scheme_source == "framework" and problem.framework == "keras":
        notes.append(
            "Keras' default kernel initializer for Dense and Conv layers is glorot_uniform; biases start at "
            "0."
        )
    if Scheme.XAVIER in problem.schemes:
        notes.append(
            "Xavier (Glorot): Var(W) = 2 / (fan_in + fan_out); uniform limit √(6 / (fan_in + fan_out)), "
            "normal "
            "standard deviation √(2 / (fan_in + fan_out))."
        )
    if any(s in (Scheme.HE, Scheme.LECUN) for s in problem.schemes):
        stated = "as the question says" if problem.mode_stated else "the default of PyTorch and Keras"
        notes.append(f"He and LeCun scale by the {problem.mode.replace('_', '-')} ({stated}).")
    if Scheme.HE in problem.schemes:
        if problem.nonlinearity_stated:
            notes.append(
                f"He's gain follows the activation ({problem.nonlinearity}); for ReLU it is √2, so Var(W) = "
                "2 / fan."
            )
        else:
            notes.append("He initialization assumes ReLU (gain √2, Var(W) = 2 / fan) unless told otherwise.")
    if problem.distribution is None:
        notes.append(
            "The distribution is not stated: the variance and standard deviation are the same for the "
            "uniform "
            "and the normal version; the limit is that of the uniform version U(−a, a), a = √(3 Var)."
        )
    elif problem.distribution is Distribution.NORMAL and problem.framework == "keras":
        notes.append(
            "Keras draws its *_normal initializers from a truncated normal whose standard deviation is the "
            "one "
            "given here (the untruncated σ is that divided by 0.8796)."
        )
    if problem.layout_assumed:
        notes.append(
            "W ∈ R^{rows×cols} is read as out × in (y = Wx, PyTorch's weight layout); the in × out reading "
            "(y = xW, Keras kernels) is also accepted."
        )
    return notes
