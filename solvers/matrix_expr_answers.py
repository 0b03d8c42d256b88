"""Matrix expressions as answers: reading one from a response and comparing two by value."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from solvers.matrix_expr import Tree, parse_expression
from solvers.matrix_expr_numeric import Comparison, EvaluationError, compare_trees
from solvers.matrix_expr_shapes import MatrixSymbol, SymbolTable


def symbol_table(context: tuple[Any, ...]) -> SymbolTable:
    return tuple(item for item in context if isinstance(item, MatrixSymbol))


@lru_cache(maxsize=4096)
def _parsed(text: str, names: frozenset[str]) -> Tree:
    return parse_expression(text, names)


def read_expression(text: str, context: tuple[Any, ...]) -> str:
    """`text` when the grammar reads it whole; `ResponseFormatError` (with the offset) otherwise."""
    names = frozenset(s.name for s in symbol_table(context))
    _parsed(text.strip(), names)
    return text.strip()


def compare_expressions(expected: str, given: str, context: tuple[Any, ...]) -> Comparison:
    """Is `given` the same matrix function as `expected`, judged on seeded random matrices?"""
    table = symbol_table(context)
    names = frozenset(s.name for s in table)
    try:
        return compare_trees(_parsed(expected.strip(), names), _parsed(given.strip(), names), table)
    except EvaluationError as problem:
        return Comparison(False, str(problem))
