"""Structured data in question text: vectors, matrices, tables and named quantities.

Works on normalised text (see `solvers.normalize`). Every finder returns what it found together
with where, so a solver can read the words around it ("mask", "Predicted: Cancer").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from solvers.errors import InputTooLarge
from solvers.limits import MAX_ENTRIES, MAX_NESTING, MAX_TABLE_ROWS
from solvers.numbers import NUMBER_PATTERN, Number, find_numbers, parse_number

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


def _context(text: str, start: int) -> str:
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
        found.append(Array(values, match.start(), match.end(), _context(text, match.start())))
        bisect.insort(taken, (match.start(), match.end()))
    for match in _NESTED_LIST.finditer(text):
        if not free(match.start(), match.end()):
            continue
        rows = [_numbers_in(row) for row in re.findall(r"\[([^\[\]]*)\]", match.group(1))]
        _check_size(sum(map(len, rows)))
        found.append(Array(rows, match.start(), match.end(), _context(text, match.start())))
        bisect.insort(taken, (match.start(), match.end()))
    for match in _FLAT_LIST.finditer(text):
        if not free(match.start(), match.end()):
            continue
        flat = _numbers_in(match.group(1))
        _check_size(len(flat))
        found.append(Array(flat, match.start(), match.end(), _context(text, match.start())))
        bisect.insort(taken, (match.start(), match.end()))
    return sorted(found, key=lambda a: a.start)


@dataclass(frozen=True)
class Table:
    """A table of numbers with row labels and column headers (either may be empty)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float, ...]], ...]
    start: int
    end: int
    context: str

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0][1]) if self.rows else 0

    @property
    def values(self) -> Matrix:
        return [list(values) for _, values in self.rows]


_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")


def _split_pipe_row(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return cells


def _cell_number(cell: str) -> Number | None:
    try:
        return parse_number(cell.replace(",", "")) if cell else None
    except InputTooLarge:
        raise
    except ValueError:
        return None


def _table_from_cells(cell_rows: list[list[str]], start: int, end: int, context: str) -> Table | None:
    """Split rows of cells into a header, row labels and numbers; None when it is not numeric."""
    if len(cell_rows) > MAX_TABLE_ROWS:
        raise InputTooLarge(f"a table has {len(cell_rows)} rows; at most {MAX_TABLE_ROWS} are read")
    header: tuple[str, ...] = ()
    rows: list[tuple[str, tuple[float, ...]]] = []
    for cells in cell_rows:
        numbers = [_cell_number(c) for c in cells]
        numeric = [n for n in numbers if n is not None]
        if not numeric:
            if not rows:
                header = tuple(cells)
            continue
        labels = [c for c, n in zip(cells, numbers, strict=True) if n is None and c]
        rows.append((" ".join(labels), tuple(n.value for n in numeric)))
    if not rows or len({len(v) for _, v in rows}) != 1:
        return None
    return Table(header, tuple(rows), start, end, context)


def _pipe_tables(text: str) -> list[Table]:
    tables: list[Table] = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    i = 0
    while i < len(lines):
        if lines[i].count("|") < 2:
            i += 1
            continue
        j = i
        block: list[list[str]] = []
        while j < len(lines) and lines[j].count("|") >= 2:
            cells = _split_pipe_row(lines[j])
            if not all(_SEPARATOR_CELL.match(c) or not c for c in cells):
                block.append(cells)
            j += 1
        table = _table_from_cells(block, offsets[i], offsets[j] - 1, _context(text, offsets[i]))
        if table is not None:
            tables.append(table)
        i = j
    return tables


_LATEX_TABLE = re.compile(r"\\begin\{(tabular|array)\}(?:\{[^}]*\})?(.*?)\\end\{\1\}", re.DOTALL)


def _latex_tables(text: str) -> list[Table]:
    tables: list[Table] = []
    for match in _LATEX_TABLE.finditer(text):
        body = re.sub(r"\\(?:hline|toprule|midrule|bottomrule)", " ", match.group(2))
        cell_rows = [[c.strip() for c in row.split("&")] for row in _ROW_SPLIT.split(body) if row.strip()]
        table = _table_from_cells(cell_rows, match.start(), match.end(), _context(text, match.start()))
        if table is not None:
            tables.append(table)
    return tables


_PLAIN_ROW = re.compile(rf"^(?P<label>[A-Za-z][^\d|]*?)[:\s]+(?P<nums>(?:{NUMBER_PATTERN}[\s,]*){{2,}})$")


def _plain_tables(text: str) -> list[Table]:
    """Consecutive lines of the form `label  n1  n2` (a header line above them is kept)."""
    tables: list[Table] = []
    lines = text.split("\n")
    offset = 0
    block: list[tuple[str, tuple[float, ...]]] = []
    block_start = 0
    header: tuple[str, ...] = ()
    previous = ""
    for line in [*lines, ""]:
        match = _PLAIN_ROW.match(line.strip()) if "|" not in line and "[" not in line else None
        if match:
            if not block:
                block_start = offset
                header = tuple(previous.split()) if previous and not find_numbers(previous) else ()
            block.append((match.group("label").strip(), tuple(_numbers_in(match.group("nums")))))
        else:
            if len(block) >= 2 and len({len(v) for _, v in block}) == 1:
                tables.append(Table(header, tuple(block), block_start, offset, _context(text, block_start)))
            block = []
        previous = line.strip() if line.strip() else previous
        offset += len(line) + 1
    return tables


def find_tables(text: str) -> list[Table]:
    """Markdown pipe tables, LaTeX tabular/array environments and plain labelled rows."""
    return sorted(_pipe_tables(text) + _latex_tables(text) + _plain_tables(text), key=lambda t: t.start)


_FILLERS = r"were|are|was|is|correctly|incorrectly|cases?|samples?|examples?|instances?|items?|of"


def find_quantity(text: str, names: str) -> tuple[Number, int] | None:
    """A named quantity: `TP = 80`, `TP: 80`, `80 true positives`, `keep probability of 0.8`.

    `names` is a regular-expression alternation of the quantity's names (e.g.
    `true positives?|TP`). Returns the number and its offset, or None.
    """
    before = re.compile(
        rf"(?<![\w])(?:{names})(?![\w])\s*(?:\([^)]{{0,20}}\)\s*)?"
        rf"(?:=|:|≈|\bis\b|\bof\b|\bwas\b|\bwere\b|\bare\b|\bequals?\b|\bequal to\b|\bset to\b|\bcount\b)?"
        rf"\s*(?:=|:)?\s*({NUMBER_PATTERN})(?![\w.])",
        re.IGNORECASE,
    )
    after = re.compile(
        rf"(?<![\w.])({NUMBER_PATTERN})\s+(?:(?:{_FILLERS})\s+){{0,2}}(?:{names})(?![\w])", re.IGNORECASE
    )
    hits: list[tuple[Number, int]] = []
    for pattern in (before, after):
        for match in pattern.finditer(text):
            number = parse_number(match.group(1))
            if number is not None:
                hits.append((number, match.start()))
    return min(hits, key=lambda h: h[1]) if hits else None
