"""Shapes of gradients and Jacobians: `∂L/∂W` for W ∈ R^{m×n}, the Jacobian of f: Rⁿ → Rᵐ, and
the gradients of a linear layer `y = Wx + b` or `Y = XW + b` with respect to W, b and x.

The gradient of a scalar has the shape of the variable; a Jacobian is m × n (numerator layout).
Reading the question lives in `solvers.gradient_shape_parse`.
"""

from __future__ import annotations

import re
from enum import StrEnum

from solvers.base import Example, PartSpec, Solution, Solver, Step, ValueKind, Variant
from solvers.extract import find_arrays
from solvers.gradient_shape_parse import (
    Dims,
    GradientShapeProblem,
    Target,
    build,
    prepare,
    read,
)
from solvers.shapes import Dim, format_shape

__all__ = ["GradientShapeProblem", "GradientShapeSolver"]


class Mistake(StrEnum):
    TRANSPOSED = "shape_transposed"
    SCALAR = "shape_scalar"
    FLATTENED = "shape_flattened"
    BATCH_KEPT = "batch_dimension_kept"
    DENOMINATOR = "jacobian_layout"
    SYMBOLIC = "symbolic_dimensions"


def _product(dims: list[Dim]) -> Dim:
    if all(isinstance(d, int) for d in dims):
        total = 1
        for d in dims:
            total *= int(d)
        return total
    return "*".join(str(d) for d in dims)


def target_dims(problem: GradientShapeProblem, target: Target, mistake: Mistake | None = None) -> list[Dim]:
    """The shape asked for `target`, or the one a known mistake leads to."""
    if target.jacobian:
        numerator = [*(target.output or (1,)), *target.shape]
        dims = [*target.shape, *target.output] if mistake is Mistake.DENOMINATOR else numerator
    else:
        dims = list(target.shape)
        parameter = target.role in ("weight", "bias")
        if mistake is Mistake.BATCH_KEPT and parameter and problem.batch is not None:
            dims = [problem.batch, *dims]
    if mistake is not Mistake.SYMBOLIC:
        numbers = dict(problem.substitutions)
        dims = [numbers.get(d, d) if isinstance(d, str) else d for d in dims]
    if mistake is Mistake.TRANSPOSED and len(dims) >= 2 and not target.jacobian:
        dims = dims[::-1]
    elif mistake is Mistake.SCALAR:
        dims = []
    elif mistake is Mistake.FLATTENED and len(dims) >= 2:
        dims = [_product(dims)]
    return dims


def describe(dims: Dims | list[Dim]) -> str:
    """`["n", "m"]` → "an n × m matrix"; `["n"]` → "a vector of n entries"."""
    if not dims:
        return "a scalar"
    if len(dims) == 1:
        return f"a vector of {dims[0]} entries"
    kind = "matrix" if len(dims) == 2 else "array"
    article = "an" if str(dims[0])[:1] in "aefhilmnorsx8" or str(dims[0]) in ("11", "18") else "a"
    return f"{article} {format_shape(list(dims))} {kind}"


def part_name(problem: GradientShapeProblem, target: Target) -> str:
    if len(problem.targets) == 1:
        return "shape"
    return "shape_" + re.sub(r"\W", "", target.name.replace("^", ""))


def answer(problem: GradientShapeProblem, mistake: Mistake | None = None) -> dict[str, list[Dim]]:
    return {part_name(problem, t): target_dims(problem, t, mistake) for t in problem.targets}


# ---- worked steps --------------------------------------------------------------------------------


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


def read_step(problem: GradientShapeProblem) -> Step:
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


def layer_steps(problem: GradientShapeProblem) -> list[Step]:
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


def target_step(problem: GradientShapeProblem, target: Target, dims: list[Dim]) -> Step:
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


_ROLE_ALIASES = {
    "weight": ("weights", "weight", "weight matrix", "weight gradient", "grad weights"),
    "bias": ("bias", "biases", "bias vector", "bias gradient", "grad bias"),
    "input": ("input", "inputs", "input gradient", "grad input"),
    "output": ("output", "outputs"),
}


