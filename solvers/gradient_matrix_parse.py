"""Reading a gradient question: the scalar function, the variable, and what the question says about
the symbols (dimensions, symmetric matrices, one-hot targets).

Works on normalised text (`solvers.normalize`), tidied by `prepare`. The function is found where
questions put it (`f(x) = …`, after `∇_x` or `∂/∂x`, after "the gradient of") and read by the
grammar of `solvers.matrix_expr`; the softmax cross-entropy may be named in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.errors import InvalidQuestion, NotUnderstood, ResponseFormatError
from solvers.gradient_shape_text import REAL, real_dims
from solvers.matrix_expr import Tree, parse_prefix, symbols_of
from solvers.matrix_expr_shapes import Dim, MatrixSymbol, SymbolTable, infer_symbols, lookup

_PREPARE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, flags), replacement)
    for pattern, replacement, flags in (
        (r"\\(?:mathbf|boldsymbol|bm|mathrm|vec|hat)\s*([A-Za-z])", r"\1", 0),
        (r"\\[dt]?frac\s*\{\s*∂\s*([^{}]{0,12}?)\s*\}\s*\{\s*∂\s*([^{}]{1,12}?)\s*\}", r"∂\1/∂\2", 0),
        (r"_\s*\{\s*([^{}]{1,12}?)\s*\}", r"_\1", 0),
        (r"∂\s*\(([^()]{1,40})\)\s*/\s*∂\s*([A-Za-z])(?![A-Za-z])", r"∂/∂\2 (\1)", 0),  # ∂(aᵀx)/∂x
        (r"\bw\s*\.\s*r\s*\.\s*t\b\.?|\bwrt\b", "with respect to", re.IGNORECASE),
        # −Σ_i y_i log p_i, with p a name or softmax(z)
        (
            r"(?:\\sum|Σ|∑)\s*_?i?\s*([A-Za-z])_i\s*(?:\\log|log)\s*(\w|softmax\s*\(\s*\w\s*\))\s*_?i?\b",
            r"\1^T log(\2)",
            0,
        ),
        (r"\\(?:quad|qquad|,|;)", " ", 0),
    )
)
_FUNCTION_LETTERS = frozenset("fLJℓEFgh")
_DEFINITION = re.compile(r"(?<![A-Za-z])[fLJℓEFgh]\s*(?:\(\s*([^()=]{1,20})\))?\s*(?::=|=)\s*")
_OPERATOR = re.compile(
    r"∇\s*_?\s*([A-Za-z])\s*|∂\s*/\s*∂\s*([A-Za-z])\s*|\bd\s*/\s*d([A-Za-z])\s*"
    r"|\b(?:gradients?|derivatives?|differentiate|derive)\s+(?:of\s+)?(?:the\s+)?"
    r"(?:(?:scalar\s+|quadratic\s+|least[- ]squares\s+)?(?:function|expression|loss|objective|form|term)\s+)?",
    re.IGNORECASE,
)
_VARIABLE = re.compile(
    r"∇\s*_?\s*([A-Za-z])(?![A-Za-z])|∂\s*[A-Za-zℓ]?\s*/\s*∂\s*([A-Za-z])(?![A-Za-z])"
    r"|\bd\s*/\s*d([A-Za-z])\b|with respect to (?:the )?(?:[a-z-]+ ){0,2}?([A-Za-z])\b"
    r"|\blogits? ([a-z])\b",
)
# "A is symmetric", "let A ∈ R^{n×n} be symmetric", "a symmetric matrix A", "A = A^T"
_SYMMETRIC = re.compile(
    r"\b([A-Z])\s+(?:∈\s*[^\s,;.]{1,20}\s+)?(?:is\s+|be\s+)?(?:a\s+)?(?:\w+\s+){0,2}?symmetric\b|\bsymmetric\s+(?:[\w-]+\s+){0,4}?([A-Z])\b"
    r"|\b([A-Z])\s*=\s*\1\s*\^\s*T\b"
)
_ONE_HOT = re.compile(r"\bone[- ]hot\s+(?:[\w-]+\s+){0,3}?([a-z])\b|\b([a-z])\s+is\s+(?:a\s+)?one[- ]hot\b")
_DECLARATION = re.compile(rf"(?<![A-Za-z\\])([A-Za-z](?:_\d{{1,3}})?)\s*∈\s*{REAL}")
_ALIAS = re.compile(r"(?<![A-Za-z\\])([A-Za-zŷ])\s*=\s*(?=softmax\s*\()")
_CROSS_ENTROPY = re.compile(r"cross[- ]?entropy", re.IGNORECASE)
_TARGET = re.compile(
    r"\b(?:one[- ]hot|label|target|true)\s+(?:label\s+|target\s+|class\s+)?(?:vector\s+)?([a-z])\b"
)


@dataclass(frozen=True)
class GradientProblem:
    function: Tree
    variable: str
    table: SymbolTable
    stated_symmetric: frozenset[str]
    notes: tuple[str, ...] = ()


def prepare(text: str) -> str:
    for pattern, replacement in _PREPARE:
        text = pattern.sub(replacement, text)
    return text


def _function_candidates(text: str) -> list[tuple[int, Tree, str | None]]:
    """Expressions the grammar reads where a function is usually written, in text order, with the
    argument named in a definition `f(x) = …`."""
    found: list[tuple[int, Tree, str | None]] = []
    starts = [(m.end(), (m.group(1) or "").strip() or None) for m in _DEFINITION.finditer(text)]
    starts += [(m.end(), None) for m in _OPERATOR.finditer(text)]
    for start, argument in sorted(starts, key=lambda s: s[0]):
        try:
            tree, _ = parse_prefix(text, start)
        except ResponseFormatError:
            continue
        names = symbols_of(tree)
        if names and not names & _FUNCTION_LETTERS and tree[0] != "sym":
            found.append((start, tree, argument if argument and len(argument) == 1 else None))
    return found


def _variables(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _VARIABLE.finditer(text)]


def _declared(text: str) -> dict[str, tuple[Dim, Dim]]:
    declared: dict[str, tuple[Dim, Dim]] = {}
    for match in _DECLARATION.finditer(text):
        dims = real_dims(match, 2)
        if dims is None or len(dims) > 2:
            continue
        if not dims:
            declared[match.group(1)] = (1, 1)  # x ∈ R: a scalar
        else:
            declared[match.group(1)] = (dims[0], dims[1] if len(dims) == 2 else 1)
    return declared


def _named(pattern: re.Pattern[str], text: str) -> frozenset[str]:
    return frozenset(next(g for g in m.groups() if g) for m in pattern.finditer(text))


def _cross_entropy(text: str, variables: list[str]) -> Tree | None:
    if not (_CROSS_ENTROPY.search(text) and re.search(r"softmax", text, re.IGNORECASE)):
        return None
    logits = next(iter(variables), "z")
    if not logits.islower():  # the gradient with respect to a weight matrix is not the logits' one
        return None
    target = _TARGET.search(text)
    label = target.group(1) if target and target.group(1) != logits else "y"
    return ("ce", ("softmax", ("sym", logits)), ("sym", label))


def _aliases(text: str) -> dict[str, Tree]:
    """Names given to a softmax: `p = softmax(z)`, `ŷ = softmax(z)`."""
    found: dict[str, Tree] = {}
    for match in _ALIAS.finditer(text):
        try:
            tree, _ = parse_prefix(text, match.end())
        except ResponseFormatError:
            continue
        if tree[0] == "softmax" and tree[1][0] == "sym" and tree[1][1] != match.group(1):
            found[match.group(1)] = tree
    return found


def _substitute(tree: Tree, aliases: dict[str, Tree]) -> Tree:
    if tree[0] == "sym":
        return aliases.get(tree[1], tree)
    if tree[0] == "num":
        return tree
    return (tree[0], *(_substitute(child, aliases) for child in tree[1:]))


def read_problem(text: str) -> GradientProblem:
    """The gradient a question asks for; `NotUnderstood` when no function or variable is found."""
    text = prepare(text)
    variables = _variables(text)
    aliases = _aliases(text)
    candidates = [
        (start, _substitute(tree, aliases), argument)
        for start, tree, argument in _function_candidates(text)
        if tree[0] != "softmax" or not aliases
    ]
    notes: list[str] = []
    chosen: tuple[Tree, str] | None = None
    for _, tree, argument in candidates:
        names = symbols_of(tree)
        wanted = [v for v in variables if v in names] or ([argument] if argument in names else [])
        if wanted:
            chosen = (tree, wanted[0])
            break
    if chosen is None:
        ce_tree = _cross_entropy(text, variables)
        if ce_tree is not None:
            chosen = (ce_tree, ce_tree[1][1][1])
    if chosen is None:
        if candidates:
            raise NotUnderstood("say with respect to which variable the gradient is taken, e.g. ∇_x")
        raise NotUnderstood("no function to differentiate was found; write it like f(x) = x^T A x")
    tree, variable = chosen
    one_hot = _named(_ONE_HOT, text)
    if _uses_softmax(tree):
        targets = _outside_softmax(tree) - {variable}
        if not one_hot & targets:
            notes.append(
                f"{', '.join(sorted(targets))} is taken to be a one-hot label (its entries sum to 1)."
            )
        one_hot = one_hot | targets
    symmetric = _named(_SYMMETRIC, text)
    table, shape = infer_symbols(tree, variable, _declared(text), symmetric, one_hot)
    if shape != (1, 1):
        raise InvalidQuestion(
            f"the function is {shape[0]} × {shape[1]}, not a scalar: its derivative is a Jacobian, "
            "not a gradient"
        )
    variable_symbol = lookup(table, variable)
    if variable_symbol is None or variable_symbol.rows == 1 == variable_symbol.cols:
        raise NotUnderstood(
            f"{variable} is a scalar; this solver takes gradients with respect to vectors and matrices"
        )
    stated = frozenset(s.name for s in table if s.symmetric)
    table = _with_aliases(table, aliases)
    return GradientProblem(tree, variable, table, stated, tuple(notes))


def _with_aliases(table: SymbolTable, aliases: dict[str, Tree]) -> SymbolTable:
    """The table plus each alias of a softmax whose argument is in it, shaped like that argument."""
    extra = []
    for name, definition in aliases.items():
        argument = lookup(table, definition[1][1])
        if argument is not None and lookup(table, name) is None:
            extra.append(MatrixSymbol(name, argument.rows, argument.cols, definition=definition))
    return tuple(sorted((*table, *extra), key=lambda s: s.name))


def _outside_softmax(tree: Tree) -> set[str]:
    """The symbols not inside a softmax: in −yᵀ log softmax(W x), the target y."""
    if tree[0] == "sym":
        return {tree[1]}
    if tree[0] in ("num", "softmax"):
        return set()
    return set().union(*(_outside_softmax(child) for child in tree[1:]))


def _uses_softmax(tree: Tree) -> bool:
    return tree[0] in ("softmax", "ce") or any(isinstance(c, tuple) and _uses_softmax(c) for c in tree[1:])
