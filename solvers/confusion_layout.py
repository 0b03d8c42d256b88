"""Which count each cell of a 2×2 grid holds, from its orientation and where the positive class is.

`grid_readings` reads a grid as its labels, the question's captions or a stated layout
(`[[TN, FP], [FN, TP]]`, scikit-learn's) say; when nothing says which axis is actual it assumes
rows are, and offers the transposed reading too.
"""

from __future__ import annotations

import re

from solvers.confusion_facts import Counts, Reading
from solvers.confusion_grids import Grid, grid_axes
from solvers.confusion_labels import (
    SKLEARN,
    caption_axes,
    choose_positive,
    positive_convention,
    same_class,
    split_label,
)
from solvers.errors import NotUnderstood

ORIENTATION_WORDS = {
    "rows_actual": "Rows are actual classes and columns predicted classes",
    "rows_predicted": "Rows are predicted classes and columns actual classes",
}

_LAYOUT_NAMES = r"(TP|FP|FN|TN)"
_LAYOUTS = (
    re.compile(
        rf"\[\s*\[\s*{_LAYOUT_NAMES}\s*,\s*{_LAYOUT_NAMES}\s*\]\s*,?\s*\[\s*{_LAYOUT_NAMES}\s*,\s*{_LAYOUT_NAMES}\s*\]\s*\]",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\\begin\{{[pbvBV]?matrix\}}\s*{_LAYOUT_NAMES}\s*&\s*{_LAYOUT_NAMES}\s*\\\\?\s*{_LAYOUT_NAMES}\s*&"
        rf"\s*{_LAYOUT_NAMES}\s*\\\\?\s*\\end",
        re.IGNORECASE,
    ),
)
Layout = tuple[str, str, str, str]


def stated_layout(text: str) -> Layout | None:
    """A layout written with cell names: `[[TN, FP], [FN, TP]]`, or scikit-learn's."""
    for pattern in _LAYOUTS:
        match = pattern.search(text)
        if match and len({g.lower() for g in match.groups()}) == 4:
            a, b, c, d = (g.lower() for g in match.groups())
            return a, b, c, d
    if SKLEARN.search(text):
        labels = re.search(r"labels\s*=\s*\[\s*(\S+?)\s*,\s*(\S+?)\s*\]", text)
        positive = re.search(r"pos_label\s*=\s*[\"']?([\w-]+)", text)
        first = labels.group(1).strip("'\"") if labels else "0"
        wanted = positive.group(1) if positive else "1"
        if first == wanted:
            return "tp", "fn", "fp", "tn"
        return "tn", "fp", "fn", "tp"
    return None


def _layout_rows(layout: Layout) -> str:
    """What a layout's rows hold: TP and FN share a row when rows are actual classes."""
    return "actual" if {layout[0], layout[1]} in ({"tp", "fn"}, {"fp", "tn"}) else "predicted"


def _layout_reading(grid: Grid, layout: Layout, text: str) -> Reading:
    counts: Counts = {cell: grid.values[i // 2][i % 2] for i, cell in enumerate(layout)}
    shown = f"[[{layout[0]}, {layout[1]}], [{layout[2]}, {layout[3]}]]".upper()
    sklearn = bool(SKLEARN.search(text))
    how = "scikit-learn's layout" if sklearn else "the stated layout"
    return Reading(
        counts,
        "rows_" + _layout_rows(layout),
        "1" if sklearn else "positive",
        (f"The matrix is read in {how}: {shown}.",),
        f"Reading the matrix in {how} {shown}",
    )


def _cells_for(orientation: str, pos_row: int, pos_col: int) -> dict[tuple[int, int], str]:
    """Which cell each table position holds, given the orientation and where the positive class is."""
    neg_row, neg_col = 1 - pos_row, 1 - pos_col
    off_row, off_col = ("fn", "fp") if orientation == "rows_actual" else ("fp", "fn")
    return {
        (pos_row, pos_col): "tp",
        (pos_row, neg_col): off_row,
        (neg_row, pos_col): off_col,
        (neg_row, neg_col): "tn",
    }


def _find_word(text: str, word: str) -> int:
    """Where `word` stands alone in `text` (longer labels such as "no cancer" win over "cancer")."""
    match = re.search(rf"(?<![\w-])(?<!no )(?<!not ){re.escape(word.lower())}(?![\w-])", text)
    return match.start() if match else -1


def _class_order(grid: Grid) -> tuple[list[str], tuple[int, int] | None]:
    """The two class names and, for each axis, where the first name sits (None: no names)."""
    rows = [split_label(label)[1] for label in grid.row_labels]
    cols = [split_label(label)[1] for label in grid.col_labels]
    if all(rows) and not same_class(*rows):
        if all(cols) and not same_class(*cols):
            matches = [i for i, c in enumerate(cols) if same_class(c, rows[0])]
            return rows, (0, matches[0] if matches else 0)
        header = grid.header.lower()
        spots = [_find_word(header, name) for name in rows]
        if all(s >= 0 for s in spots) and spots[0] != spots[1]:
            return rows, (0, 0 if spots[0] < spots[1] else 1)
        return rows, (0, 0)
    if all(cols) and not same_class(*cols):
        return cols, (0, 0)
    return [], None


def grid_readings(grid: Grid, text: str) -> list[Reading]:
    """The reading of a table (plus the transposed one when the orientation had to be assumed)."""
    names, order = _class_order(grid)
    labelled, stated = grid_axes(grid), caption_axes(text)
    claims = labelled | stated
    source = "as the table's labels say" if labelled else "as the question states"
    if len(claims) > 1:
        raise NotUnderstood(
            "the table's labels and the question disagree about which axis holds the actual classes; "
            "label the rows and columns as Predicted or Actual"
        )
    layout = stated_layout(text) if not names else None
    if layout is not None and claims <= {_layout_rows(layout)}:
        return [_layout_reading(grid, layout, text)]
    assumed = not claims
    orientation = "rows_" + (claims.pop() if claims else "actual")
    if names and order is not None:
        index, how = choose_positive(names, text)
        positive = names[index]
        pos_row, pos_col = (order[0], order[1]) if index == 0 else (1 - order[0], 1 - order[1])
        class_note = positive_convention(positive, how)
    else:
        positive, how, pos_row, pos_col = "positive", "first", 0, 0
        class_note = (
            "The table has no class names; the positive class is taken to be the first row and column."
        )
    if assumed:
        orientation_note = (
            "The table does not say which axis holds the actual classes; rows are taken as actual "
            "classes and columns as predicted ones (the common convention, also scikit-learn's). "
            "Read the other way, FP and FN swap; that reading is accepted too."
        )
    else:
        orientation_note = f"{ORIENTATION_WORDS[orientation]}, {source}."
    readings: list[Reading] = []
    for option in (orientation, "rows_predicted" if orientation == "rows_actual" else "rows_actual"):
        cells = _cells_for(option, pos_row, pos_col)
        counts: Counts = {cells[(i, j)]: grid.values[i][j] for i in range(2) for j in range(2)}
        words = (
            ORIENTATION_WORDS[option]
            .lower()
            .replace("rows are", "rows =")
            .replace(" and columns", ", columns =")
        )
        readings.append(
            Reading(
                counts,
                option,
                positive,
                (orientation_note, class_note),
                f"Reading the table with {words} and “{positive}” as the positive class",
                orientation_assumed=assumed,
                positive_assumed=how == "assumed",
            )
        )
    return readings
