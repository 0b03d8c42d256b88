"""Tensor shapes as students write them: `n x m`, `n×m`, `(n, m)`, `n by m`, `R^{n×m}`, "a scalar".

A dimension is an int or a symbol (`n`, `d_in`); a product dimension (a flattened matrix) is
written `n*m`. Reading is a small grammar of our own; nothing is evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.errors import ResponseFormatError

Dim = int | str

_SYMBOL = r"[A-Za-z](?:_\{?[A-Za-z0-9]+\}?|[0-9]{1,2})?"
_FACTOR = rf"(?:\d{{1,9}}|{_SYMBOL})"
_DIM = rf"{_FACTOR}(?:\s*[*·]\s*{_FACTOR})*"
_CHAIN_SEP = r"\s*(?:×|\bx\b|(?<=\d)x(?=\d)|\bby\b)\s*"
_CHAIN = re.compile(rf"(?<![\w^])({_DIM})((?:{_CHAIN_SEP}{_DIM})+)(?![\w(])")
_REAL_SPACE = re.compile(rf"\bR\s*\^\s*(?:\{{((?:[^{{}}]|\{{[^{{}}]*\}})*)\}}|\(([^()]*)\)|({_DIM}))")
_TUPLE = re.compile(rf"[(\[]\s*({_DIM}(?:\s*,\s*{_DIM})*)\s*,?\s*[)\]]")
# `1 × 1` alone is a scalar; inside `5 × 1 × 1` it is part of a shape.
_SCALAR = re.compile(
    r"\b(?:a\s+)?scalar\b|(?<!×)(?<!×\s)\b1\s*×\s*1\b(?!\s*×)|^\s*\(\s*\)\s*$|^\s*1\s*$", re.IGNORECASE
)
_VECTOR_LENGTH = re.compile(
    rf"(?:vector|array)\s+(?:of\s+)?(?:length|size|dimension)\s+({_DIM})|({_DIM})\s*-?\s*dim(?:ensional)?\s+vector",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:×|\bx\b|(?<=\d)x(?=\d)|\bby\b|,)\s*")


@dataclass(frozen=True)
class Shape:
    dims: tuple[Dim, ...]

    def __str__(self) -> str:
        return format_shape(list(self.dims))


def _dim(token: str) -> Dim:
    token = re.sub(r"\s+", "", token).replace("·", "*").replace("{", "").replace("}", "")
    if "*" in token:
        factors = token.split("*")
        if all(f.isdigit() for f in factors):
            product = 1
            for f in factors:
                product *= int(f)
            return product
        return "*".join(factors)
    return int(token) if token.isdigit() else token


def _dims(body: str) -> tuple[Dim, ...]:
    return tuple(_dim(part) for part in _SPLIT.split(body.strip()) if part.strip())


def parse_shape(text: str) -> Shape:
    """The last shape written in `text`; raises ResponseFormatError when there is none."""
    candidates: list[tuple[int, Shape]] = []
    for match in _REAL_SPACE.finditer(text):
        body = next(g for g in match.groups() if g is not None)
        candidates.append((match.start(), Shape(_dims(body))))
    for match in _TUPLE.finditer(text):
        candidates.append((match.start(), Shape(_dims(match.group(1)))))
    for match in _CHAIN.finditer(text):
        if not any(s <= match.start() < s + 1 for s, _ in candidates):
            candidates.append((match.start(), Shape(_dims(match.group(0)))))
    for match in _VECTOR_LENGTH.finditer(text):
        dim = match.group(1) or match.group(2)
        candidates.append((match.start(), Shape((_dim(dim),))))
    for match in _SCALAR.finditer(text):
        candidates.append((match.start(), Shape(())))
    if not candidates:
        bare = text.strip().strip(".")
        if re.fullmatch(_DIM, bare) or re.fullmatch(r"[A-Za-z]{1,3}", bare):
            return Shape((_dim(bare),))
        raise ResponseFormatError(
            f"no shape found in {text.strip()[:80]!r}; write it as 'n x m', '(n, m)' or 'R^(n×m)'", text
        )
    return max(candidates, key=lambda c: c[0])[1]


def format_shape(dims: list[Dim] | tuple[Dim, ...]) -> str:
    """`["n", "m"]` → `n × m`; `[]` → `scalar`."""
    return " × ".join(str(d) for d in dims) if dims else "scalar"


def _key(dim: Dim) -> str:
    """Compare symbols without case (students write N for n) and products in any order."""
    if not isinstance(dim, str):
        return str(dim)
    return "*".join(sorted(dim.lower().split("*")))


def _same_dim(expected: Dim, given: Dim) -> bool:
    if _key(expected) == _key(given):
        return True
    # "nm" for the product n*m of one-letter symbols
    factors = str(expected).lower().split("*")
    return (
        isinstance(given, str)
        and len(factors) > 1
        and all(len(f) == 1 for f in factors)
        and sorted(given.lower()) == sorted(factors)
    )


def same_shape(expected: list[Dim] | tuple[Dim, ...], given: tuple[Dim, ...]) -> bool:
    """The same dimensions in the same order."""
    return len(expected) == len(given) and all(_same_dim(e, g) for e, g in zip(expected, given, strict=True))