def _spec(problem: GradientShapeProblem, target: Target) -> PartSpec:
    n, f = target.name, target.function
    single = len(problem.targets) == 1
    # the name alone labels a part only when it is needed (several parts) and cannot be confused
    # with the `x` of "n x m" or with a dimension (b and the batch size B)
    symbols = {str(d).lower() for _, dims in problem.variables for d in dims} | {"x"}
    aliases = [n] if not single and n.lower() not in symbols else []
    aliases += [f"d{f}/d{n}", f"∂{f}/∂{n}", f"grad {n}", f"grad_{n}", f"gradient of {n}"]
    aliases += [f"gradient wrt {n}", f"gradient with respect to {n}", f"∇_{n} {f}", f"∇_{n}", f"d{n}"]
    if target.jacobian:
        label = f"Shape of the Jacobian ∂{f}/∂{n}"
        aliases += ["jacobian", "jacobian shape", "jacobian matrix"] if single else []
    else:
        label = f"Shape of ∂{f}/∂{n}"
        aliases += (
            ["gradient", "gradient shape", "dimension", "dimensions", "dimensionality", "size"]
            if single
            else []
        )
    if not single:
        aliases += _ROLE_ALIASES.get(target.role or "", ())
    return PartSpec(part_name(problem, target), label, ValueKind.SHAPE, tuple(dict.fromkeys(aliases)))


def _conventions(problem: GradientShapeProblem) -> list[str]:
    notes: list[str] = []
    if any(not t.jacobian for t in problem.targets):
        notes.append(
            "The gradient of a scalar with respect to a variable has the variable's shape: one partial "
            "derivative per entry, arranged like the variable (the convention of deep-learning frameworks)."
        )
    if any(t.jacobian for t in problem.targets):
        notes.append(
            "Jacobians are given in numerator layout: one row per output, one column per input, so "
            "f: R^n → R^m has an m × n Jacobian; the denominator layout (n × m) is also accepted."
        )
    if problem.scalar_assumed:
        notes.append(
            "The question does not say the function is scalar-valued; a gradient is taken of a scalar, "
            "so it is read as one."
        )
    if problem.batch is not None and any(t.role in ("weight", "bias") for t in problem.targets):
        notes.append(
            "Parameter gradients are summed over the batch: each example contributes one term, so "
            "the gradient keeps the parameter's shape."
        )
    if problem.substitutions:
        given = ", ".join(f"{s} = {v}" for s, v in problem.substitutions)
        notes.append(
            f"The dimensions use the numbers the question gives ({given}); the symbols are also accepted."
        )
    return notes


def _given(problem: GradientShapeProblem) -> dict[str, object]:
    names = [t.name for t in problem.targets]
    given: dict[str, object] = {
        "variables": {n: list(d) for n, d in problem.variables},
        "target": names[0] if len(names) == 1 else names,
        "of": problem.targets[0].function,
    }
    if problem.layer is not None:
        given["layer"] = problem.layer.text
    if any(t.jacobian for t in problem.targets):
        given["outputs"] = list(problem.targets[0].output)
    if problem.substitutions:
        given["dimensions"] = dict(problem.substitutions)
    return given


_GRADIENT_WORDS = re.compile(
    r"\bgradients?\b|\bjacobian|∂|∇|(?<![A-Za-z])d[A-Za-zℓ]\s*/\s*d[A-Za-z]|\bderivatives?\b", re.IGNORECASE
)
_SHAPE_TUPLE = re.compile(r"(?:shape|size|dim\w*)\s*(?:of|is|=+|:)?\s*$")
_SHAPE_WORDS = re.compile(
    r"\bshapes?\b|\bdimensions?\b|\bdimensionality\b|\bhow many (?:rows|columns|entries)\b"
    r"|\b(?:what|the) size\b|\bsizes? of\b",
    re.IGNORECASE,
)


class GradientShapeSolver(Solver[GradientShapeProblem]):
    kind = "gradient_shape"
    title = "Shape of a gradient or Jacobian"
    topic = "gradients"

    def detect(self, text: str) -> float:
        prepared = prepare(text)
        if not _GRADIENT_WORDS.search(prepared):
            return 0.05
        reading = read(prepared)
        has_data = bool(reading.declarations or reading.mappings or reading.function_outputs)
        asks_shape = bool(_SHAPE_WORDS.search(text))
        if has_data and any(not _SHAPE_TUPLE.search(a.context) for a in find_arrays(prepared)):
            return 0.7 if asks_shape else 0.2
        if has_data and asks_shape:
            return 0.9 if reading.targets or reading.jacobian else 0.75
        if has_data and (reading.jacobian or reading.targets):
            return 0.65
        return 0.45 if has_data else (0.35 if asks_shape else 0.15)

    def parse(self, text: str) -> GradientShapeProblem:
        return build(read(prepare(text)))

    def solve(self, problem: GradientShapeProblem) -> Solution:
        parts = {part_name(problem, t): _spec(problem, t) for t in problem.targets}
        steps: list[Step] = [read_step(problem)]
        steps += layer_steps(problem)
        steps += [target_step(problem, t, target_dims(problem, t)) for t in problem.targets]
        if problem.substitutions:
            steps.append(_substitution_step(problem))
        return Solution(
            kind=self.kind,
            asked=tuple(parts),
            answer=dict(answer(problem)),
            parts=parts,
            steps=steps,
            conventions=_conventions(problem),
            given=_given(problem),
            notes=list(problem.notes),
        )

    def variants(self, problem: GradientShapeProblem) -> list[Variant]:
        right = answer(problem)
        found: list[Variant] = []
        for mistake in Mistake:
            wrong = answer(problem, mistake)
            if wrong != right and all(v.answer != wrong for v in found):
                jacobian = all(t.jacobian for t in problem.targets)
                feedback = (
                    _JACOBIAN_FEEDBACK.get(mistake, _FEEDBACK[mistake]) if jacobian else _FEEDBACK[mistake]
                )
                found.append(Variant(mistake.value, feedback, dict(wrong), mistake in _ACCEPTED))
        return found

    def examples(self) -> tuple[Example, ...]:
        return EXAMPLES


