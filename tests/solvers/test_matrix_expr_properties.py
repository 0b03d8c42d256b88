"""The matrix-expression grammar: any text parses or raises a project error; a printed expression
parses back to an equivalent tree (the same tree once sums and products are flattened and numbers
multiplied out)."""

from __future__ import annotations

import contextlib
from fractions import Fraction

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from solvers.errors import ExamgraderError
from solvers.matrix_expr import Tree, parse_expression, parse_prefix
from solvers.matrix_expr_render import render

PROPERTY = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SYMBOLS = frozenset("AXWbwxyz")
_LEAF = st.sampled_from(sorted(SYMBOLS)).map(lambda s: ("sym", s)) | st.fractions(
    -20, 20, max_denominator=9
).map(lambda f: ("num", str(f)))


def _branches(inner: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    pairs = st.lists(inner, min_size=2, max_size=3)
    return st.one_of(
        pairs.map(lambda ts: ("add", *ts)),
        pairs.map(lambda ts: ("mul", *ts)),
        inner.map(lambda t: ("neg", t)),
        inner.map(lambda t: ("T", t)),
        inner.map(lambda t: ("tr", t)),
        inner.map(lambda t: ("log", t)),
        inner.map(lambda t: ("softmax", t)),
        st.tuples(inner, inner).map(lambda ts: ("ce", *ts)),
    )


_TREES = st.recursive(_LEAF, _branches, max_leaves=8)
# A squared norm does not nest inside another: added at the top or beside other terms only.
_EXPRESSIONS = _TREES | st.tuples(_TREES, _TREES).map(lambda ts: ("add", ("norm2", ts[0]), ts[1]))


def _canonical(tree: Tree) -> Tree:
    """Sums and products flattened, a product's numbers multiplied into one leading coefficient."""
    op = tree[0]
    if op == "sym":
        return tree
    if op == "num":
        return ("num", Fraction(tree[1]))
    if op == "neg":
        return _canonical(("mul", ("num", "-1"), tree[1]))
    children = [_canonical(child) for child in tree[1:]]
    if op == "add":
        flat = [t for c in children for t in (c[1:] if c[0] == "add" else (c,))]
        return flat[0] if len(flat) == 1 else ("add", *flat)
    if op == "mul":
        coefficient = Fraction(1)
        factors: list[Tree] = []
        for child in children:
            for factor in child[1:] if child[0] == "mul" else (child,):
                if factor[0] == "num":
                    coefficient *= factor[1]
                else:
                    factors.append(factor)
        if coefficient == 0:
            return ("num", Fraction(0))
        if not factors:
            return ("num", coefficient)
        parts = factors if coefficient == 1 else [("num", coefficient), *factors]
        return parts[0] if len(parts) == 1 else ("mul", *parts)
    return (op, *children)


@PROPERTY
@given(_EXPRESSIONS)
@example(("mul", ("sym", "A"), ("num", "-1")))  # was printed `A -1`, a difference
def test_a_printed_expression_parses_back_to_an_equivalent_tree(tree: Tree) -> None:
    text = render(tree)
    assert _canonical(parse_expression(text, SYMBOLS)) == _canonical(tree), text


@PROPERTY
@given(_EXPRESSIONS)
@example(("num", "1/2"))  # `(1/2)` read as 1 × 1/2, printed `1 (1/2)`, then `1 1 (1/2)`...
def test_printing_a_parsed_expression_is_stable(tree: Tree) -> None:
    once = render(parse_expression(render(tree), SYMBOLS))
    assert render(parse_expression(once, SYMBOLS)) == once


_PIECES = st.sampled_from(
    [
        *"AXWbwxyz()[]{}+-*/·×,'^_2T ",
        "||",
        "‖",
        "^T",
        "^{-1}",
        "^2",
        "_F",
        "_2",
        r"\top",
        r"\frac{1}{2}",
        r"\log",
        r"\cdot",
        r"\Vert",
        "tr",
        "trace",
        "softmax",
        "log",
        "CE",
        "ln",
        "the",
        "1.5",
        "0",
        "99999999999999",
    ]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=120)


@PROPERTY
@given(_TEXT)
def test_any_response_parses_or_raises_a_project_error(text: str) -> None:
    with contextlib.suppress(ExamgraderError):
        parse_expression(text, SYMBOLS)


@PROPERTY
@given(_TEXT, st.integers(0, 20))
def test_any_question_text_parses_a_prefix_or_raises_a_project_error(text: str, start: int) -> None:
    with contextlib.suppress(ExamgraderError):
        tree, end = parse_prefix(text, min(start, len(text)))
        assert 0 <= end <= len(text)
        assert tree[0] in {"sym", "num", "add", "neg", "mul", "T", "tr", "norm2", "softmax", "log", "ce"}
