"""Variables and their shapes as a question declares them: `W ∈ R^{3×4}`, "W has shape (3, 4)",
"a 3-by-4 matrix W", "X has 3 rows and 4 columns", "a 10-dimensional vector x", "256 outputs",
and the numbers given for dimension symbols (`d = 784`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.gradient_shape_functions import Functions
from solvers.gradient_shape_text import (
    DIM,
    NAME,
    PROSE_STOP,
    REAL,
    Dims,
    Spans,
    canonical_name,
    clause_end,
    clause_start,
    names_in,
    read_dim,
    read_dims,
    real_dims,
)


@dataclass(frozen=True)
class Declaration:
    name: str  # a variable name, or a role ("weight", "bias", ...) when the text names none
    dims: Dims


_SEP = r"\s*(?:×|(?<=\s)x(?=\s)|(?<=\d)x(?=\d|\s)|(?<=[A-Za-z])x(?=\d)|-?\s*\bby\b\s*-?)\s*"
_NOUNS = r"matrix|matrices|vectors?|tensors?|arrays?"
_MEMBER = re.compile(rf"(?<![A-Za-z0-9_\\(])({NAME}(?:\s*,\s*{NAME})*)\s*∈\s*{REAL}")
_CHAIN = re.compile(rf"(?<![A-Za-z0-9_^.])({DIM}(?:{_SEP}{DIM})+)(?![A-Za-z0-9_(])")
_TUPLE = re.compile(
    rf"(?:shape|size|dimensions?|dims?|(?:np|numpy|torch|tf)\.(?:random\.)?(?:randn|rand|zeros|ones|empty|normal)(?=\())"
    rf"\s*(?:of\s+|is\s+|=+\s*|:\s*)?[(\[]\s*({DIM}(?:\s*,\s*{DIM})*)\s*,?\s*[)\]]",
    re.IGNORECASE,
)
_ROWS_COLS = re.compile(
    rf"\b({DIM})\s+rows?\s+(?:\([^()]{{0,40}}\)\s+)?and\s+({DIM})\s+col(?:umn)?s?\b", re.IGNORECASE
)  # "10000 rows (one per word) and 300 columns"
_VECTOR_PHRASES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b(?:of|with|has|having)\s+(?:an?\s+)?(?:length|dimension|dimensionality|size|dim)\s+"
        rf"(?:of\s+|=\s*|is\s+)?(?!a\b)({DIM})(?![A-Za-z0-9_]|\s*(?:×|\bx\b|\bby\b))",
        rf"(?<![A-Za-z0-9_.])({DIM})\s*-?\s*dim(?:ensional)?\b",
        rf"(?<![A-Za-z0-9_.])({DIM})\s*-\s*vector\b",
        rf"(?<![A-Za-z0-9_.])({DIM})\s+(?:entries|elements|components|features|coordinates|parameters|units|neurons)\b",
    )
)
_ROLE_COUNT = re.compile(
    rf"(?<![A-Za-z0-9_.])({DIM})\s+(inputs?|outputs?|(?:input|output|hidden)\s+(?:features|units|neurons)|classes)\b",
    re.IGNORECASE,
)
# A batch in words: "a mini-batch X of 64 examples with 128 features" is 64 × 128.
_BATCH = re.compile(
    rf"(?<![A-Za-z0-9_.])({DIM})\s+(?:examples|samples|data\s+points|instances|observations|inputs|images)\s+"
    rf"(?:with|of|each\s+(?:with|having)|having)\s+({DIM})\s+(?:features|dimensions|input\s+features|pixels)\b",
    re.IGNORECASE,
)
_CHAIN_CONTEXT_BEFORE = re.compile(
    r"(?:shape|size|dimensions?|dimensionality|\bis|\bare|\bbe|\bwas|\bwere|\bof|\bhas|\bhave|\bwith"
    r"|\bbeing|\bcontains?|:|\()\s*(?:of\s+|=\s*)?(?:an?\s+)?$"
    r"|(?<![A-Za-z0-9_])[A-Za-z](?:_\w{1,3})?\s+$",  # a name right before its shape: "and W 100x10"
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(rf"\s*(?:[A-Za-z-]+\s+){{0,2}}?(?:{_NOUNS})\b", re.IGNORECASE)
_NAME_AFTER = re.compile(
    rf"^\s*(?:(?:[A-Za-z-]+\s+){{0,2}}?(?:{_NOUNS})\s+(?:called\s+|named\s+|denoted\s+(?:by\s+)?)?)?({NAME})"
    rf"(?=\s*(?:[,.;:?)]|\band\b|\bof\b|\bwith\b|\bin\b|\bis\b|\bfor\b|$))"
)
_ROLE_WORD = re.compile(r"\b(weight|bias|input|output)(?:e?s)?\b", re.IGNORECASE)
_ROLE_REACH = 45
_LIST_GAP = re.compile(r"\s*(?:,\s*and|,|and|&)\s*")


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int
    dims: Dims
    role: str | None = None  # "256 outputs" says whose size it is


def _shape_phrases(text: str, spans: Spans) -> list[_Phrase]:
    phrases: list[_Phrase] = []

    def take(start: int, end: int, dims: Dims | None, role: str | None = None) -> None:
        if dims is not None and spans.free(start, end):
            phrases.append(_Phrase(start, end, dims, role))
            spans.add(start, end)

    for match in re.finditer(REAL, text):
        bare = match.group(1) is None and match.group(2) is None and match.group(3) is None
        if not bare or re.search(r"\bin\s*$", text[max(0, match.start() - 4) : match.start()]):
            take(match.start(), match.end(), real_dims(match, 1))
    for match in _TUPLE.finditer(text):
        take(match.start(1) - 1, match.end(), read_dims(match.group(1)))
    for match in _BATCH.finditer(text):
        take(match.start(), match.end(), (read_dim(match.group(1)), read_dim(match.group(2))))
    for match in _ROWS_COLS.finditer(text):
        take(match.start(), match.end(), (read_dim(match.group(1)), read_dim(match.group(2))))
    for match in _CHAIN.finditer(text):
        context_ok = _CHAIN_CONTEXT_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
        if context_ok or _NOUN_AFTER.match(text, match.end()):
            take(match.start(), match.end(), read_dims(match.group(1)))
    for match in _ROLE_COUNT.finditer(text):
        role = "input" if match.group(2).lower().startswith("input") else "output"  # hidden units: the output
        take(match.start(), match.end(), (read_dim(match.group(1)),), role)
    for pattern in _VECTOR_PHRASES:
        for match in pattern.finditer(text):
            take(match.start(), match.end(), (read_dim(match.group(1)),))
    return sorted(phrases, key=lambda p: p.start)


def _owner(text: str, phrase: _Phrase, functions: set[str], spans: Spans) -> list[str]:
    """Whose shape a phrase gives: a name right after ("a 3 × 4 matrix W"), else the nearest names
    or role word before it in the same clause ("W has shape (3, 4)", "X and Y are n × m matrices",
    "the inputs X ... are n x m")."""
    if phrase.role is not None:
        return [phrase.role]
    after = text[phrase.end : clause_end(text, phrase.end)]
    named = _NAME_AFTER.match(after)
    if named and named.group(1) not in PROSE_STOP and canonical_name(named.group(1)) not in functions:
        return [canonical_name(named.group(1))]
    clause = clause_start(text, phrase.start)
    names = [(n, i) for n, i in names_in(text, clause, phrase.start, spans) if n not in functions]
    roles = list(_ROLE_WORD.finditer(text, max(clause, phrase.start - _ROLE_REACH), phrase.start))
    if roles and (not names or roles[-1].start() > names[-1][1]):
        return [roles[-1].group(1).lower()]
    if names:
        owners = [names[-1]]
        for name, at in reversed(names[:-1]):  # "X and Y are ...", "w, x and z are ..."
            if not _LIST_GAP.fullmatch(text, at + len(name), owners[-1][1]):
                break
            owners.append((name, at))
        return [n for n, _ in reversed(owners)]
    role_after = _ROLE_WORD.search(after[:_ROLE_REACH])
    return [role_after.group(1).lower()] if role_after else []


def find_declarations(text: str, functions: Functions, spans: Spans) -> list[Declaration]:
    """Every variable shape the text states, in order; `f ∈ R^m` for a function `f` is recorded as
    its output in `functions` instead."""
    declarations: list[Declaration] = []
    for match in _MEMBER.finditer(text):
        dims = real_dims(match, 2)
        if dims is None or not spans.free(match.start(), match.end()):
            continue
        for name in re.split(r"\s*,\s*", match.group(1)):
            name = canonical_name(name)
            if name in functions.names:
                functions.outputs.setdefault(name, dims)
            else:
                declarations.append(Declaration(name, dims))
        spans.add(match.start(), match.end())
    for phrase in _shape_phrases(text, spans):
        for owner in _owner(text, phrase, functions.names, spans):
            declarations.append(Declaration(owner, phrase.dims))
    return declarations


_ASSIGNMENT = re.compile(r"(?<![A-Za-z0-9_^])([A-Za-z](?:_[A-Za-z0-9]+)?)\s*=\s*(\d{1,9})(?![\d.])")


def find_assignments(text: str) -> dict[str, int]:
    """`B = 32`, `d = 784`: numbers given for dimension symbols."""
    return {m.group(1): int(m.group(2)) for m in _ASSIGNMENT.finditer(text)}
