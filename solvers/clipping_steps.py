"""Worked steps and stated conventions for gradient clipping."""

from __future__ import annotations

import math

from solvers.base import AnswerValue, Step
from solvers.clipping_parse import ClipProblem, Mode
from solvers.numbers import format_number


def _val(answer: dict[str, AnswerValue], name: str) -> float:
    value = answer[name]
    return float(value) if isinstance(value, int | float) else math.nan


def _num(x: float) -> str:
    return format_number(x, 6)


def _vec(values: tuple[float, ...]) -> str:
    return "[" + ", ".join(_num(x) for x in values) + "]" if len(values) != 1 else _num(values[0])


def steps(problem: ClipProblem, answer: dict[str, AnswerValue]) -> list[Step]:
    c = _num(problem.threshold)
    listed = "; ".join(f"g_{t.name} = {_vec(t.values)}" for t in problem.tensors)
    out = [Step("Read the data", f"Given: {listed}; threshold {c}; mode: {problem.mode.value}.", "")]
    p = {2.0: "2", 1.0: "1", math.inf: r"\infty"}.get(problem.norm_type) or _num(problem.norm_type)
    several = len(problem.tensors) > 1
    if problem.mode is Mode.VALUE:
        for t in problem.tensors:
            name = f"clipped_{t.name}" if several else "clipped"
            out.append(
                Step(
                    f"Clamp g_{t.name}",
                    f"Every entry is clamped to [−{c}, {c}]; the direction may change.",
                    rf"\mathrm{{clip}}(g, -{c}, {c}) = {_vec(tuple(_flat(answer[name])))}",
                )
            )
        return out
    if problem.mode is Mode.GLOBAL:
        squares = " + ".join(rf"\|g_{{{t.name}}}\|_{p}^{p}" for t in problem.tensors)
        out.append(
            Step(
                "Global norm",
                "One norm over all tensors together, as clip_grad_norm_ computes it.",
                rf"\|g\| = \left({squares}\right)^{{1/{p}}} = {_num(_val(answer, 'global_norm'))}",
            )
        )
        out.append(_scale_step("every tensor", _val(answer, "global_norm"), _val(answer, "scale"), c))
        return out
    for t in problem.tensors:
        suffix = f"_{t.name}" if several else ""
        own, scale = _val(answer, f"norm{suffix}"), _val(answer, f"scale{suffix}")
        entries = " + ".join(f"{_num(x)}^2" if x >= 0 else f"({_num(x)})^2" for x in t.values)
        latex = (
            rf"\|g_{{{t.name}}}\|_{p} = \sqrt{{{entries}}} = {_num(own)}"
            if p == "2"
            else (
                rf"\|g\|_{p} "
                rf"= "
                rf"{_num(own)}"
            )
        )
        out.append(Step(f"Norm of g_{t.name}", "The norm of the gradient vector.", latex))
        out.append(_scale_step(f"g_{t.name}", own, scale, c))
    return out


def _flat(value: AnswerValue) -> list[float]:
    if isinstance(value, list):
        return [float(x) for row in value for x in (row if isinstance(row, list) else [row])]
    return [float(value)] if isinstance(value, int | float) else []


def _scale_step(what: str, total: float, scale: float, c: str) -> Step:
    if scale >= 1.0:
        text = f"The norm {_num(total)} is within {c}, so {what} is left unchanged."
    else:
        text = f"The norm {_num(total)} exceeds {c}: {what} is multiplied by c/(‖g‖ + 1e-6) = {_num(scale)}."
    return Step(
        "Clipping factor",
        text,
        (
            rf"s = \min\left(1, \frac{{{c}}}{{{_num(total)} + 10^{{-6}}}}\right) = {_num(scale)},\quad g "
            rf"\leftarrow s\,g"
        ),
    )


def conventions(problem: ClipProblem) -> list[str]:
    notes = []
    if problem.mode is Mode.VALUE:
        notes.append(
            f"Clipping by value (clip_grad_value_): each entry is clamped to [−c, c] with c = "
            f"{_num(problem.threshold)}."
        )
    else:
        notes.append(
            "PyTorch's rule: scale = min(1, c / (‖g‖ + 1e-6)); a gradient already within the threshold is "
            "left "
            "unchanged, and the 1e-6 (which guards against division by zero) is negligible here."
        )
    if problem.mode is Mode.GLOBAL:
        stated = (
            ""
            if problem.mode_stated
            else (" The question does not say per tensor, so the usual global clipping is used.")
        )
        notes.append("Global norm (clip_grad_norm_): one norm over all tensors, one common factor." + stated)
    if problem.mode is Mode.NORM and len(problem.tensors) > 1:
        notes.append("Each tensor is clipped by its own norm, as the question asks.")
    if problem.norm_type != 2:
        notes.append(
            f"The norm is the L{'∞' if problem.norm_type == math.inf else _num(problem.norm_type)} "
            f"norm, as given."
        )
    return notes
