"""The derivation, run inside the worker process: a plain tree becomes sympy matrix expressions
(`MatrixSymbol`, never parsed text), sympy differentiates, and the result comes back as a tree.

Products, sums, transposes, traces and squared norms use sympy's matrix calculus. Softmax,
log and cross-entropy are differentiated entry by entry on vectors of a small concrete length,
and the result is read back as a combination of the vectors softmax(z), z and the targets.
"""

from __future__ import annotations

from fractions import Fraction
from functools import reduce
from operator import add
from typing import Any

import sympy as sp
from sympy.tensor.array.expressions import ArrayAdd, ArrayTensorProduct, PermuteDims
from sympy.tensor.array.expressions.from_array_to_matrix import convert_array_to_matrix

Tree = tuple[Any, ...]
SymbolData = tuple[str, str, str, bool, bool]  # name, rows, cols, symmetric, one-hot
ELEMENTWISE = frozenset({"softmax", "log", "ce"})
ENTRIES = 3  # vector length for the entry-by-entry derivation


class Unsupported(ValueError):
    """The expression is outside what the derivation handles."""


def _dim(text: str) -> sp.Expr:
    return sp.Integer(int(text)) if text.isdigit() else sp.Symbol(text, positive=True, integer=True)


def _uses(tree: Tree, ops: frozenset[str]) -> bool:
    return tree[0] in ops or any(isinstance(c, tuple) and _uses(c, ops) for c in tree[1:])


def to_sympy(tree: Tree, symbols: dict[str, sp.MatrixSymbol]) -> Any:
    op = tree[0]
    if op == "sym":
        return symbols[tree[1]]
    if op == "num":
        return sp.Rational(str(Fraction(tree[1])))
    args = [to_sympy(child, symbols) for child in tree[1:]]
    if op == "neg":
        return -args[0]
    if op == "add":
        return reduce(add, args)
    if op == "mul":
        return reduce(_times, args)
    if op == "T":
        return args[0].T
    if op == "tr":
        return sp.Trace(args[0])
    if op == "norm2":
        inner = args[0]
        return inner.T * inner if inner.shape[1] == 1 else sp.Trace(inner.T * inner)
    raise Unsupported(f"{op} is not a matrix-calculus operation")


def _times(left: Any, right: Any) -> Any:
    for one, other in ((left, right), (right, left)):
        if getattr(one, "shape", (1, 1)) == (1, 1) and getattr(other, "shape", (1, 1)) != (1, 1):
            scalar = one[0, 0] if isinstance(one, sp.MatrixExpr) else one
            return scalar * other
    return left * right


def from_sympy(expr: Any) -> Tree:
    """A sympy result back to a tree; `Unsupported` for anything outside the grammar."""
    if isinstance(expr, sp.MatrixSymbol):
        return ("sym", str(expr.name))
    if isinstance(expr, sp.Transpose):
        return ("T", from_sympy(expr.arg))
    if isinstance(expr, sp.Rational | sp.Integer):
        return ("num", str(Fraction(int(expr.p), int(expr.q))))
    if isinstance(expr, sp.MatAdd | ArrayAdd):
        return ("add", *(from_sympy(term) for term in expr.args))
    if isinstance(expr, sp.MatMul):
        factors = list(expr.args)
        if factors and factors[0] == -1:
            rest = factors[1:]
            inner = from_sympy(rest[0]) if len(rest) == 1 else ("mul", *(from_sympy(f) for f in rest))
            return ("neg", inner)
        return ("mul", *(from_sympy(f) for f in factors))
    if isinstance(expr, PermuteDims) and isinstance(expr.expr, ArrayTensorProduct):
        return _outer(expr)
    if isinstance(expr, sp.ZeroMatrix):
        return ("num", "0")
    raise Unsupported(f"the derivative {expr} cannot be written in the grammar")


