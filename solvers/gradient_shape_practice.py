"""Fresh gradient-shape questions: a variable's gradient, the gradients of a linear layer
`y = Wx + b` or `Y = XW + b`, a Jacobian of f: Rⁿ → Rᵐ, with symbolic or numeric sizes drawn from
`rng` and worded in one of several styles (exam prose, a terse "Given ..., compute ...", LaTeX,
PyTorch, Jacobians).

Matrix sizes are always distinct (m ≠ n), so a transposed answer is always wrong. `solvers.practice`
rejects a question when a known mistake leaves an asked part unchanged; a transposed or flattened
shape leaves a vector alone, and keeping the batch leaves ∂L/∂X alone, so several targets are asked
together only when every mistake changes every one of them: two weight matrices, a scalar function of
two matrices, or the bias and the input of `y = Wx + b`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from solvers.shapes import Dim

SIZES = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 32, 50, 64, 100, 128, 256, 300, 512, 784)
BATCHES = (8, 16, 32, 64, 128, 256)
SYMBOLS = ("n", "m", "d", "k", "p", "q", "h", "r")
IO_SYMBOLS = (("n", "m"), ("d_in", "d_out"), ("d", "k"), ("n_in", "n_out"))  # (inputs, outputs)
MATRIX_NAMES = ("W", "X", "V", "U", "Z")
VECTOR_NAMES = ("x", "v", "z", "w")
SCALAR_FUNCTIONS = ("f", "g", "J")

T = TypeVar("T")


def pick(rng: random.Random, options: tuple[T, ...]) -> T:
    return options[rng.randrange(len(options))]


def sizes(rng: random.Random, count: int, symbolic: bool) -> list[Dim]:
    """`count` distinct sizes: numbers from 2 to 784, or symbols."""
    if symbolic:
        if count == 2 and rng.random() < 0.3:
            return ["n", "m"]
        return list(rng.sample(SYMBOLS, count))
    return list(rng.sample(SIZES, count))


def io_sizes(rng: random.Random, symbolic: bool) -> tuple[Dim, Dim]:
    """(inputs, outputs) of a layer or a map: distinct numbers, or symbols such as (d_in, d_out)."""
    if symbolic and rng.random() < 0.6:
        return pick(rng, IO_SYMBOLS)
    first, second = sizes(rng, 2, symbolic)
    return first, second


def article(word: Dim) -> str:
    """ "an 8-dimensional", "an n-dimensional", "a 512-dimensional", "a d-dimensional"."""
    spoken_vowel = str(word)[0] in "aefhilmnorsx8" or word in (11, 18)
    return "an" if spoken_vowel else "a"


def real(dims: list[Dim]) -> str:
    """R^{m×n}, R^{5}."""
    return "R^{" + "×".join(str(d) for d in dims) + "}"


def power(dim: Dim) -> str:
    """R^3, R^n, R^{784}, R^{d_in}."""
    return f"R^{dim}" if len(str(dim)) == 1 else f"R^{{{dim}}}"


def latex_dim(dim: Dim) -> str:
    r"""`d_in` → `d_{\text{in}}`."""
    symbol, _, subscript = str(dim).partition("_")
    return rf"{symbol}_{{\text{{{subscript}}}}}" if subscript else symbol


def latex_real(dims: list[Dim]) -> str:
    r"""\mathbb{R}^{m \times n}"""
    body = r" \times ".join(latex_dim(d) for d in dims)
    return rf"\mathbb{{R}}^{{{body}}}"


def batch_size(rng: random.Random, avoid: Dim) -> int:
    """A batch size other than the feature size (a square X would hide a transposed answer)."""
    return pick(rng, tuple(b for b in BATCHES if b != avoid))


def by(dims: list[Dim], sep: str = " × ") -> str:
    return sep.join(str(d) for d in dims)


def joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------- the styles


def exam(rng: random.Random) -> str:
    """Prose about one variable (a matrix or a vector) of a scalar function, or two weight matrices."""
    symbolic = rng.random() < 0.5
    form = rng.randrange(6)
    if form == 0:
        name, f = pick(rng, MATRIX_NAMES), pick(rng, SCALAR_FUNCTIONS)
        dims = sizes(rng, 2, symbolic)
        return (
            f"Assume that the inputs {name} to some scalar function {f} are {by(dims, ' x ')} matrices. "
            f"What is the dimensionality of the gradient of {f} with respect to {name}? Give reasons to "
            "justify your answer."
        )
    if form == 1:
        name, dims = pick(rng, ("W", "V", "U")), sizes(rng, 2, symbolic)
        written = by(dims, pick(rng, (" × ", "-by-", " x ")))
        return (
            f"Let {name} be {article(dims[0])} {written} weight matrix and L a scalar loss. What is the "
            f"shape of the gradient of L with respect to {name}?"
        )
    if form == 2:
        name, f = pick(rng, VECTOR_NAMES), pick(rng, SCALAR_FUNCTIONS)
        (size,) = sizes(rng, 1, symbolic)
        return (
            f"{name} is a vector of length {size} and {f} is a scalar function. What is the shape of the "
            f"gradient of {f} w.r.t. {name}?"
        )
    if form == 3:
        (size,) = sizes(rng, 1, symbolic)
        return (
            f"The cost function J(θ) depends on a parameter vector θ with {size} components. What is the "
            "shape of the gradient ∇_θ J?"
        )
    if form == 4:
        n, d, k = sizes(rng, 3, symbolic)
        return (
            f"Let f(X, W) be a scalar function of X ∈ {real([n, d])} and W ∈ {real([d, k])}. What are the "
            "shapes of ∂f/∂X and ∂f/∂W?"
        )
    d, h, k = sizes(rng, 3, symbolic)
    return (
        f"A two-layer network has weights W_1 ∈ {real([h, d])} and W_2 ∈ {real([k, h])}, and L is the scalar "
        "loss. What are the shapes of ∂L/∂W_1 and ∂L/∂W_2?"
    )


def terse(rng: random.Random) -> str:
    symbolic = rng.random() < 0.4
    form = rng.randrange(4)
    if form == 0:
        name = pick(rng, ("W", "V", "X"))
        shape = real(sizes(rng, 2, symbolic))
        return f"Given {name} ∈ {shape} and a scalar loss L, compute the shape of ∂L/∂{name}."
    if form == 1:
        name, f = pick(rng, VECTOR_NAMES), pick(rng, SCALAR_FUNCTIONS)
        return (
            f"Given {name} ∈ {real(sizes(rng, 1, symbolic))} and a scalar function {f}({name}), compute "
            f"the shape of ∇_{name} {f}."
        )
    n, m = io_sizes(rng, symbolic)
    if form == 2:
        return f"Given f: {real([n])} → {real([m])}, compute the shape of the Jacobian of f."
    return f"Given y = Wx + b with W ∈ {real([m, n])}, compute the shape of ∂L/∂W."


def latex(rng: random.Random) -> str:
    symbolic = rng.random() < 0.5
    form = rng.randrange(4)
    if form == 0:
        name = pick(rng, ("W", "X", "V"))
        target = pick(rng, (rf"\frac{{\partial L}}{{\partial {name}}}", rf"\nabla_{{{name}}} L"))
        return (
            rf"Let ${name} \in {latex_real(sizes(rng, 2, symbolic))}$ and let $L$ be a scalar loss. "
            rf"What is the shape of ${target}$?"
        )
    if form == 1:
        d, h, k = sizes(rng, 3, symbolic)
        return (
            rf"Let $W^{{(1)}} \in {latex_real([h, d])}$ and $W^{{(2)}} \in {latex_real([k, h])}$, and let "
            r"$L$ be a scalar loss. What are the shapes of $\frac{\partial L}{\partial W^{(1)}}$ and "
            r"$\frac{\partial L}{\partial W^{(2)}}$?"
        )
    if form == 2:
        n, m = io_sizes(rng, symbolic)
        return (
            rf"Let $f: {latex_real([n])} \to {latex_real([m])}$. What is the shape of the Jacobian "
            r"$\frac{\partial f}{\partial x}$?"
        )
    d, k = io_sizes(rng, symbolic)
    target = pick(rng, ("X", "W", "b"))
    return (
        rf"Given $X \in {latex_real([batch_size(rng, d), d])}$ and $W \in {latex_real([d, k])}$ with "
        rf"$Y = XW + b$, find the shape of $\frac{{\partial L}}{{\partial {target}}}$."
    )


def layer(rng: random.Random) -> str:
    """`y = Wx + b` for one example: W, b or x alone, or b and x together."""
    symbolic = rng.random() < 0.5
    n, m = io_sizes(rng, symbolic)
    given = rng.randrange(3)
    if given == 0:
        data = f"Consider a linear layer y = Wx + b with W ∈ {real([m, n])}."
    elif given == 1:
        data = f"Consider y = Wx + b, with x ∈ {real([n])} and y ∈ {real([m])}."
    else:
        data = (
            f"A fully connected layer maps {article(n)} {n}-dimensional input x to {m} outputs: y = Wx + b."
        )
    targets = pick(rng, (["W"], ["W"], ["b"], ["x"], ["b", "x"]))
    several = len(targets) > 1
    if rng.random() < 0.5:
        listed = joined([f"∂L/∂{t}" for t in targets])
    else:
        listed = f"the gradient{'s' if several else ''} of the loss with respect to {joined(targets)}"
    verb = "What are the shapes of" if several else "What is the shape of"
    return f"{data} {verb} {listed}?"


def batch(rng: random.Random) -> str:
    """`Y = XW + b` for a batch: one of W, b and X; sizes in symbols, numbers, or symbols given numbers."""
    how = rng.randrange(3)
    d, k = io_sizes(rng, symbolic=how != 1)
    size: Dim = batch_size(rng, d) if how == 1 else "B"
    target = pick(rng, ("W", "b", "X"))
    if how == 2:
        d_value, k_value = sizes(rng, 2, symbolic=False)
        b_value = batch_size(rng, d_value)
        return (
            f"Given X ∈ R^{{B×{d}}} with B = {b_value} and {d} = {d_value}, and Y = XW + b with "
            f"W ∈ R^{{{d}×{k}}}, {k} = {k_value}, what is the shape of ∂L/∂{target}?"
        )
    return (
        f"A batch X ∈ {real([size, d])} goes through Y = XW + b with W ∈ {real([d, k])}. What is the "
        f"shape of the gradient of the loss with respect to {target}?"
    )


def pytorch(rng: random.Random) -> str:
    """nn.Linear stores its weight as (out, in) and computes Y = XW^T + b."""
    n_in, n_out = io_sizes(rng, symbolic=False)
    size = batch_size(rng, n_in)
    target = pick(rng, ("W", "the weight", "the bias", "X"))
    return (
        f"In PyTorch, fc = nn.Linear({n_in}, {n_out}) stores its weight W with shape ({n_out}, {n_in}) "
        f"and computes Y = XW^T + b for a batch X of shape ({size}, {n_in}). What is the shape of the "
        f"gradient of the loss with respect to {target}?"
    )


def jacobian(rng: random.Random) -> str:
    symbolic = rng.random() < 0.4
    n, m = io_sizes(rng, symbolic)
    form = rng.randrange(4)
    if form == 0:
        return f"A function f maps {power(n)} to {power(m)}. What is the shape of the Jacobian matrix of f?"
    if form == 1:
        return f"Let g: {real([n])} → {real([m])}. What are the dimensions of the Jacobian of g?"
    if form == 2:
        return (
            f"Let x ∈ {real([n])} be the input and f(x) ∈ {real([m])} the output of a network. What is "
            "the shape of the Jacobian of f with respect to x?"
        )
    return f"What is the shape of the Jacobian of y = Wx with respect to x, where W ∈ {real([m, n])}?"


STYLES: tuple[Callable[[random.Random], str], ...] = (exam, terse, latex, layer, batch, pytorch, jacobian)


def practice_question(rng: random.Random) -> str:
    """One question in one of the `STYLES`, its sizes drawn from `rng`."""
    return pick(rng, STYLES)(rng)
