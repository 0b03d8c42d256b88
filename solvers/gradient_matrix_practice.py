"""Practice questions for matrix gradients: a function family, fresh letters and dimensions, one of
several wordings (exam prose, LaTeX, unicode shorthand, ∂/∂ notation, plain words)."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Drawn:
    function: str  # in plain text: x^T A x
    latex: str
    unicode: str
    variable: str
    declarations: str  # "A ∈ R^{n×n}"
    latex_declarations: str
    extra: str = ""  # "A is symmetric."


def _dims(rng: random.Random) -> tuple[str, str]:
    return rng.choice((("n", "m"), ("d", "k"), ("3", "4"), ("5", "2"), ("m", "d")))


def _quadratic(rng: random.Random) -> Drawn:
    x, a = rng.choice((("x", "A"), ("w", "M"), ("v", "B"), ("u", "Q")))
    n, _ = _dims(rng)
    symmetric = rng.random() < 0.4
    return Drawn(
        f"{x}^T {a} {x}",
        rf"\mathbf{{{x}}}^\top {a} \mathbf{{{x}}}",
        f"{x}ᵀ{a}{x}",
        x,
        *_matrix_declared(a, n, n),
        f"{a} is symmetric." if symmetric else "",
    )


def _bilinear(rng: random.Random) -> Drawn:
    a, x, b = rng.choice((("a", "X", "b"), ("u", "W", "v"), ("p", "M", "q")))
    m, n = _dims(rng)
    return Drawn(
        f"{a}^T {x} {b}",
        rf"\mathbf{{{a}}}^\top {x} \mathbf{{{b}}}",
        f"{a}ᵀ{x}{b}",
        x,
        *_matrix_declared(x, m, n),
    )


def _matrix_declared(name: str, rows: str, columns: str) -> tuple[str, str]:
    """`X ∈ R^{3×4}` in plain text and in LaTeX."""
    return f"{name} ∈ R^{{{rows}×{columns}}}", rf"{name} \in \mathbb{{R}}^{{{rows} \times {columns}}}"


def _least_squares(rng: random.Random) -> Drawn:
    x, w, y = rng.choice((("X", "w", "y"), ("A", "x", "b"), ("H", "v", "c")))
    m, n = _dims(rng)
    return Drawn(
        f"||{x}{w} - {y}||^2",
        rf"\|{x}\mathbf{{{w}}} - \mathbf{{{y}}}\|_2^2",
        f"‖{x}{w} − {y}‖²",
        w,
        *_matrix_declared(x, m, n),
    )


def _trace(rng: random.Random) -> Drawn:
    a, x = rng.choice((("A", "X"), ("B", "W"), ("C", "M")))
    m, n = _dims(rng)
    return Drawn(
        f"tr({a}{x})",
        rf"\operatorname{{tr}}({a}{x})",
        f"tr({a}{x})",
        x,
        *_matrix_declared(x, m, n),
    )


def _cross_entropy(rng: random.Random) -> Drawn:
    z, y = rng.choice((("z", "y"), ("s", "t"), ("a", "y")))
    n, _ = _dims(rng)
    return Drawn(
        f"CE(softmax({z}), {y})",
        rf"-\mathbf{{{y}}}^\top \log \operatorname{{softmax}}(\mathbf{{{z}}})",
        f"−{y}ᵀ log softmax({z})",
        z,
        f"{z} ∈ R^{n}",
        rf"\mathbf{{{z}}} \in \mathbb{{R}}^{{{n}}}",
        f"{y} is a one-hot label vector.",
    )


_FAMILIES = (_quadratic, _bilinear, _least_squares, _trace, _cross_entropy)


def practice_question(rng: random.Random) -> str:
    drawn = rng.choice(_FAMILIES)(rng)
    v, extra = drawn.variable, (" " + drawn.extra if drawn.extra else "")
    style = rng.randrange(5)
    if style == 0:
        return (
            f"Let {drawn.declarations}.{extra} Compute the gradient of f({v}) = {drawn.function} "
            f"with respect to {v}."
        )
    if style == 1:
        bold = rf"\mathbf{{{v}}}" if v.islower() else v
        return rf"Derive $\nabla_{{{bold}}} \left( {drawn.latex} \right)$ where ${drawn.latex_declarations}$.{extra}"
    if style == 2:
        return f"∇_{v}({drawn.unicode}) = ?  Here {drawn.declarations}.{extra}"
    if style == 3:
        return (
            rf"Find $\frac{{\partial}}{{\partial {v}}} \left( {drawn.latex} \right)$ for "
            rf"${drawn.latex_declarations}$.{extra}"
        )
    return (
        f"What is the derivative of {drawn.function} with respect to {v}, given {drawn.declarations}?{extra}"
    )
