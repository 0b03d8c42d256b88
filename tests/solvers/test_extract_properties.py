"""Tables and arrays written from random values and labels read back as the same values and labels,
in every form the finders know; any text is read or refused with a project error, nothing else."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solvers.errors import ExamgraderError
from solvers.extract import find_arrays
from solvers.normalize import normalize
from solvers.tables import find_tables

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_RESERVED = {"total", "sum", "all", "overall", "x", "e", "by"}
_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=7).filter(lambda w: w not in _RESERVED)
_LABEL = st.lists(_WORD, min_size=1, max_size=2).map(" ".join).map(str.capitalize)
# Counts, signed integers and decimals, each written the way a question writes it.
_INTEGER = st.integers(-500, 10_000).map(str)
_DECIMAL = st.decimals(-100, 100, places=3, allow_nan=False, allow_infinity=False).map(str)
_CELL = _INTEGER | _DECIMAL


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[str], list[list[str]]]:
    """Row labels (distinct), column labels (distinct) and the written cells."""
    rows = draw(st.integers(2, 6))
    columns = draw(st.integers(2, 5))
    row_labels = draw(st.lists(_LABEL, min_size=rows, max_size=rows, unique_by=str.lower))
    column_labels = draw(st.lists(_WORD, min_size=columns, max_size=columns, unique=True))
    cells = draw(st.lists(st.lists(_CELL, min_size=columns, max_size=columns), min_size=rows, max_size=rows))
    first = sorted(float(c) for c in cells[0])
    # `| Label | 0 | 1 |` over other rows reads as a heading of class numbers, by design.
    assume(
        not all(c.lstrip("-").isdigit() for c in cells[0])
        or len(set(first)) != len(first)
        or first[0] not in (-1, 0, 1)
    )
    return row_labels, column_labels, cells


def _markdown(rows: list[str], columns: list[str], cells: list[list[str]]) -> str:
    lines = ["| | " + " | ".join(columns) + " |", "|" + "---|" * (len(columns) + 1)]
    lines += [f"| {label} | " + " | ".join(row) + " |" for label, row in zip(rows, cells, strict=True)]
    return "\n".join(lines)


def _latex(rows: list[str], columns: list[str], cells: list[list[str]]) -> str:
    lines = [rf"\begin{{tabular}}{{l{'c' * len(columns)}}}", " & " + " & ".join(columns) + r" \\ \hline"]
    lines += [f"{label} & " + " & ".join(row) + r" \\" for label, row in zip(rows, cells, strict=True)]
    return "\n".join([*lines, r"\end{tabular}"])


def _plain(rows: list[str], columns: list[str], cells: list[list[str]]) -> str:
    lines = [" ".join(columns)]
    lines += [f"{label}: " + " ".join(row) for label, row in zip(rows, cells, strict=True)]
    return "\n".join(lines)


@PROPERTY
@given(tables(), st.sampled_from([_markdown, _latex, _plain]), st.sampled_from(["", "Given the table:\n\n"]))
def test_a_written_table_reads_back(table, write, before) -> None:  # type: ignore[no-untyped-def]
    rows, columns, cells = table
    text = normalize(before + write(rows, columns, cells) + "\n\nWhat is the answer?")
    (found,) = find_tables(text)
    assert found.labels == tuple(rows)
    assert found.column_labels == tuple(columns)
    assert found.values == [[float(c) for c in row] for row in cells]


_NUMBER = _INTEGER | _DECIMAL | st.floats(-1e6, 1e6, allow_nan=False).map(repr)


def _vector_forms(values: list[str]) -> list[str]:
    return [
        "[" + ", ".join(values) + "]",
        "[" + " ".join(values) + "]",
        "(" + ", ".join(values) + ")",
        "[" + "; ".join(values) + "]",
        r"\begin{bmatrix} " + " & ".join(values) + r" \end{bmatrix}",
        r"\begin{pmatrix} " + r" \\ ".join(values) + r" \end{pmatrix}",
    ]


def _matrix_forms(rows: list[list[str]]) -> list[str]:
    return [
        "[" + ", ".join("[" + ", ".join(row) + "]" for row in rows) + "]",
        "[" + " ".join("[" + " ".join(row) + "]" for row in rows) + "]",
        r"\begin{bmatrix} " + r" \\ ".join(" & ".join(row) for row in rows) + r" \end{bmatrix}",
    ]


@PROPERTY
@given(st.lists(_NUMBER, min_size=2, max_size=12), st.sampled_from(["", "the mask m = ", "h = "]))
def test_a_written_vector_reads_back(values: list[str], before: str) -> None:
    for form in _vector_forms(values):
        (found,) = find_arrays(normalize(f"{before}{form}, then?"))
        assert not found.is_matrix, form
        assert found.values == [float(v) for v in values], form


@PROPERTY
@given(st.integers(2, 5), st.integers(2, 5), st.data())
def test_a_written_matrix_reads_back(height: int, width: int, data: st.DataObject) -> None:
    rows = data.draw(
        st.lists(st.lists(_NUMBER, min_size=width, max_size=width), min_size=height, max_size=height)
    )
    for form in _matrix_forms(rows):
        (found,) = find_arrays(normalize(f"W = {form}."))
        assert found.is_matrix, form
        assert found.values == [[float(v) for v in row] for row in rows], form


_STRUCTURE = st.sampled_from(
    [
        "|",
        "---",
        "&",
        r"\\",
        r"\begin{tabular}{cc}",
        r"\end{tabular}",
        r"\begin{bmatrix}",
        r"\end{bmatrix}",
        "[",
        "]",
        "(",
        ")",
        ",",
        ";",
        "\n",
        " ",
        "Total",
        "Actual",
        "Predicted",
        "0",
        "1",
        "-3",
        "2.5",
        "1e9",
        "50%",
        "1/3",
        "9" * 60,
        "nan",
        ":",
    ]
)


@PROPERTY
@given(st.lists(_STRUCTURE | st.text(max_size=5), max_size=60).map("".join) | st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_project_error(text: str) -> None:
    with contextlib.suppress(ExamgraderError):
        find_tables(text)
    with contextlib.suppress(ExamgraderError):
        find_arrays(text)
