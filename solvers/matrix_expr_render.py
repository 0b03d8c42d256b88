"""Matrix-expression trees written out for people (`(A + A^T) x`) and in LaTeX, plus the small
rewrites that make a derived gradient read like a textbook one (a common right factor pulled out)."""

from __future__ import annotations

from fractions import Fraction

from solvers.matrix_expr import Tree

_NAMES = {"tr": "tr", "softmax": "softmax", "log": "log", "ce": "CE"}
_LATEX_NAMES = {"tr": r"\operatorname{tr}", "softmax": r"\operatorname{softmax}", "log": r"\log", "ce": "CE"}


def _factors(tree: Tree) -> list[Tree]:
    return list(tree[1:]) if tree[0] == "mul" else [tree]


def _rebuild(factors: list[Tree]) -> Tree:
    return factors[0] if len(factors) == 1 else ("mul", *factors)


def factor_right(tree: Tree) -> Tree:
    """`A x + A^T x - b` → `(A + A^T) x - b`: terms sharing their last factor are grouped."""
    if tree[0] != "add":
        return tree
    groups: dict[Tree, list[Tree]] = {}
    order: list[Tree] = []
    for term in tree[1:]:
        negative = term[0] == "neg"
        factors = _factors(term[1] if negative else term)
        key = factors[-1] if len(factors) > 1 else term
        if key not in groups:
            order.append(key)
        rest = _rebuild(factors[:-1]) if len(factors) > 1 else term
        groups.setdefault(key, []).append(("neg", rest) if negative and len(factors) > 1 else rest)
    terms: list[Tree] = []
    for key in order:
        members = groups[key]
        if len(members) == 1:
            continue
        terms.append(_grouped(members, key))
    for term in tree[1:]:
        negative = term[0] == "neg"
        factors = _factors(term[1] if negative else term)
        key = factors[-1] if len(factors) > 1 else term
        if len(groups[key]) == 1:
            terms.append(term)
    return terms[0] if len(terms) == 1 else ("add", *terms)


def positive_first(tree: Tree) -> Tree:
    """`-y + X w` → `X w - y`, all the way down."""
    if tree[0] in ("sym", "num"):
        return tree
    children = [positive_first(child) for child in tree[1:]]
    if tree[0] == "T" and children[0][0] == "T":
        inner: Tree = children[0][1]
        return inner  # (A^T)^T = A
    if tree[0] == "add":
        children.sort(key=lambda term: term[0] == "neg")
    return (tree[0], *children)


def tidy(tree: Tree) -> Tree:
    """A derived gradient as a textbook writes it."""
    return positive_first(factor_right(combine_like_terms(positive_first(tree))))


def _grouped(members: list[Tree], key: Tree) -> Tree:
    """`(c A + c B) x` → `c (A + B) x` when every member has the same leading number."""
    leads = {m[1] if m[0] == "mul" and m[1][0] == "num" else None for m in members}
    lead = leads.pop() if len(leads) == 1 else None
    if lead is None:
        return ("mul", ("add", *members), key)
    rest = [_rebuild(list(m[2:])) for m in members]
    return ("mul", lead, ("add", *rest), key)


def combine_like_terms(tree: Tree) -> Tree:
    """`u + u` → `2 u`, all the way down."""
    if tree[0] in ("sym", "num"):
        return tree
    children = [combine_like_terms(child) for child in tree[1:]]
    if tree[0] != "add":
        return (tree[0], *children)
    counts: dict[Tree, int] = {}
    for child in children:
        counts[child] = counts.get(child, 0) + 1
    terms = [child if n == 1 else ("mul", ("num", str(n)), *_factors(child)) for child, n in counts.items()]
    return terms[0] if len(terms) == 1 else ("add", *terms)


def _number(value: str, latex: bool) -> str:
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return str(fraction.numerator)
    if latex:
        return rf"\frac{{{fraction.numerator}}}{{{fraction.denominator}}}"
    return f"({fraction.numerator}/{fraction.denominator})"


def _negative_number(tree: Tree) -> bool:
    return tree[0] == "num" and Fraction(tree[1]) < 0


def _wrap(text: str) -> str:
    return f"({text})"


def render(tree: Tree, latex: bool = False) -> str:
    """The expression as a person writes it: `2 X^T (X w - y)`, or `2 X^\\top (X w - y)` in LaTeX."""
    op = tree[0]
    if op == "sym":
        return str(tree[1])
    if op == "num":
        return _number(tree[1], latex)
    if op == "neg":
        inner = tree[1]
        text = render(inner, latex)
        return f"-{_wrap(text)}" if inner[0] == "add" else f"-{text}"
    if op == "add":
        pieces = [render(tree[1], latex)]
        for term in tree[2:]:
            if term[0] == "neg":
                inner = render(term[1], latex)
                pieces.append(f"- {_wrap(inner) if term[1][0] == 'add' else inner}")
            else:
                pieces.append(f"+ {render(term, latex)}")
        return " ".join(pieces)
    if op == "mul":  # `A (-1)`, not `A -1` (which reads as a difference)
        return " ".join(
            _wrap(render(f, latex)) if f[0] in ("add", "neg") or _negative_number(f) else render(f, latex)
            for f in tree[1:]
        )
    if op == "T":
        inner = tree[1]
        text = render(inner, latex)
        if inner[0] not in ("sym",):
            text = _wrap(text)
        return text + (r"^\top" if latex else "^T")
    if op == "norm2":
        body = render(tree[1], latex)
        return rf"\|{body}\|^2" if latex else f"||{body}||^2"
    names = _LATEX_NAMES if latex else _NAMES
    return f"{names[op]}({', '.join(render(child, latex) for child in tree[1:])})"