def _outer(expr: PermuteDims) -> Tree:
    """`u ⊗ v` laid out as a matrix: `u v^T` or `v u^T`, by where the two long axes land."""
    factors = list(expr.expr.args)
    scalars = [f for f in factors if not hasattr(f, "shape")]
    vectors = [f for f in factors if hasattr(f, "shape")]
    if len(vectors) != 2 or any(v.shape[1] != 1 for v in vectors):
        raise Unsupported(f"the derivative {expr} cannot be written in the grammar")
    order = expr.permutation.array_form
    first, second = vectors if order.index(0) < order.index(2) else vectors[::-1]
    outer: Tree = ("mul", from_sympy(first), ("T", from_sympy(second)))
    coefficient = reduce(lambda a, b: a * b, scalars, sp.Integer(1))
    return outer if coefficient == 1 else ("mul", from_sympy(sp.nsimplify(coefficient)), *outer[1:])


def _matrix_gradient(tree: Tree, variable: str, table: tuple[SymbolData, ...]) -> Tree:
    symbols = {name: sp.MatrixSymbol(name, _dim(rows), _dim(cols)) for name, rows, cols, _, _ in table}
    function = to_sympy(tree, symbols)
    gradient = function.diff(symbols[variable])
    if not isinstance(gradient, sp.MatrixExpr):
        gradient = convert_array_to_matrix(gradient)
    symmetric = {sp.Transpose(symbols[name]): symbols[name] for name, _, _, sym, _ in table if sym}
    if symmetric:
        gradient = gradient.xreplace(symmetric).doit()
    return from_sympy(gradient)


def _entrywise(tree: Tree, values: dict[str, sp.Matrix]) -> Any:
    op = tree[0]
    if op == "sym":
        return values[tree[1]]
    if op == "num":
        return sp.Rational(str(Fraction(tree[1])))
    args = [_entrywise(child, values) for child in tree[1:]]
    if op == "neg":
        return -args[0]
    if op == "add":
        return reduce(add, args)
    if op == "mul":
        return reduce(lambda a, b: a * b, args)
    if op == "T":
        return args[0].T
    if op == "softmax":
        exps = args[0].applyfunc(sp.exp)
        return exps / sum(exps)
    if op == "log":
        return args[0].applyfunc(sp.log)
    if op == "ce":
        probabilities, target = args
        return -sum(t * sp.log(p) for t, p in zip(target, probabilities, strict=True))
    if op == "norm2":
        return sum(v**2 for v in args[0])
    raise Unsupported(f"{op} is not supported next to softmax")


def _elementwise_gradient(tree: Tree, variable: str, table: tuple[SymbolData, ...]) -> Tree:
    if any(rows != table[0][1] or cols != "1" for _, rows, cols, _, _ in table):
        raise Unsupported("softmax and cross-entropy are differentiated for vectors of one length only")
    values = {
        name: sp.Matrix([sp.Symbol(f"{name}{i}", real=True) for i in range(ENTRIES)]) for name, *_ in table
    }
    function = _entrywise(tree, values)
    function = function[0, 0] if isinstance(function, sp.MatrixBase) else function
    z = values[variable]
    total = sp.Symbol("total", positive=True)
    soft = [sp.Symbol(f"s{i}") for i in range(ENTRIES)]
    one_hot = [name for name, *_, hot in table if hot]
    basis = {"softmax": soft, variable: list(z), **{name: list(values[name]) for name, *_ in table}}
    coefficients: dict[str, sp.Expr] | None = None
    for i in range(ENTRIES):
        entry = sp.diff(function, z[i]).subs({sp.exp(z[j]): soft[j] * total for j in range(ENTRIES)})
        other = (i + 1) % ENTRIES  # sums to one: write one other entry through the rest
        rules = {soft[other]: 1 - sum(soft) + soft[other]}
        for name in one_hot:
            entries = values[name]
            rules[entries[other]] = 1 - sum(entries) + entries[other]
        entry = sp.simplify(sp.simplify(entry).subs(rules))
        found = _linear_in(entry, {key: vector[i] for key, vector in basis.items()})
        if coefficients is not None and found != coefficients:
            raise Unsupported("the gradient is not a fixed combination of the vectors")
        coefficients = found
    assert coefficients is not None
    terms: list[Tree] = []
    for key, coefficient in coefficients.items():
        direction: Tree = ("softmax", ("sym", variable)) if key == "softmax" else ("sym", key)
        terms.append(_scaled(coefficient, direction))
    return terms[0] if len(terms) == 1 else ("add", *terms)