_ACCEPTED = (Mistake.DENOMINATOR, Mistake.SYMBOLIC)
_FEEDBACK = {
    Mistake.TRANSPOSED: (
        "The dimensions are swapped. The gradient of a scalar with respect to a matrix has one entry "
        "per entry of the matrix, in the same place, so it has the matrix's shape (rows first), not "
        "its transpose."
    ),
    Mistake.SCALAR: (
        "The function is a scalar, but its gradient is not: there is one partial derivative for "
        "every entry of the variable, so the gradient has the variable's shape."
    ),
    Mistake.FLATTENED: (
        "The right number of entries, but flattened into one long vector. The gradient is arranged "
        "like the variable: a matrix variable has a matrix gradient of the same shape."
    ),
    Mistake.BATCH_KEPT: (
        "The batch dimension was kept: that is the stack of per-example gradients, not summed over "
        "the batch. A parameter's gradient sums every example's contribution, so it has the "
        "parameter's shape."
    ),
    Mistake.DENOMINATOR: (
        "This is the Jacobian in denominator layout (one row per input). It is accepted; the usual "
        "numerator layout puts one row per output and one column per input."
    ),
    Mistake.SYMBOLIC: (
        "The shape is right in symbols; the question gives numbers for them, which is accepted."
    ),
}


_JACOBIAN_FEEDBACK = {
    Mistake.SCALAR: (
        "The Jacobian is not a single number: it holds one partial derivative ∂f_i/∂x_j for every "
        "output i and every input j, so it has one row per output and one column per input."
    ),
    Mistake.FLATTENED: (
        "The right number of entries, but the Jacobian is a matrix, not one long vector: one row per "
        "output and one column per input."
    ),
}


def _substitution_step(problem: GradientShapeProblem) -> Step:
    given = ", ".join(f"{s} = {v}" for s, v in problem.substitutions)
    shapes = {part_name(problem, t): target_dims(problem, t) for t in problem.targets}
    text = "; ".join(f"{name}: {format_shape(dims)}" for name, dims in shapes.items())
    latex = r",\; ".join(f"{s} = {v}" for s, v in problem.substitutions)
    return Step("Put in the numbers", f"With {given}: {text}.", latex)


EXAMPLES = (
    Example(
        "Assume that the inputs X to some scalar function f are n x m matrices. What is the "
        "dimensionality of the gradient of f with respect to X? Give reasons to justify your answer.",
        {"shape": ["n", "m"]},
    ),
    Example(
        r"Let $W \in \mathbb{R}^{3 \times 4}$ and let L be a scalar loss. What is the shape of "
        r"$\frac{\partial L}{\partial W}$?",
        {"shape": [3, 4]},
    ),
    Example(
        "x is a vector of length 5 and f is a scalar function. What is the shape of the gradient "
        "of f w.r.t. x?",
        {"shape": [5]},
    ),
    Example("A function f maps R^3 to R^2. What are the dimensions of the Jacobian of f?", {"shape": [2, 3]}),
    Example(
        "Consider a linear layer y = Wx + b with W ∈ ℝ^{m×n}. What are the shapes of ∂L/∂W, ∂L/∂b "
        "and ∂L/∂x, where L is the scalar loss?",
        {"shape_W": ["m", "n"], "shape_b": ["m"], "shape_x": ["n"]},
    ),
    Example(
        "A batch X ∈ ℝ^{B×d} goes through Y = XW + b with W ∈ ℝ^{d×k}. Give the shapes of the "
        "gradients of the loss with respect to W, b and X.",
        {"shape_W": ["d", "k"], "shape_b": ["k"], "shape_X": ["B", "d"]},
    ),
    Example(
        "In PyTorch, nn.Linear computes Y = XW^T + b. X has shape (32, 784) and W has shape (10, 784). "
        "What are the shapes of the gradients of the loss with respect to W and b?",
        {"shape_W": [10, 784], "shape_b": [10]},
    ),
)
