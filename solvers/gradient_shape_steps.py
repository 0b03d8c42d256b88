"""Worked steps for a gradient-shape solution: the shapes read, the shapes inferred from a layer
equation, backpropagation as a check, each gradient written entry by entry, the numbers put in."""

from __future__ import annotations

import re

from solvers.base import Step
from solvers.gradient_shape_answer import part_name, target_dims
from solvers.gradient_shape_parse import GradientShapeProblem, Target
from solvers.gradient_shape_text import Dims
from solvers.shapes import Dim, format_shape


def describe(dims: Dims | list[Dim]) -> str:
    """`["n", "m"]` → "an n × m matrix"; `["n"]` → "a vector of n entries"."""
    if not dims:
        return "a scalar"
    if len(dims) == 1:
        return f"a vector of {dims[0]} entries"
    kind = "matrix" if len(dims) == 2 else "array"
    article = "an" if str(dims[0])[:1] in "aefhilmnorsx8" or str(dims[0]) in ("11", "18") else "a"
    return f"{article} {format_shape(list(dims))} {kind}"


def tex_name(name: str) -> str:
    if len(name) > 1 and name.isalpha() and name.isascii():
        return rf"\text{{{name}}}"
    name = name.replace("ℓ", r"\ell ").replace("θ", r"\theta ").replace("Θ", r"\Theta ").strip()
    name = re.sub(r"\^\((\d)\)", r"^{(\1)}", name)
    return re.sub(r"_(\w+)", r"_{\1}", name)


def tex_dims(dims: Dims | list[Dim]) -> str:
    return r" \times ".join(tex_name(str(d)) for d in dims) if dims else "1"


def tex_space(dims: Dims | list[Dim]) -> str:
    return r"\mathbb{R}" + (f"^{{{tex_dims(dims)}}}" if dims else "")


def _index(parts: tuple[Dim | str, ...], comma: bool) -> str:
    return ("," if comma else "").join(tex_name(str(p)) for p in parts)


def _entry(name: str) -> str:
    tex = tex_name(name)
    return tex.lower() if len(name) == 1 and name.isalpha() else f"({tex})"


def _partials(function: str, name: str, dims: Dims) -> str:
    """`∂f/∂X = [∂f/∂x_ij]`: the gradient written entry by entry."""
    f, x, e = tex_name(function), tex_name(name), _entry(name)

    comma = any(len(str(d)) > 1 for d in dims)

    def d(*index: Dim | str) -> str:
        return rf"\frac{{\partial {f}}}{{\partial {e}_{{{_index(index, comma)}}}}}"

    head = rf"\frac{{\partial {f}}}{{\partial {x}}}"
    if not dims:
        return head + r" \in \mathbb{R}"
    head += " = "
    if len(dims) == 1:
        body = rf"\begin{{bmatrix}} {d(1)} \\ \vdots \\ {d(dims[0])} \end{{bmatrix}}"
    elif len(dims) == 2:
        n, m = dims
        body = (
            rf"\begin{{bmatrix}} {d(1, 1)} & \cdots & {d(1, m)} \\ \vdots & \ddots & \vdots \\ "
            rf"{d(n, 1)} & \cdots & {d(n, m)} \end{{bmatrix}}"
        )
    else:
        body = rf"\left[ \frac{{\partial {f}}}{{\partial {e}_{{i_1 \dots i_{len(dims)}}}}} \right]"
    return head + body + rf" \in {tex_space(dims)}"


def _jacobian(target: Target) -> str:
    f, x = tex_name(target.function), tex_name(target.name)
    head = rf"J = \frac{{\partial {f}}}{{\partial {x}}} = "
    if len(target.output) == 1 and len(target.shape) == 1:
        m, n = target.output[0], target.shape[0]
        fe, xe = _entry(target.function), _entry(target.name)

        def d(i: Dim | str, j: Dim | str) -> str:
            top, bottom = tex_name(str(i)), tex_name(str(j))
            return rf"\frac{{\partial {fe}_{{{top}}}}}{{\partial {xe}_{{{bottom}}}}}"

        body = (
            rf"\begin{{bmatrix}} {d(1, 1)} & \cdots & {d(1, n)} \\ \vdots & \ddots & \vdots \\ "
            rf"{d(m, 1)} & \cdots & {d(m, n)} \end{{bmatrix}}"
        )
    else:
        body = rf"\left[ \frac{{\partial {f}_{{i}}}}{{\partial {x}_{{j}}}} \right]"
    dims = [*(target.output or (1,)), *target.shape]
    return head + body + rf" \in {tex_space(dims)}"


def _read_step(problem: GradientShapeProblem) -> Step:
    declared = [(n, d) for n, d in problem.variables if n not in problem.inferred]
    facts = [f"{n} is {describe(d)}" for n, d in declared]
    latex = [rf"{tex_name(n)} \in {tex_space(d)}" for n, d in declared]
    known = dict(problem.variables)
    for t in problem.targets:
        if t.output or t.name not in known:
            facts.append(f"{t.function} takes {describe(t.shape)} to {describe(t.output)}")
            latex.append(rf"{tex_name(t.function)}: {tex_space(t.shape)} \to {tex_space(t.output)}")
    text = "Given: " + "; ".join(dict.fromkeys(facts)) + "." if facts else "Read the shapes."
    return Step("Read the shapes", text, r",\quad ".join(dict.fromkeys(latex)))


Factor = tuple[str, Dims]