def _linear_in(entry: sp.Expr, atoms: dict[str, sp.Symbol]) -> dict[str, sp.Expr]:
    expanded = sp.expand(entry)
    coefficients = {key: expanded.coeff(atom) for key, atom in atoms.items()}
    rest = sp.simplify(expanded - sum(c * atoms[k] for k, c in coefficients.items()))
    if rest != 0 or any(not c.is_number for c in coefficients.values()):
        raise Unsupported(f"the gradient entry {entry} is not a combination of the vectors")
    return {key: c for key, c in coefficients.items() if c != 0}


def _scaled(coefficient: sp.Expr, vector: Tree) -> Tree:
    value = Fraction(str(sp.nsimplify(coefficient)))
    if value == 1:
        return vector
    if value == -1:
        return ("neg", vector)
    if value < 0:
        return ("neg", ("mul", ("num", str(-value)), vector))
    return ("mul", ("num", str(value)), vector)


INNER, SLOPE = "u#", "δ#"  # the softmax's argument, and the gradient with respect to it


def _softmax_arguments(tree: Tree) -> list[Tree]:
    found = [tree[1]] if tree[0] == "softmax" else []
    for child in tree[1:]:
        if isinstance(child, tuple):
            found += _softmax_arguments(child)
    return found


def _replace(tree: Tree, old: Tree, new: Tree) -> Tree:
    if tree == old:
        return new
    if tree[0] in ("sym", "num"):
        return tree
    return (tree[0], *(_replace(child, old, new) for child in tree[1:]))


def _through_softmax(tree: Tree, variable: str, table: tuple[SymbolData, ...]) -> Tree:
    """The chain rule through the softmax's argument u(v) (`W x + b`): ∇_v f = ∇_v (δᵀ u) with δ = ∇_u f."""
    arguments = set(_softmax_arguments(tree))
    if len(arguments) != 1:
        raise Unsupported("only one softmax (of one argument) is supported")
    inner = arguments.pop()
    symbols = {name: sp.MatrixSymbol(name, _dim(rows), _dim(cols)) for name, rows, cols, _, _ in table}
    rows = to_sympy(inner, symbols).shape[0]
    length = str(rows)
    outer_tree = _replace(tree, inner, ("sym", INNER))
    outer_names = _names(outer_tree)
    outer_table = (*(t for t in table if t[0] in outer_names), (INNER, length, "1", False, False))
    slope = _elementwise_gradient(outer_tree, INNER, outer_table)
    linear = ("mul", ("T", ("sym", SLOPE)), inner)
    chained = _matrix_gradient(linear, variable, (*table, (SLOPE, length, "1", False, False)))
    return _replace(chained, ("sym", SLOPE), _replace(slope, ("sym", INNER), inner))


def _names(tree: Tree) -> set[str]:
    if tree[0] == "sym":
        return {tree[1]}
    return set().union(*(_names(c) for c in tree[1:] if isinstance(c, tuple)))


def derive(tree: Tree, variable: str, table: tuple[SymbolData, ...]) -> Tree:
    """∇ of the scalar `tree` with respect to `variable`, in denominator layout (the variable's shape)."""
    if _uses(tree, ELEMENTWISE):
        if all(argument == ("sym", variable) for argument in _softmax_arguments(tree)):
            return _elementwise_gradient(tree, variable, table)
        return _through_softmax(tree, variable, table)
    return _matrix_gradient(tree, variable, table)


def handle(request: tuple[Any, ...]) -> tuple[str, Any]:
    """One request from the parent: `("derive", tree, variable, table)` → `("ok", tree)` or an error."""
    kind, tree, variable, table = request
    if kind != "derive":
        return ("error", f"unknown request {kind!r}")
    try:
        return ("ok", derive(tree, variable, table))
    except (
        Unsupported,
        sp.SympifyError,
        TypeError,
        ValueError,
        AttributeError,
        NotImplementedError,
    ) as error:
        return ("error", str(error)[:300])
