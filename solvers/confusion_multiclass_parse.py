"""Reading a multi-class confusion-matrix question: the k×k counts, the class names, the orientation.

The counts come from one k×k table (markdown, LaTeX, plain rows or a nested list, found by
`solvers.extract`) or from lists of true and predicted labels (`solvers.confusion_lists`). Which
axis holds the actual classes is read as the binary solver reads it (`solvers.confusion_labels`):
the table's labels, a caption, or scikit-learn named; when nothing says, rows are actual.
The matrix is returned with rows = actual classes whatever the question's layout.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from solvers.confusion_grids import CONFUSION_WORDS, table_heading
from solvers.confusion_labels import SKLEARN, caption_axes, split_label, table_axes
from solvers.confusion_lists import label_lists
from solvers.confusion_multiclass_metrics import CountMatrix
from solvers.errors import InputTooLarge, InvalidQuestion, NotUnderstood
from solvers.extract import find_arrays
from solvers.tables import find_tables

MIN_CLASSES, MAX_CLASSES = 2, 20


@dataclass(frozen=True)
class Found:
    """A square block of numbers in the question, with whatever labels surround it."""

    values: tuple[tuple[float, ...], ...]
    row_labels: tuple[str, ...] = ()
    col_labels: tuple[str, ...] = ()
    heading: str = ""
    corner: str = ""


@dataclass(frozen=True)
class Reading:
    matrix: CountMatrix  # rows = actual classes
    labels: tuple[str, ...]
    orientation: str  # rows_actual | rows_predicted | labels
    orientation_assumed: bool
    description: str
    conventions: tuple[str, ...]


def _square(values: Sequence[Sequence[float]]) -> bool:
    return len(values) >= MIN_CLASSES and all(len(row) == len(values) for row in values)


def find_matrices(text: str) -> list[Found]:
    """Every square table or nested list that reads as a confusion matrix, each set of counts once."""
    tables = find_tables(text)
    found = [
        Found(tuple(map(tuple, t.values)), t.labels, tuple(t.column_labels), table_heading(t), t.corner)
        for t in tables
        if _square(t.values)
    ]
    for array in find_arrays(text):
        rows = [row for row in array.values if isinstance(row, list)]
        overlaps = any(t.start < array.end and array.start < t.end for t in tables)
        if array.is_matrix and not overlaps and _square(rows):
            found.append(Found(tuple(map(tuple, rows))))
    if not (CONFUSION_WORDS.search(text) or SKLEARN.search(text) or caption_axes(text)):
        found = [f for f in found if table_axes(f.row_labels, f.col_labels, f.heading, f.corner)]
    return list({f.values: f for f in found}.values())


def _names(labels: Sequence[str], size: int) -> list[str] | None:
    """Class names from a table's labels, without axis words; None unless all there and distinct."""
    names = [split_label(label)[1] for label in labels]
    if len(names) != size or not all(names) or len({n.lower() for n in names}) != size:
        return None
    return names


_STATED_LABELS = (
    re.compile(r"labels\s*=\s*\[(?P<l>[^\[\]\n]{1,400})\]", re.IGNORECASE),
    re.compile(
        r"\bclasses\b(?:\s+are)?\s*[:(]?\s*(?P<l>[\w'\"-]{1,20}(?:\s*,\s*[\w'\"-]{1,20})+(?:,?\s+and\s+[\w'\"-]{1,20})?)",
        re.IGNORECASE,
    ),
)


def stated_labels(text: str, size: int) -> list[str] | None:
    """`labels=['cat', 'dog', 'bird']`, `classes A, B and C`: class names in the question's order."""
    for pattern in _STATED_LABELS:
        for match in pattern.finditer(text):
            items = [i.strip().strip("'\"") for i in re.split(r",|\band\b", match["l"]) if i.strip()]
            if len(items) == size and len({i.lower() for i in items}) == size:
                return items
    return None


def _counts(values: Sequence[Sequence[float]]) -> CountMatrix:
    if not all(math.isfinite(v) and v >= 0 for row in values for v in row):
        raise InvalidQuestion("confusion-matrix counts must be finite and not negative")
    if not all(float(v).is_integer() for row in values for v in row):
        by_rows = all(math.isclose(sum(row), 1, abs_tol=0.011) for row in values)
        by_cols = all(math.isclose(sum(col), 1, abs_tol=0.011) for col in zip(*values, strict=True))
        if by_rows or by_cols:
            raise NotUnderstood(
                "the matrix is normalised per class (each row or column sums to 1); precision and "
                "accuracy need the counts, or the number of examples in each class"
            )
        raise NotUnderstood("a confusion matrix holds counts; these are not whole numbers")
    return tuple(tuple(int(v) for v in row) for row in values)


