"""Known mistakes in matrix gradients, found by re-running the derivation with a wrong step:
A taken as symmetric, one term of the product rule dropped, the layout transposed, a transpose
lost inside, a term or the sign of the answer lost."""

from __future__ import annotations

from collections.abc import Iterator

from solvers.base import Variant
from solvers.gradient_matrix_parse import GradientProblem
from solvers.gradient_matrix_worker import derive_gradient
from solvers.matrix_expr import Tree
from solvers.matrix_expr_answers import compare_expressions
from solvers.matrix_expr_render import render, tidy
from solvers.matrix_expr_shapes import MatrixSymbol, with_flags

FROZEN_SUFFIX = "_0"  # an occurrence of the variable held constant: x_0


def _rename(tree: Tree, old: str, new: str) -> Tree:
    if tree[0] == "sym":
        return ("sym", new) if tree[1] == old else tree
    if tree[0] == "num":
        return tree
    return (tree[0], *(_rename(child, old, new) for child in tree[1:]))


def _freeze_occurrence(tree: Tree, variable: str, which: int) -> tuple[Tree, int]:
    """`tree` with the `which`-th occurrence of `variable` renamed; also how many there are."""
    seen = 0

    def walk(node: Tree) -> Tree:
        nonlocal seen
        if node[0] == "sym" and node[1] == variable:
            seen += 1
            return ("sym", variable + FROZEN_SUFFIX) if seen - 1 == which else node
        if node[0] in ("sym", "num"):
            return node
        return (node[0], *(walk(child) for child in node[1:]))

    frozen = walk(tree)
    return frozen, seen


def _without_transposes(tree: Tree) -> Tree:
    if tree[0] == "T":
        return _without_transposes(tree[1])
    if tree[0] in ("sym", "num"):
        return tree
    return (tree[0], *(_without_transposes(child) for child in tree[1:]))


def _square_matrices(problem: GradientProblem) -> list[str]:
    return [
        s.name
        for s in problem.table
        if s.rows == s.cols and not s.is_vector and s.name != problem.variable and not s.symmetric
    ]


def _norms_as_products(tree: Tree) -> Tree:
    """`||u||^2` → `tr(u^T u)`, so that each factor of the square is an occurrence of its own."""
    if tree[0] in ("sym", "num"):
        return tree
    children = [_norms_as_products(child) for child in tree[1:]]
    if tree[0] == "norm2":
        return ("tr", ("mul", ("T", children[0]), children[0]))
    return (tree[0], *children)


def _one_term_gradients(problem: GradientProblem) -> Iterator[Tree]:
    variable = problem.variable
    function = _norms_as_products(problem.function)
    _, count = _freeze_occurrence(function, variable, -1)
    if count < 2:
        return
    symbol = next(s for s in problem.table if s.name == variable)
    frozen_symbol = MatrixSymbol(variable + FROZEN_SUFFIX, symbol.rows, symbol.cols)
    table = tuple(sorted((*problem.table, frozen_symbol), key=lambda s: s.name))
    for which in (0, count - 1):
        frozen, _ = _freeze_occurrence(function, variable, which)
        gradient = derive_gradient(frozen, variable, table)
        yield _rename(gradient, variable + FROZEN_SUFFIX, variable)


def _candidates(problem: GradientProblem, gradient: Tree) -> Iterator[tuple[str, Tree, str]]:
    v = problem.variable
    squares = _square_matrices(problem)
    if squares:
        names = " and ".join(squares)
        table = with_flags(problem.table, frozenset(squares))
        yield (
            "symmetric_assumed",
            derive_gradient(problem.function, v, table),
            f"that is the gradient only when {names} is symmetric ({squares[0]}^T = {squares[0]}); "
            f"the question does not say so, so {squares[0]} and {squares[0]}^T both stay.",
        )
    for wrong in _one_term_gradients(problem):
        yield (
            "product_rule_term_dropped",
            wrong,
            f"{v} appears more than once, and the product rule gives one term for each occurrence; "
            "this keeps only one of them (a factor of 2 or a transposed term is missing).",
        )
    yield (
        "layout_transposed",
        ("T", tidy(gradient)),
        f"this is the transpose of the gradient: in the denominator layout used here the gradient has "
        f"the shape of {v} (entry i, j is ∂f/∂{v}_ij).",
    )
    yield (
        "transpose_dropped",
        _without_transposes(gradient),
        "a transpose is missing: the chain rule brings in the transposed matrix (Xᵀ, Aᵀ) to map back "
        f"to the shape of {v}.",
    )
    tidied = tidy(gradient)
    if tidied[0] == "add":
        for kept in tidied[1:]:
            yield (
                "term_dropped",
                kept,
                "a term of the gradient is missing (for the softmax cross-entropy: softmax(z) − y "
                "has both the predicted probabilities and the target).",
            )
    yield ("sign_flipped", ("neg", gradient), "the sign is flipped: this is the negative gradient.")


def find_variants(problem: GradientProblem, gradient: Tree) -> list[Variant]:
    """Mistakes that give a well-formed answer different from the right one (and from each other)."""
    context = problem.table
    right = render(tidy(gradient))
    found: list[Variant] = []
    for code, tree, feedback in _candidates(problem, gradient):
        text = render(tidy(tree))
        if not compare_expressions(text, text, context).equal:
            continue  # the mistake gives no matrix of the right kind at all
        if compare_expressions(right, text, context).equal:
            continue
        if any(compare_expressions(v.answer["gradient"], text, context).equal for v in found):  # type: ignore[arg-type]
            continue
        found.append(Variant(code, feedback, {"gradient": text}))
    return found
