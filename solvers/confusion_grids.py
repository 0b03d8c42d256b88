"""The confusion matrix in a question: a square block of counts, with whatever labels surround it.

The tables and nested lists themselves are found by `solvers.extract`; `find_grids` keeps those
that read as a confusion matrix (labelled Predicted/Actual, or called one by the question), and
`grid_axes` says which axis their labels claim holds the actual classes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from solvers.confusion_facts import IGNORE_CASE
from solvers.confusion_labels import SKLEARN, caption_axes, corner_axis, other_axis, split_label
from solvers.extract import Table, find_arrays, find_tables

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


def _grid(values: Sequence[Sequence[float]], start: int, end: int, table: Table | None = None) -> Grid | None:
    """A square block of finite numbers as a grid (a k×k one, k > 2, keeps only its size)."""
    size = len(values)
    if size < 2 or any(len(row) != size for row in values):
        return None
    if size > 2:
        return Grid(_NO_COUNTS, ("", ""), ("", ""), "", "", start, end, size)
    if not all(math.isfinite(v) for row in values for v in row):
        return None
    (a, b), (c, d) = ((Fraction(repr(v)) for v in row) for row in values)
    if table is None:
        return Grid(((a, b), (c, d)), ("", ""), ("", ""), "", "", start, end)
    heading = " ".join([*(" ".join(row) for row in table.headings[:-1]), " ".join(table.header[-2:])])
    first, second = table.labels
    left, right = table.column_labels
    return Grid(((a, b), (c, d)), (first, second), (left, right), heading, table.corner, start, end)


def grid_axes(grid: Grid) -> set[str]:
    """What the table's own labels say the rows hold ("actual" / "predicted")."""
    claims: set[str] = set()
    row_axes = {split_label(label)[0] for label in grid.row_labels} - {None}
    claims |= {a for a in row_axes if a}
    col_axes = {split_label(label)[0] for label in (*grid.col_labels, grid.header)} - {None}
    claims |= {other_axis(a) for a in col_axes if a}
    corner = corner_axis(grid.corner)
    if corner:
        claims.add(corner)
    return claims


def _same_classes(grid: Grid) -> bool:
    """Rows and columns name the same two classes (`| | Cat | Dog |` over rows Cat, Dog)."""
    rows = {split_label(label)[1].lower() for label in grid.row_labels}
    cols = {split_label(label)[1].lower() for label in grid.col_labels}
    return len(rows) == 2 and "" not in rows and rows == cols


_CONFUSION_WORDS = re.compile(
    r"confusion|contingency|error\s+matrix|classification\s+(?:table|matrix)|\b(?:TP|FP|FN|TN)\b", IGNORE_CASE
)


def find_grids(text: str) -> list[Grid]:
    """Every square block of counts (tables, LaTeX matrices, nested lists) that reads as a confusion
    matrix: labelled Predicted/Actual, or called a confusion matrix by the question."""
    tables = find_tables(text)
    found = [grid for t in tables if (grid := _grid(t.values, t.start, t.end, t)) is not None]
    for array in find_arrays(text):
        if array.is_matrix and not any(t.start < array.end and array.start < t.end for t in tables):
            grid = _grid(array.values, array.start, array.end)  # type: ignore[arg-type]
            if grid is not None:
                found.append(grid)
    if not (_CONFUSION_WORDS.search(text) or SKLEARN.search(text)):
        found = [g for g in found if g.size == 2 and (grid_axes(g) or caption_axes(text) or _same_classes(g))]
    return sorted(found, key=lambda g: g.start)


def distinct(grids: Sequence[Grid]) -> list[Grid]:
    """One grid for each set of counts (a matrix shown twice is one matrix)."""
    seen: dict[tuple[Pair, Pair], Grid] = {}
    for grid in grids:
        seen.setdefault(grid.values, grid)
    return list(seen.values())
