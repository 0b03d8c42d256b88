"""Tables of numbers in question text: markdown pipes, LaTeX tabular/array, plain labelled rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from solvers.errors import InputTooLarge
from solvers.extract import Matrix, context_before
from solvers.limits import MAX_TABLE_ROWS
from solvers.numbers import NUMBER, Number, find_numbers, parse_number


@dataclass(frozen=True)
class Table:
    """A table of numbers: the heading rows above them, then each row's label and numbers.

    A last row labelled "Total" and a last column headed "Total" are left out; a first row of class
    numbers over the others (`| | 0 | 1 |`) is a heading row, not data.
    """

    headings: tuple[tuple[str, ...], ...]  # the rows above the numbers, top first
    rows: tuple[tuple[str, tuple[float, ...]], ...]  # (label, numbers); a label may be ""
    start: int
    end: int
    context: str

    @property
    def header(self) -> tuple[str, ...]:
        """The last heading row: corner cells, then the column names."""
        return self.headings[-1] if self.headings else ()

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0][1]) if self.rows else 0

    @property
    def values(self) -> Matrix:
        return [list(values) for _, values in self.rows]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.rows)

    @property
    def column_labels(self) -> tuple[str, ...]:
        """The header cells over the numbers ("" each when the header is narrower than the numbers)."""
        width = self.shape[1]
        return self.header[-width:] if len(self.header) >= width else ("",) * width

    @property
    def corner(self) -> str:
        """The header cells left of the column names (`Actual \\ Predicted`)."""
        width = self.shape[1]
        return " ".join(self.header[:-width]) if len(self.header) > width else ""


_Row = tuple[tuple[str, ...], list[Number]]  # a row's cells and the numbers that end it
_TOTAL = re.compile(r"\b(?:total|sum|all|overall)\b|Σ", re.IGNORECASE)
_GAP_IN_NUMBER = re.compile(r"\d\s+\d")
_DIGIT = re.compile(r"\d")


def _cell_number(cell: str) -> Number | None:
    """The number a cell holds; None for words, and for `50 10` (two numbers, not one)."""
    if not cell.lstrip("+-.")[:1].isdigit() or _GAP_IN_NUMBER.search(cell):
        return None
    return parse_number(cell)


def _trailing_numbers(cells: Sequence[str]) -> list[Number]:
    numbers: list[Number] = []
    for cell in reversed(cells):
        number = _cell_number(cell)
        if number is None:
            break
        numbers.append(number)
    return numbers[::-1]


def _class_numbers(numbers: Sequence[Number | None]) -> bool:
    """`0 1`, `1 0`, `-1 1`, `1 2 3`: two or more class names, not counts."""
    if not all(n and n.decimals is None and not n.fraction for n in numbers):
        return False  # class names are written as integers
    values = sorted(n.value for n in numbers if n)
    if len(values) < 2 or len(set(values)) != len(values) or values[0] not in (-1, 0, 1):
        return False
    return values == [-1, 1] or values == list(range(int(values[0]), int(values[0]) + len(values)))


def _class_heading(top: _Row, below: Sequence[_Row]) -> bool:
    """`| | 0 | 1 |` over rows with as many numbers or more: the class names, not a row of counts."""
    numbers = top[1]
    return (
        len(below) >= 2
        and not _DIGIT.search(_words(top))
        and _class_numbers(numbers)
        and all(len(n) >= len(numbers) and len(c) == len(below[0][0]) for c, n in below)
    )


def _trimmed(cells: Sequence[str]) -> tuple[str, ...]:
    """The cells without the empty ones at the end of the row."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return tuple(cells[:end])


def _words(row: _Row) -> str:
    cells, numbers = row
    return " ".join(cells[: len(cells) - len(numbers)])


def _label_columns(data: Sequence[_Row], header: Sequence[str], least: int) -> int:
    """How many leading cells label a row: the words before its numbers, an empty corner over
    numbers (`| | Pred 0 |` over `| 0 | 50 |`), then a first column of class numbers when the words
    do not tell the rows apart (`True 0 16 24` over `True 1 47 36`)."""
    cells, numbers = data[0]
    count = max(least, len(cells) - len(numbers))
    if count == 0 and len(header) == len(cells) and not header[0]:
        count = 1
    if len(cells) - count >= 3 and all(len(row) == len(cells) for row, _ in data):
        words = {" ".join(row[:count]) for row, _ in data}  # one set of words: they do not tell rows apart
        if len(words) == 1 and _class_numbers([_cell_number(row[count]) for row, _ in data]):
            count += 1
    return count


def _table(
    cell_rows: Sequence[Sequence[str]],
    start: int,
    end: int,
    text: str,
    headings: Sequence[tuple[str, ...]] = (),
    least_labels: int = 0,
) -> Table | None:
    """Headings, row labels and numbers from rows of cells; None when no row ends in numbers."""
    if len(cell_rows) > MAX_TABLE_ROWS:
        raise InputTooLarge(f"a table has {len(cell_rows)} rows; at most {MAX_TABLE_ROWS} are read")
    rows = [_trimmed(cells) for cells in cell_rows]
    ends = [_trailing_numbers(cells) for cells in rows]
    first = next((i for i, numbers in enumerate(ends) if numbers), None)
    if first is None:
        return None
    heads = [*headings, *rows[:first]]
    data = [(cells, numbers) for cells, numbers in zip(rows[first:], ends[first:], strict=True) if numbers]
    if len(data) >= 3 and _TOTAL.search(_words(data[-1])):
        data.pop()  # a total row
    if _class_heading(data[0], data[1:]):
        heads.append(data[0][0])
        labels = len(data[1][0]) - len(data[0][1])
        data = data[1:]
    else:
        labels = _label_columns(data, heads[-1] if heads else (), least_labels)
    width = len(data[0][0]) - labels
    body: list[tuple[str, tuple[float, ...]]] = []
    for cells, numbers in data:
        if width < 1 or len(cells) - labels != width or len(numbers) < width:
            break  # a row of another shape ends the table
        body.append((" ".join(c for c in cells[:labels] if c), tuple(n.value for n in numbers[-width:])))
    header = heads[-1] if heads else ()
    if (
        width >= 2
        and header
        and _TOTAL.search(header[-1])
        and (len(header) in (1, width) or len(header) >= labels + width)
    ):
        body = [(label, values[:-1]) for label, values in body]
        heads[-1] = header[:-1] if len(header) > 1 else header
    return Table(tuple(heads), tuple(body), start, end, context_before(text, start)) if body else None


