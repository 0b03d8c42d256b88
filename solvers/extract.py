"""Vectors and matrices in question text: `[1, 0, 1]`, `(2, 3)`, `[[1, 2], [3, 4]]`, LaTeX matrices.

Works on normalised text (see `solvers.normalize`). Every finder returns what it found together
with where, so a solver can read the words around it ("mask", "Predicted: Cancer"). Tables are in
`solvers.tables`, named quantities (`TP = 80`) in `solvers.quantities`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from solvers.errors import InputTooLarge
from solvers.limits import MAX_ENTRIES, MAX_NESTING
from solvers.numbers import NUMBER_PATTERN, find_numbers

Matrix = list[list[float]]


@dataclass(frozen=True)
class Array:
    """A vector (`rows` is None) or a matrix found in the text."""

    values: list[float] | Matrix
    start: int
    end: int
    context: str  # the words just before it, lower-cased ("dropout mask: m =")

    @property
    def is_matrix(self) -> bool:
        return bool(self.values) and isinstance(self.values[0], list)

    @property
    def flat(self) -> list[float]:
        if self.is_matrix:
            return [x for row in self.values for x in row]  # type: ignore[union-attr]
        return list(self.values)  # type: ignore[arg-type]


_ITEM = rf"\s*{NUMBER_PATTERN}\s*"
_FLAT_LIST = re.compile(rf"[\[(]({_ITEM}(?:[,;\s]{_ITEM})+)[\])]")
_NESTED_LIST = re.compile(r"\[\s*(\[[^\[\]]*\](?:\s*[,;]?\s*\[[^\[\]]*\])+)\s*\]")
_LATEX_MATRIX = re.compile(r"\\begin\{([pbvBV]?matrix|array)\}(?:\{[^}]*\})?(.*?)\\end\{\1\}", re.DOTALL)
_ROW_SPLIT = re.compile(r"\\\\")
_CONTEXT_CHARS = 60


def _numbers_in(chunk: str) -> list[float]:
    return [n.value for n, _, _ in find_numbers(chunk)]


def context_before(text: str, start: int) -> str:
    return text[max(0, start - _CONTEXT_CHARS) : start].lower()


def _check_size(count: int) -> None:
    if count > MAX_ENTRIES:
        raise InputTooLarge(f"a vector has {count} entries; at most {MAX_ENTRIES} are read")


def _check_nesting(text: str) -> None:
    depth = deepest = 0
    for ch in text:
        if ch in "[(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "])":
            depth = max(depth - 1, 0)
    if deepest > MAX_NESTING + 5:
        raise InputTooLarge(f"brackets nest {deepest} deep; at most {MAX_NESTING + 5} levels are read")


def find_arrays(text: str) -> list[Array]:
    """Bracketed lists `[2.0, 5, 7.12]`, nested lists `[[1, 2], [3, 4]]` and LaTeX matrices."""
    _check_nesting(text)
    found: list[Array] = []
    taken: list[tuple[int, int]] = []  # kept sorted; spans never overlap

    def free(start: int, end: int) -> bool:
        index = bisect.bisect_left(taken, (start, end))
        before_ok = index == 0 or taken[index - 1][1] <= start
        after_ok = index == len(taken) or taken[index][0] >= end
        return before_ok and after_ok

    for match in _LATEX_MATRIX.finditer(text):
        body = re.sub(r"\\hline", " ", match.group(2))
        rows = [_numbers_in(row) for row in _ROW_SPLIT.split(body) if row.strip()]
        rows = [row for row in rows if row]
        _check_size(sum(map(len, rows)))
        if not rows:
            continue
        values: list[float] | Matrix = rows if len(rows) > 1 else rows[0]
        if len(rows) > 1 and all(len(r) == 1 for r in rows):
            values = [r[0] for r in rows]  # a column vector reads as a vector
        found.append(Array(values, match.start(), match.end(), context_before(text, match.start())))
        bisect.insort(taken, (match.start(), match.end()))
    for match in _NESTED_LIST.finditer(text):
        if not free(match.start(), match.end()):
            continue
        rows = [_numbers_in(row) for row in re.findall(r"\[([^\[\]]*)\]", match.group(1))]
        _check_size(sum(map(len, rows)))
        found.append(Array(rows, match.start(), match.end(), context_before(text, match.start())))
        bisect.insort(taken, (match.start(), match.end()))
    for match in _FLAT_LIST.finditer(text):
        if not free(match.start(), match.end()):
            continue
        flat = _numbers_in(match.group(1))
        _check_size(len(flat))
        found.append(Array(flat, match.start(), match.end(), context_before(text, match.start())))
        bisect.insort(taken, (match.start(), match.end()))
    return sorted(found, key=lambda a: a.start)
