"""The confusion matrix in a question: a square block of counts, with whatever labels surround it.

The tables and nested lists themselves are found by `solvers.extract`; `find_grids` keeps those
that read as a confusion matrix (labelled Predicted/Actual, or called one by the question), and
`grid_axes` says which axis their labels claim holds the actual classes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from solvers.confusion_labels import SKLEARN, caption_axes, split_label, table_axes
from solvers.extract import find_arrays
from solvers.tables import Table, find_tables

Pair = tuple[Fraction, Fraction]


@dataclass(frozen=True)
class Grid:
    """A 2×2 block of counts with whatever labels surround it."""

    values: tuple[Pair, Pair]
    row_labels: tuple[str, str]
    col_labels: tuple[str, str]
    header: str  # the heading rows' words over the counts
    corner: str  # the heading above the row labels ("Actual \\ Predicted")
    start: int
    end: int
    size: int = 2  # k for a k×k multi-class matrix (its values are then not kept)

    @property
    def normalised_per_class(self) -> bool:
        """Rows or columns of fractions that each add up to 1: rates, not counts."""
        (a, b), (c, d) = self.values
        if all(v.denominator == 1 for v in (a, b, c, d)):
            return False
        return (a + b == 1 and c + d == 1) or (a + c == 1 and b + d == 1)


_NO_COUNTS = ((Fraction(0), Fraction(0)), (Fraction(0), Fraction(0)))


def _grid(values: Sequence[Sequence[float]], start: int, end: int) -> Grid | None:
    """A square block of finite numbers as an unlabelled grid (a k×k one, k > 2, keeps only its size)."""
    size = len(values)
    if size < 2 or any(len(row) != size for row in values):
        return None
    if size > 2:
        return Grid(_NO_COUNTS, ("", ""), ("", ""), "", "", start, end, size)
    if not all(math.isfinite(v) for row in values for v in row):
        return None
    (a, b), (c, d) = ((Fraction(repr(v)) for v in row) for row in values)  # the decimals as written
    return Grid(((a, b), (c, d)), ("", ""), ("", ""), "", "", start, end)


def table_heading(table: Table) -> str:
    """The heading rows' words over the counts (the last row: only its cells over the numbers)."""
    width = table.shape[1]
    return " ".join([*(" ".join(row) for row in table.headings[:-1]), " ".join(table.header[-width:])])


def _labelled(grid: Grid, table: Table) -> Grid:
    """A 2×2 grid with its table's row labels, column labels, headings and corner."""
    heading = table_heading(table)
    first, second = table.labels
    left, right = table.column_labels
    return replace(
        grid, row_labels=(first, second), col_labels=(left, right), header=heading, corner=table.corner
    )


def grid_axes(grid: Grid) -> set[str]:
    """What the table's own labels say the rows hold ("actual" / "predicted")."""
    return table_axes(grid.row_labels, grid.col_labels, grid.header, grid.corner)


def _same_classes(grid: Grid) -> bool:
    """Rows and columns name the same two classes (`| | Cat | Dog |` over rows Cat, Dog)."""
    rows = {split_label(label)[1].lower() for label in grid.row_labels}
    cols = {split_label(label)[1].lower() for label in grid.col_labels}
    return len(rows) == 2 and "" not in rows and rows == cols


CONFUSION_WORDS = re.compile(
    r"confusion|contingency|error\s+matrix|classification\s+(?:table|matrix)|\b(?:TP|FP|FN|TN)\b",
    re.IGNORECASE,
)


def find_grids(text: str) -> list[Grid]:
    """Every square block of counts (tables, LaTeX matrices, nested lists) that reads as a confusion
    matrix: labelled Predicted/Actual, or called a confusion matrix by the question."""
    tables = find_tables(text)
    found: list[Grid] = []
    for table in tables:
        grid = _grid(table.values, table.start, table.end)
        if grid is not None:
            found.append(_labelled(grid, table) if grid.size == 2 else grid)
    for array in find_arrays(text):  # nested lists; LaTeX matrices are tables already
        rows = [row for row in array.values if isinstance(row, list)]
        if array.is_matrix and not any(t.start < array.end and array.start < t.end for t in tables):
            grid = _grid(rows, array.start, array.end)
            if grid is not None:
                found.append(grid)
    if not (CONFUSION_WORDS.search(text) or SKLEARN.search(text)):
        found = [g for g in found if g.size == 2 and (grid_axes(g) or caption_axes(text) or _same_classes(g))]
    return sorted(found, key=lambda g: g.start)


def distinct(grids: Sequence[Grid]) -> list[Grid]:
    """One grid for each set of counts (a matrix shown twice is one matrix)."""
    seen: dict[tuple[Pair, Pair], Grid] = {}
    for grid in grids:
        seen.setdefault(grid.values, grid)
    return list(seen.values())