_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")


def _lines(text: str) -> tuple[list[str], list[int]]:
    """The lines of `text` and where each starts (one more offset: the end of the text, plus one)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    return lines, offsets


def _pipe_tables(text: str) -> list[Table]:
    """Markdown tables: runs of lines with two or more `|` (separator rows are skipped)."""
    tables: list[Table] = []
    lines, offsets = _lines(text)
    i = 0
    while i < len(lines):
        if lines[i].count("|") < 2:
            i += 1
            continue
        j = i
        block: list[list[str]] = []
        while j < len(lines) and lines[j].count("|") >= 2:
            cells = [cell.strip() for cell in lines[j].strip().strip("|").split("|")]
            if not all(_SEPARATOR_CELL.match(c) or not c for c in cells):
                block.append(cells)
            j += 1
        table = _table(block, offsets[i], offsets[j] - 1, text) if block else None
        if table is not None:
            tables.append(table)
        i = j
    return tables


_LATEX_TABLE = re.compile(
    r"\\begin\{(tabular|array|[pbvBV]?matrix)\}(?:\{(?:[^{}]|\{[^{}]*\})*\})?(.*?)\\end\{\1\}", re.DOTALL
)
_LATEX_ROW_END = re.compile(r"\\\\(?:\[[^\]]*\])?")
_LATEX_SPAN = re.compile(r"\\multi(?:column|row)\{[^{}]*\}\{[^{}]*\}\{([^{}]*)\}")
_LATEX_RULE = re.compile(r"\\(?:hline|toprule|midrule|bottomrule|cline\{[^{}]*\})")


def _latex_tables(text: str) -> list[Table]:
    """`tabular`, `array` and `matrix` environments: cells split at `&`, rows at `\\\\`."""
    tables: list[Table] = []
    for match in _LATEX_TABLE.finditer(text):
        body = _LATEX_RULE.sub(" ", _LATEX_SPAN.sub(r"\1", match.group(2)))
        rows = [[c.strip() for c in row.split("&")] for row in _LATEX_ROW_END.split(body) if row.strip()]
        table = _table(rows, match.start(), match.end(), text)
        if table is not None:
            tables.append(table)
    return tables


_NOT_PLAIN = re.compile(r"[|&\[\\]")
_SENTENCE_MARK = re.compile(r"[.?!:]")


def _plain_row(line: str) -> list[str] | None:
    """`Actual positive: 50 10` → ["Actual positive", "50", "10"]; None unless two or more numbers end it."""
    if _NOT_PLAIN.search(line):
        return None
    run: list[re.Match[str]] = []  # the numbers that end the line, last first
    edge = len(line)
    for match in reversed(list(NUMBER.finditer(line))):
        if line[match.end() : edge].strip(" ,"):
            break
        run.append(match)
        edge = match.start()
    run.reverse()
    if run and run[0].start() > 0 and line[run[0].start() - 1] not in " :=,":
        run = run[1:]  # `Class-1 50 10`: the 1 belongs to the label
    if len(run) < 2:
        return None
    return [line[: run[0].start()].rstrip(" :=,"), *(match.group(0) for match in run)]


def _heading_line(line: str, width: int) -> tuple[str, ...] | None:
    """A short line of column names above plain rows: one cell a word when they match the columns."""
    if not line or len(line) > 60 or _SENTENCE_MARK.search(line):
        return None
    if any(n.value not in (-1, 0, 1) for n, _, _ in find_numbers(line)):
        return None
    words = tuple(line.split())
    return words if len(words) == width else (line,)


def _plain_tables(text: str) -> list[Table]:
    """Two or more consecutive lines `label n1 n2 …`, with the heading lines among the two above."""
    tables: list[Table] = []
    lines, offsets = _lines(text)
    lines = [line.strip() for line in lines]
    i = 0
    while i < len(lines):
        rows: list[list[str]] = []
        while i + len(rows) < len(lines) and (row := _plain_row(lines[i + len(rows)])) is not None:
            rows.append(row)
        if len(rows) >= 2:
            above = [line for line in lines[max(0, i - 2) : i] if line]
            headings: list[tuple[str, ...]] = []
            while above and (heading := _heading_line(above.pop(), len(rows[0]) - 1)):
                headings.insert(0, heading)
            table = _table(rows, offsets[i], offsets[i + len(rows)] - 1, text, headings, least_labels=1)
            if table is not None:
                tables.append(table)
        i += max(len(rows), 1)
    return tables


def find_tables(text: str) -> list[Table]:
    """Markdown pipe tables, LaTeX tabular/array/matrix environments and plain labelled rows."""
    return sorted(_pipe_tables(text) + _latex_tables(text) + _plain_tables(text), key=lambda t: t.start)