def _layer_factors(problem: GradientShapeProblem) -> dict[str, list[Factor]]:
    """Backpropagation through out = op(left) op(right) + bias, factor by factor, with shapes."""
    layer, s = problem.layer, problem.shapes
    if layer is None or any(n not in s for n in (layer.left, layer.right, layer.output)):
        return {}
    left, right, delta = tex_name(layer.left), tex_name(layer.right), r"\delta"
    a = s[layer.left][::-1] if layer.left_t and len(s[layer.left]) == 2 else s[layer.left]
    b = s[layer.right][::-1] if layer.right_t and len(s[layer.right]) == 2 else s[layer.right]
    a_tex, b_tex = left + (r"^\top" if layer.left_t else ""), right + (r"^\top" if layer.right_t else "")
    at_tex, bt_tex = left if layer.left_t else left + r"^\top", right if layer.right_t else right + r"^\top"
    d = s[layer.output]
    found: dict[str, list[Factor]] = {}
    if len(a) == 2 and len(b) == 2:
        found[layer.left] = (
            [(b_tex, b), (delta + r"^\top", d[::-1])] if layer.left_t else [(delta, d), (bt_tex, b[::-1])]
        )
        found[layer.right] = (
            [(delta + r"^\top", d[::-1]), (a_tex, a)] if layer.right_t else [(at_tex, a[::-1]), (delta, d)]
        )
    elif len(a) == 2:
        found[layer.left] = (
            [(right, (b[0], 1)), (delta + r"^\top", (1, a[0]))]
            if layer.left_t
            else [(delta, (a[0], 1)), (right + r"^\top", (1, b[0]))]
        )
        found[layer.right] = [(at_tex, a[::-1]), (delta, d)]
    elif len(b) == 2:
        found[layer.left] = [(b_tex, b), (delta, d)]
        found[layer.right] = (
            [(delta, (b[1], 1)), (left + r"^\top", (1, a[0]))]
            if layer.right_t
            else [(left, (a[0], 1)), (delta + r"^\top", (1, b[1]))]
        )
    else:
        found[layer.left] = [(delta, ()), (right, b)]
        found[layer.right] = [(delta, ()), (left, a)]
    return found


def _layer_steps(problem: GradientShapeProblem) -> list[Step]:
    layer, s = problem.layer, problem.shapes
    if layer is None:
        return []
    steps: list[Step] = []
    names = [layer.left, layer.right, *([layer.bias] if layer.bias else []), layer.output]
    if problem.inferred:
        inferred = "; ".join(f"{n} is {describe(s[n])}" for n in problem.inferred)
        parts = [rf"\underbrace{{{tex_name(n)}}}_{{{tex_dims(s[n])}}}" for n in names if n in s]
        steps.append(
            Step(
                f"Infer the other shapes from {layer.text}",
                "A product is defined only when the inner dimensions agree, and the bias has the shape "
                f"of one output row; so {inferred}.",
                layer.text.split("=")[0].strip() + r" : \quad " + r",\; ".join(parts),
            )
        )
    factors = _layer_factors(problem)
    formulas: list[str] = []
    for t in problem.targets:
        x = tex_name(t.name)
        head = rf"\frac{{\partial {tex_name(t.function)}}}{{\partial {x}}} = "
        if t.name in factors:
            body = r"\,".join(rf"\underbrace{{{tex}}}_{{{tex_dims(dims)}}}" for tex, dims in factors[t.name])
        elif t.name == layer.bias and layer.output in s:
            rows = len(s[layer.output]) == 2 and t.shape != s[layer.output]
            body = r"\sum_{i} \delta_{i}" if rows else r"\delta"
        else:
            continue
        formulas.append(head + body + rf" \in {tex_space(t.shape)}")
    if formulas:
        out = tex_name(layer.output)
        steps.append(
            Step(
                "Check with backpropagation",
                f"With δ = ∂L/∂{layer.output} (shaped like {layer.output}), each gradient is a product "
                "whose shapes multiply out to the variable's own shape; a bias over a batch sums δ over "
                "the examples.",
                rf"\delta = \frac{{\partial L}}{{\partial {out}}} \in {tex_space(s[layer.output])};\quad "
                + r";\quad ".join(formulas),
            )
        )
    return steps


def _target_step(problem: GradientShapeProblem, target: Target, dims: list[Dim]) -> Step:
    n, f = target.name, target.function
    if target.jacobian:
        return Step(
            f"Jacobian of {f} with respect to {n}",
            f"The Jacobian has one row per output of {f} ({format_shape(list(target.output) or [1])}) and "
            f"one column per entry of {n} ({format_shape(list(target.shape))}): "
            f"{format_shape(dims)} in numerator layout.",
            _jacobian(target),
        )
    return Step(
        f"∂{f}/∂{n}: one partial derivative per entry of {n}",
        f"{f} is a scalar, so its gradient with respect to {n} holds one partial derivative for each entry "
        f"of {n}, arranged like {n}: {n} is {describe(target.shape)}, so the gradient is {describe(dims)}.",
        _partials(f, n, target.shape),
    )


def _substitution_step(problem: GradientShapeProblem) -> Step:
    given = ", ".join(f"{s} = {v}" for s, v in problem.substitutions)
    shapes = {part_name(problem, t): target_dims(problem, t) for t in problem.targets}
    text = "; ".join(f"{name}: {format_shape(dims)}" for name, dims in shapes.items())
    latex = r",\; ".join(f"{s} = {v}" for s, v in problem.substitutions)
    return Step("Put in the numbers", f"With {given}: {text}.", latex)


def worked_steps(problem: GradientShapeProblem) -> list[Step]:
    steps = [_read_step(problem), *_layer_steps(problem)]
    steps += [_target_step(problem, t, target_dims(problem, t)) for t in problem.targets]
    if problem.substitutions:
        steps.append(_substitution_step(problem))
    return steps
