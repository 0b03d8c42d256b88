"""Numbers for matrix expressions: evaluate a tree on random matrices of compatible sizes.

Two expressions are equivalent when they agree on several seeded random draws (symmetric
matrices drawn symmetric, one-hot vectors one-hot). Every distinct dimension gets its own size,
so a transposed or mis-ordered product fails on shape, not by luck.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from solvers.matrix_expr import Tree
from solvers.matrix_expr_shapes import Dim, SymbolTable

Array = NDArray[np.float64]
TRIALS = 3
SEED = 20_251_122
_SIZES = (3, 4, 5, 2, 6, 7, 8, 9, 10, 11, 12, 13)
RTOL = 1e-7
ATOL = 1e-9


class EvaluationError(ValueError):
    """The expression has no value: sizes that do not fit, or a symbol the question does not have."""


def concrete_sizes(table: SymbolTable, uniform: bool = False) -> dict[Dim, int]:
    """A size per dimension: all different, or (`uniform`) all the same, so that any product fits."""
    dims = sorted({str(d) for s in table for d in (s.rows, s.cols) if d != 1})
    sizes: dict[Dim, int] = {1: 1, "1": 1}
    for dim, size in zip(dims, _SIZES, strict=False):
        sizes[dim] = _SIZES[0] if uniform else size
    return sizes


def draw_values(table: SymbolTable, rng: np.random.Generator, uniform: bool = False) -> dict[str, Array]:
    sizes = concrete_sizes(table, uniform)
    values: dict[str, Array] = {}
    for symbol in table:
        if symbol.definition is not None:
            continue
        rows, cols = sizes[str(symbol.rows)], sizes[str(symbol.cols)]
        if symbol.one_hot:
            value = np.zeros((rows, cols))
            value[rng.integers(rows), 0] = 1.0
        else:
            value = rng.standard_normal((rows, cols))
            if symbol.symmetric:
                value = (value + value.T) / 2
        values[symbol.name] = value
    for symbol in table:
        if symbol.definition is not None:
            values[symbol.name] = evaluate(symbol.definition, values)
    return values


def _product(left: Array, right: Array) -> Array:
    if left.shape == (1, 1) or right.shape == (1, 1):
        return left * right
    if left.shape[1] != right.shape[0]:
        raise EvaluationError(f"a {_size(left)} matrix cannot multiply a {_size(right)} one")
    result: Array = left @ right
    return result


def _size(value: Array) -> str:
    return f"{value.shape[0]} × {value.shape[1]}"


def _column(value: Array, what: str) -> Array:
    if value.shape[1] != 1:
        raise EvaluationError(f"{what} takes a column vector, not a {_size(value)} matrix")
    return value


def evaluate(tree: Tree, values: dict[str, Array]) -> Array:
    """The value of `tree` with symbols bound to `values`; `EvaluationError` when it has none."""
    op = tree[0]
    if op == "sym":
        if tree[1] not in values:
            raise EvaluationError(f"{tree[1]} does not appear in the question")
        return values[tree[1]]
    if op == "num":
        return np.array([[float(Fraction(tree[1]))]])
    args = [evaluate(child, values) for child in tree[1:]]
    if op == "neg":
        return -args[0]
    if op == "T":
        return args[0].T
    if op == "add":
        total = args[0]
        for term in args[1:]:
            if term.shape != total.shape:
                raise EvaluationError(f"a {_size(total)} and a {_size(term)} matrix cannot be added")
            total = total + term
        return total
    if op == "mul":
        product = args[0]
        for factor in args[1:]:
            product = _product(product, factor)
        return product
    if op == "tr":
        if args[0].shape[0] != args[0].shape[1]:
            raise EvaluationError(f"the trace needs a square matrix, not a {_size(args[0])} one")
        return np.array([[np.trace(args[0])]])
    if op == "norm2":
        return np.array([[float(np.sum(args[0] ** 2))]])
    if op == "softmax":
        shifted = np.exp(_column(args[0], "softmax") - np.max(args[0]))
        result: Array = shifted / np.sum(shifted)
        return result
    if op == "log":
        with np.errstate(all="ignore"):
            logged: Array = np.log(args[0])
        return logged
    if op == "ce":
        probabilities, target = _column(args[0], "the cross-entropy"), _column(args[1], "the cross-entropy")
        if probabilities.shape != target.shape:
            raise EvaluationError("the cross-entropy needs two vectors of the same length")
        with np.errstate(all="ignore"):
            return np.array([[-float(np.sum(target * np.log(probabilities)))]])
    raise EvaluationError(f"unsupported operation {op!r}")


@dataclass(frozen=True)
class Comparison:
    equal: bool
    note: str = ""


def compare_trees(expected: Tree, given: Tree, table: SymbolTable, trials: int = TRIALS) -> Comparison:
    """Do `expected` and `given` agree on `trials` seeded random draws?

    An `expected` that only fits square sizes (a known mistake such as `2 X (X w - y)`) is
    compared on draws where every dimension has the same size.
    """
    uniform = False
    try:
        evaluate(expected, draw_values(table, np.random.default_rng(SEED)))
    except EvaluationError:
        uniform = True
    rng = np.random.default_rng(SEED)
    for _ in range(trials):
        values = draw_values(table, rng, uniform)
        want = evaluate(expected, values)
        try:
            got = evaluate(given, values)
        except EvaluationError as problem:
            return Comparison(False, str(problem))
        if got.shape != want.shape:
            if got.shape == want.shape[::-1]:
                return Comparison(False, "it has the transposed shape")
            return Comparison(False, f"it is {_size(got)}, the gradient is {_size(want)}")
        with np.errstate(all="ignore"):
            if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
                return Comparison(False)
    return Comparison(True)
