"""Shapes of matrix expressions: the symbol table, and dimensions inferred by unification.

A symbol the question does not declare follows the usual convention: a lowercase letter is a
column vector, an uppercase letter a matrix, λ, α, β, γ, η and μ are scalars. Products, sums,
traces and transposes then fix which dimensions are equal (`x^T A x` makes A square).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import chain, count

from solvers.errors import InvalidQuestion
from solvers.matrix_expr import Tree

Dim = int | str
SCALAR_LETTERS = frozenset("λαβγημ")
_FRESH_NAMES = ("n", "m", "k", "p", "q", "r", "s", "t", "u", "v")


@dataclass(frozen=True)
class MatrixSymbol:
    """One symbol of a question: its dimensions and what the question says about it."""

    name: str
    rows: Dim
    cols: Dim
    symmetric: bool = False
    one_hot: bool = False
    definition: Tree | None = None  # p = softmax(z): a name for an expression, not a variable

    @property
    def is_vector(self) -> bool:
        return self.cols == 1

    def as_data(self) -> tuple[str, str, str, bool, bool]:
        return (self.name, str(self.rows), str(self.cols), self.symmetric, self.one_hot)


SymbolTable = tuple[MatrixSymbol, ...]


def lookup(table: SymbolTable, name: str) -> MatrixSymbol | None:
    return next((s for s in table if s.name == name), None)


class _Unifier:
    """Dimension variables joined by equalities, each class bound to at most one known dimension."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.value: dict[int, Dim] = {}
        self.ids = count()

    def fresh(self, value: Dim | None = None) -> int:
        var = next(self.ids)
        self.parent[var] = var
        if value is not None:
            self.value[var] = value
        return var

    def find(self, var: int) -> int:
        while self.parent[var] != var:
            self.parent[var] = self.parent[self.parent[var]]
            var = self.parent[var]
        return var

    def union(self, a: int, b: int, what: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        va, vb = self.value.get(ra), self.value.get(rb)
        if va is not None and vb is not None and va != vb:
            raise InvalidQuestion(f"the dimensions do not match in {what}: {va} vs {vb}")
        self.parent[rb] = ra
        if va is None and vb is not None:
            self.value[ra] = vb

    def known(self, var: int) -> Dim | None:
        return self.value.get(self.find(var))


Pair = tuple[int, int]


class _Inference:
    def __init__(self, declared: dict[str, tuple[Dim, Dim]]) -> None:
        self.unifier = _Unifier()
        self.one = self.unifier.fresh(1)
        self.declared = declared
        self.shapes: dict[str, Pair] = {}

    def symbol(self, name: str) -> Pair:
        if name not in self.shapes:
            fresh = self.unifier.fresh
            if name in self.declared:
                rows, cols = self.declared[name]
                self.shapes[name] = (fresh(rows), fresh(cols))
            elif name in SCALAR_LETTERS:
                self.shapes[name] = (self.one, self.one)
            elif name[0].islower():
                self.shapes[name] = (fresh(), self.one)
            else:
                self.shapes[name] = (fresh(), fresh())
        return self.shapes[name]

    def scalar(self, pair: Pair) -> bool:
        return all(self.unifier.known(v) == 1 for v in pair)

    def shape(self, tree: Tree) -> Pair:
        op = tree[0]
        unify = self.unifier.union
        if op == "sym":
            return self.symbol(tree[1])
        if op == "num":
            return (self.one, self.one)
        if op == "neg":
            return self.shape(tree[1])
        if op == "T":
            rows, cols = self.shape(tree[1])
            return (cols, rows)
        if op == "add":
            first, *rest = (self.shape(child) for child in tree[1:])
            for other in rest:
                unify(first[0], other[0], "a sum")
                unify(first[1], other[1], "a sum")
            return first
        if op == "mul":
            current = self.shape(tree[1])
            for child in tree[2:]:
                following = self.shape(child)
                if self.scalar(current):
                    current = following
                elif not self.scalar(following):
                    unify(current[1], following[0], "a product")
                    current = (current[0], following[1])
            return current
        if op == "tr":
            rows, cols = self.shape(tree[1])
            unify(rows, cols, "a trace")
            return (self.one, self.one)
        if op == "norm2":
            self.shape(tree[1])
            return (self.one, self.one)
        if op in ("softmax", "log"):
            rows, cols = self.shape(tree[1])
            unify(cols, self.one, op)
            return (rows, cols)
        if op == "ce":
            probabilities, target = self.shape(tree[1]), self.shape(tree[2])
            unify(probabilities[0], target[0], "the cross-entropy")
            unify(probabilities[1], self.one, "the cross-entropy")
            unify(target[1], self.one, "the cross-entropy")
            return (self.one, self.one)
        raise InvalidQuestion(f"unsupported operation {op!r}")


def infer_symbols(
    tree: Tree,
    variable: str,
    declared: dict[str, tuple[Dim, Dim]],
    symmetric: frozenset[str] = frozenset(),
    one_hot: frozenset[str] = frozenset(),
) -> tuple[SymbolTable, tuple[Dim, Dim]]:
    """Every symbol of `tree` with its dimensions, and the shape of `tree` itself."""
    inference = _Inference(declared)
    inference.symbol(variable)
    result = inference.shape(tree)
    unifier = inference.unifier
    taken = {str(d) for dims in declared.values() for d in dims}
    first = inference.shapes[variable]
    preferred = ("m", "n") if unifier.known(first[1]) != 1 else ("n",)
    spare = (f"d{i}" for i in count(1))
    names = (name for name in chain(dict.fromkeys((*preferred, *_FRESH_NAMES)), spare) if name not in taken)
    order = [variable, *sorted(n for n in inference.shapes if n != variable)]
    for name in order:
        for var in inference.shapes[name]:
            root = unifier.find(var)
            if root not in unifier.value:
                unifier.value[root] = next(names)
    table = tuple(
        MatrixSymbol(
            name,
            unifier.value[unifier.find(inference.shapes[name][0])],
            unifier.value[unifier.find(inference.shapes[name][1])],
            symmetric=name in symmetric,
            one_hot=name in one_hot,
        )
        for name in sorted(inference.shapes)
    )
    for item in table:
        if item.symmetric and item.rows != item.cols:
            raise InvalidQuestion(f"{item.name} is said to be symmetric but is {item.rows} × {item.cols}")
    shape = (unifier.value[unifier.find(result[0])], unifier.value[unifier.find(result[1])])
    return table, shape


def with_flags(table: SymbolTable, symmetric: frozenset[str]) -> SymbolTable:
    """The same symbols, with the square matrices in `symmetric` marked symmetric."""
    return tuple(replace(s, symmetric=True) if s.name in symmetric and s.rows == s.cols else s for s in table)


def answer_shape(symbol: MatrixSymbol) -> list[Dim]:
    """The gradient's shape as `gradient_shape` reports it: `["n"]` for a vector, `["m", "n"]` for a matrix."""
    return [symbol.rows] if symbol.is_vector else [symbol.rows, symbol.cols]