def _labels_of(found: Found, text: str, size: int) -> tuple[list[str], list[int], str]:
    """Class names, the column order that lines the columns up with the rows, and where names came from."""
    rows, cols = _names(found.row_labels, size), _names(found.col_labels, size)
    if rows and cols:
        index = {name.lower(): j for j, name in enumerate(cols)}
        if set(index) != {name.lower() for name in rows}:
            raise NotUnderstood(
                f"the rows name the classes {', '.join(rows)} but the columns {', '.join(cols)}; "
                "a confusion matrix has the same classes on both axes"
            )
        return rows, [index[name.lower()] for name in rows], "the table's labels"
    if rows or cols:
        return list(rows or cols or ()), list(range(size)), "the table's labels"
    stated = stated_labels(text, size)
    if stated:
        return stated, list(range(size)), "the question"
    return [str(i) for i in range(size)], list(range(size)), ""


def table_reading(found: Found, text: str) -> Reading:
    size = len(found.values)
    labels, column_order, source = _labels_of(found, text, size)
    values = [[row[j] for j in column_order] for row in found.values]
    counts = _counts(values)
    claims = table_axes(found.row_labels, found.col_labels, found.heading, found.corner) | caption_axes(text)
    if len(claims) > 1:
        raise NotUnderstood(
            "the table's labels and the question disagree about which axis holds the actual classes; "
            "label the rows and columns as Predicted or Actual"
        )
    sklearn = bool(SKLEARN.search(text)) and not claims
    assumed = not claims and not sklearn
    rows = claims.pop() if claims else "actual"
    if rows == "predicted":
        counts = tuple(zip(*counts, strict=True))
    conventions = [_orientation_note(rows, sklearn, assumed)]
    if source:
        conventions.append(f"Class names are taken from {source}, in the order shown.")
    else:
        conventions.append(
            "The table does not name its classes; they are numbered 0 to "
            f"{size - 1} in row order (class i is row and column i), as scikit-learn indexes them."
        )
    layout = (
        "rows = actual, columns = predicted" if rows == "actual" else "rows = predicted, columns = actual"
    )
    description = f"Reading the {size}×{size} table with {layout}"
    if rows == "predicted":
        description += ", turned below so that rows are actual classes"
    return Reading(counts, tuple(labels), f"rows_{rows}", assumed, description, tuple(conventions))


def _orientation_note(rows: str, sklearn: bool, assumed: bool) -> str:
    if assumed:
        return (
            "The question does not say which axis holds the actual classes; rows are taken as actual "
            "classes and columns as predicted ones (scikit-learn's convention). Read the other way, "
            "precision and recall of each class swap; that reading is accepted too."
        )
    if sklearn:
        return "Rows are actual (true) classes and columns predicted ones, as scikit-learn's confusion_matrix lays them out."
    cols = "predicted" if rows == "actual" else "actual"
    return f"Rows are {rows} classes and columns {cols} classes, as the question labels them."


def _sort_key(label: str) -> tuple[int, float, str]:
    try:
        return 0, float(label), ""
    except ValueError:
        return 1, 0.0, label


def lists_reading(y_true: list[str], y_pred: list[str], text: str) -> Reading:
    """Count each (true, predicted) pair; classes in sorted order, as scikit-learn's `unique_labels`."""
    present = set(y_true) | set(y_pred)
    stated = stated_labels(text, len(present))
    labels = stated if stated and set(stated) == present else sorted(present, key=_sort_key)
    index = {label: i for i, label in enumerate(labels)}
    cells = [[0] * len(labels) for _ in labels]
    for t, p in zip(y_true, y_pred, strict=True):
        cells[index[t]][index[p]] += 1
    order = "the order the question lists them" if labels is stated else "sorted order (scikit-learn's)"
    return Reading(
        tuple(map(tuple, cells)),
        tuple(labels),
        "labels",
        False,
        f"Counting the {len(y_true)} pairs of true and predicted labels into a {len(labels)}×{len(labels)} "
        "matrix (rows = actual, columns = predicted)",
        (
            "Each pair (true, predicted) adds 1 to the cell in the true class's row and the predicted "
            f"class's column; classes in {order}.",
        ),
    )


def read_matrix(text: str) -> Reading:
    """The one confusion matrix the question gives, as label lists or a k×k table."""
    lists = label_lists(text)
    if lists is not None:
        return lists_reading(*lists, text)
    found = find_matrices(text)
    if not found:
        raise NotUnderstood(
            "could not find a k×k confusion matrix or lists of true and predicted labels in the question",
            suggestions=[
                "| | Pred cat | Pred dog | Pred bird |\n|---|---|---|---|\n| True cat | 5 | 1 | 0 |"
            ],
        )
    if len(found) > 1:
        raise NotUnderstood(f"the question has {len(found)} different matrices; ask about one at a time")
    if len(found[0].values) > MAX_CLASSES:
        raise InputTooLarge(f"the matrix has {len(found[0].values)} classes; at most {MAX_CLASSES} are read")
    return table_reading(found[0], text)
