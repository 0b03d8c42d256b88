"""The vocabulary of gradient-shape questions: tidied text, variable names, dimensions, clauses.

The finders work on normalised text (see `solvers.normalize`), first tidied by `prepare`: LaTeX
fractions become `∂L/∂W`, braces around subscripts go and "w.r.t." is spelled out.
"""

from __future__ import annotations

import re

from solvers.shapes import Dim, parse_shape

Dims = tuple[Dim, ...]

ROLES = ("weight", "bias", "input", "output", "parameters")

_FRAC = r"\\[dt]?frac\s*\{\s*(∂|d)\s*([^{}]{1,20}?)\s*\}\s*\{\s*(∂|d)\s*([^{}]{1,20}?)\s*\}"
_PREPARE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, flags), replacement)
    for pattern, replacement, flags in (
        # a displayed matrix of entries (∂f/∂x_11 ...) is worked answer, not data or a target
        (r"\\begin\{([pbvBV]?matrix)\}.*?\\end\{\1\}", " (matrix) ", re.DOTALL),
        # what the normaliser leaves: `\mathcal L` without braces, `\Theta`, `\bar{x}`
        (r"\\mathcal\s*([A-Za-z])", r"\1", 0),
        (r"\\Theta(?![A-Za-z])", "Θ", 0),
        (r"\\bar\s*\{\s*([A-Za-z])\s*\}", r"\1", 0),
        (r"_\s*\{\s*([A-Za-z0-9]+)\s*\}", r"_\1", 0),
        (r"\^\s*\{\s*\((\d)\)\s*\}", r"^(\1)", 0),
        (r"\^\s*\{\s*T\s*\}", "^T", 0),
        (_FRAC, r"\1\2/\3\4", 0),
        (r"\bw\s*\.\s*r\s*\.\s*t\b\.?|\bwrt\b", "with respect to", re.IGNORECASE),
        # code for a product: `x.dot(W)`, `np.dot(x, W)`, `torch.matmul(x, W)` → `x·W`
        (r"(?<![\w.])([A-Za-z]\w{0,3})\s*\.\s*dot\s*\(\s*([A-Za-z]\w{0,3})\s*\)", r"\1·\2", 0),
        (
            r"\b(?:np|numpy|torch)\s*\.\s*(?:dot|matmul|mm)\s*\(\s*([A-Za-z]\w{0,3})\s*,\s*([A-Za-z]\w{0,3})\s*\)",
            r"\1·\2",
            0,
        ),
        # `shape (N, D) = (100, 3072)`: the numbers are the shape
        (r"\(\s*[A-Za-z]\s*(?:,\s*[A-Za-z]\s*)+\)\s*=\s*(\((?:\s*\d{1,9}\s*,)+\s*\d{1,9}\s*\))", r"\1", 0),
        (r"\bi\s*\.\s*e\s*\.", "that is", re.IGNORECASE),
        (r"\be\s*\.\s*g\s*\.", "for example", re.IGNORECASE),
    )
)


def prepare(text: str) -> str:
    """Tidy normalised text for the finders."""
    for pattern, replacement in _PREPARE:
        text = pattern.sub(replacement, text)
    return text


NAME = r"(?:[A-Za-zθΘℓ](?:_[A-Za-z0-9]+|\^\(\d\)|\d(?![\d.]))?)"
DIM = r"(?:\d{1,9}|[A-Za-z](?:_[A-Za-z0-9]+)?)"
NAME_AT = rf"(?<![A-Za-z0-9_\\^'∂])({NAME})(?![A-Za-z0-9_'])"
_SPEC = rf"(?:\{{([^{{}}]*)\}}|\(([^()]*)\)|({DIM}(?:\s*×\s*{DIM})*))"
REAL = rf"R(?![A-Za-z])(?:\s*\^\s*{_SPEC})?"  # `R`, `R^n`, `R^{n×m}`, `R^(3, 4)`: three groups
PROSE_STOP = frozenset({"a", "e", "I", "s", "o", "R", "T"})  # letters that are words, not names


def canonical_name(name: str) -> str:
    return name.replace("{", "").replace("}", "").replace(" ", "")


_DIM_SEPARATOR = re.compile(r"\s*(?:×|,|\bx\b|(?<=\d)x(?=\d)|-?\s*\bby\b\s*-?)\s*")


def read_dim(token: str) -> Dim:
    """One dimension matched by `DIM`: `784` → 784, `d_in` → "d_in", `x` → "x" (which `parse_shape`
    takes for the "x" of `n x m`)."""
    dims = parse_shape(f"({token})").dims
    return dims[0] if len(dims) == 1 else token


def read_dims(body: str) -> Dims | None:
    """`n × m`, `3, 4`, `n x m`, `3-by-4` → dimensions; None when a piece is not a dimension."""
    pieces = [piece.strip() for piece in _DIM_SEPARATOR.split(body.strip())]
    if not all(re.fullmatch(DIM, piece) for piece in pieces):
        return None
    return tuple(read_dim(piece) for piece in pieces)


def real_dims(match: re.Match[str], first_group: int) -> Dims | None:
    """The dimensions of a matched `REAL` whose three groups start at `first_group`; `()` for `R`."""
    groups = [match.group(first_group + i) for i in range(3)]
    body = next((g for g in groups if g is not None), None)
    return () if body is None else read_dims(body)


class Spans:
    """Characters already explained by a finder, so later finders skip them."""

    def __init__(self, size: int) -> None:
        self.taken = bytearray(size + 1)

    def add(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) < 0


_NAME_RE = re.compile(NAME_AT)
_A_AS_NAME = re.compile(r"\s*(?:∈|\bbe\b|\bis\b|\bhas\b|=|,|\.|\)|$)")


def names_in(
    text: str, start: int, end: int, spans: Spans | None = None, calls: bool = False
) -> list[tuple[str, int]]:
    """Variable names written in `text[start:end]`, with their offsets: articles, `R^`, dimensions
    inside `spans` and (unless `calls`) function calls `f(x)` skipped."""
    found: list[tuple[str, int]] = []
    for match in _NAME_RE.finditer(text, start, end):
        name = match.group(1)
        after = text[match.end() : match.end() + 12]
        if name in PROSE_STOP or (after.startswith("(") and not calls):
            continue
        if spans is not None and not spans.free(match.start(), match.end()):
            continue
        if name == "A" and not (_A_AS_NAME.match(after) or text.endswith("matrix ", 0, match.start())):
            continue
        found.append((canonical_name(name), match.start()))
    return found


_CLAUSE_END = re.compile(r"[?!;]|\.(?=\s|$)|\n\s*\n")
_CLAUSE_REACH = 240  # how far back a shape looks for its owner


def clause_start(text: str, index: int) -> int:
    window = max(0, index - _CLAUSE_REACH)
    ends = [m.end() for m in _CLAUSE_END.finditer(text, window, index)]
    return ends[-1] if ends else window


def clause_end(text: str, index: int) -> int:
    stop = min(len(text), index + _CLAUSE_REACH)
    match = _CLAUSE_END.search(text, index, stop)
    return match.start() if match else stop
