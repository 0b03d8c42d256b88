"""Finding vectors, matrices, tables and named quantities in (normalised) question text."""

import pytest

from solvers.errors import InputTooLarge, InvalidQuestion
from solvers.extract import find_arrays
from solvers.limits import MAX_TABLE_ROWS
from solvers.normalize import normalize
from solvers.quantities import Written, find_quantities
from solvers.tables import find_tables

# ---------------------------------------------------------------- arrays


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = [2.0, 5, 7.12]", [[2.0, 5.0, 7.12]]),
        ("x = (1, 2, 3)", [[1.0, 2.0, 3.0]]),
        ("W = [[1, 2], [3, 4]]", [[[1.0, 2.0], [3.0, 4.0]]]),
        ("W = [[1 2]; [3 4]]", [[[1.0, 2.0], [3.0, 4.0]]]),
        ("$\\begin{bmatrix} 50 & 10 \\\\ 5 & 35 \\end{bmatrix}$", [[[50.0, 10.0], [5.0, 35.0]]]),
        ("$\\begin{pmatrix} 1 \\\\ 2 \\\\ 3 \\end{pmatrix}$", [[1.0, 2.0, 3.0]]),  # a column is a vector
        ("a = [1, 2] and m = [1, 0]", [[1.0, 2.0], [1.0, 0.0]]),
        ("p = 0.5 and no list", []),
    ],
    ids=["flat", "parenthesised", "nested", "nested-semicolons", "bmatrix", "column", "two", "none"],
)
def test_find_arrays(text, expected):
    assert [a.values for a in find_arrays(normalize(text))] == expected


def test_array_context_is_the_words_before_it():
    (array,) = find_arrays(normalize("The dropout mask: m = [1, 0, 1]"))
    assert array.context.endswith("dropout mask: m = ")
    assert not array.is_matrix


def test_deep_nesting_is_refused():
    with pytest.raises(InputTooLarge):
        find_arrays("[" * 20 + "1" + "]" * 20)


# ---------------------------------------------------------------- tables

PIPE = (
    "| | Predicted Cancer | Predicted No Cancer |\n|---|---|---|\n"
    "| Actual Cancer | 80 | 20 |\n| Actual No Cancer | 80 | 820 |"
)
TOTALS = (
    "| | Predicted + | Predicted - | Total |\n|---|---|---|---|\n| Actual + | 50 | 10 | 60 |\n"
    "| Actual - | 5 | 35 | 40 |\n| Total | 55 | 45 | 100 |"
)
CLASS_HEADER = "| | 0 | 1 |\n|---|---|---|\n| 0 | 50 | 10 |\n| 1 | 5 | 35 |"
CORNER = "| Actual \\ Predicted | 0 | 1 |\n|---|---|---|\n| 0 | 50 | 10 |\n| 1 | 5 | 35 |"
TABULAR = (
    "\\begin{tabular}{c|cc} & \\multicolumn{2}{c}{Predicted} \\\\ Actual & Pos & Neg \\\\ \\hline "
    "Pos & 50 & 10 \\\\ Neg & 5 & 35 \\end{tabular}"
)
ARRAY_ENV = (
    "\\begin{array}{c|cc} & \\text{Predicted Yes} & \\text{Predicted No} \\\\ \\hline "
    "\\text{Actual Yes} & 60 & 15 \\\\ \\text{Actual No} & 10 & 115 \\end{array}"
)
BMATRIX = "$$\\begin{bmatrix} 50 & 10 \\\\ 5 & 35 \\end{bmatrix}$$"
PLAIN = (
    "Consider\n      Predicted\n   Positive  Negative\nActual Positive 50 10\nActual Negative: 5 35\nCompute."
)
PLAIN_CLASS_HEADER = "Confusion matrix:\n0 1\n50 10\n5 35"
PLAIN_CLASS_COLUMN = "True 0 16 24\nTrue 1 47 36"
PLAIN_TOTALS = "Predicted + Predicted - Total\nActual + 50 10 60\nActual - 5 35 40\nTotal 55 45 100"
UNITS = "| unit | 1 | 2 | 3 |\n|---|---|---|---|\n| activation | 2.0 | 5.0 | 7.0 |\n| mask | 1 | 0 | 1 |"
ONE_ROW = "| fan_in | fan_out |\n|---|---|\n| 784 | 256 |"
RAGGED = "| | A | B |\n|---|---|---|\n| x | 1 | 2 |\n| y | 3 | 4 |\n| accuracy | 0.9 | |"


@pytest.mark.parametrize(
    ("text", "headings", "rows"),
    [
        (
            PIPE,
            [["", "Predicted Cancer", "Predicted No Cancer"]],
            [("Actual Cancer", (80, 20)), ("Actual No Cancer", (80, 820))],
        ),
        (TOTALS, [["", "Predicted +", "Predicted -"]], [("Actual +", (50, 10)), ("Actual -", (5, 35))]),
        (CLASS_HEADER, [["", "0", "1"]], [("0", (50, 10)), ("1", (5, 35))]),
        (CORNER, [["Actual Predicted", "0", "1"]], [("0", (50, 10)), ("1", (5, 35))]),
        (TABULAR, [["", "Predicted"], ["Actual", "Pos", "Neg"]], [("Pos", (50, 10)), ("Neg", (5, 35))]),
        (
            ARRAY_ENV,
            [["", "Predicted Yes", "Predicted No"]],
            [("Actual Yes", (60, 15)), ("Actual No", (10, 115))],
        ),
        (BMATRIX, [], [("", (50, 10)), ("", (5, 35))]),
        (
            PLAIN,
            [["Predicted"], ["Positive", "Negative"]],
            [("Actual Positive", (50, 10)), ("Actual Negative", (5, 35))],
        ),
        (PLAIN_CLASS_HEADER, [["", "0", "1"]], [("", (50, 10)), ("", (5, 35))]),
        (PLAIN_CLASS_COLUMN, [], [("True 0", (16, 24)), ("True 1", (47, 36))]),
        (PLAIN_TOTALS, [["Predicted + Predicted - Total"]], [("Actual +", (50, 10)), ("Actual -", (5, 35))]),
        (UNITS, [["unit", "1", "2", "3"]], [("activation", (2, 5, 7)), ("mask", (1, 0, 1))]),
        (ONE_ROW, [["fan_in", "fan_out"]], [("", (784, 256))]),
        (RAGGED, [["", "A", "B"]], [("x", (1, 2)), ("y", (3, 4))]),  # a row of another shape ends it
    ],
    ids=[
        "markdown",
        "markdown-totals",
        "header-of-class-numbers",
        "corner-over-class-numbers",
        "latex-tabular-two-level",
        "latex-array",
        "latex-bmatrix",
        "plain-two-heading-lines",
        "plain-header-of-class-numbers",
        "plain-class-number-column",
        "plain-totals",
        "unit-numbers-over-rows",
        "one-row",
        "ragged-row-ends-table",
    ],
)
def test_find_tables(text, headings, rows):
    (table,) = find_tables(normalize(text))
    assert [list(h) for h in table.headings] == headings
    assert table.rows == tuple((label, tuple(map(float, values))) for label, values in rows)


@pytest.mark.parametrize(
    ("text", "column_labels", "corner"),
    [
        (PIPE, ("Predicted Cancer", "Predicted No Cancer"), ""),
        (TOTALS, ("Predicted +", "Predicted -"), ""),
        (CORNER, ("0", "1"), "Actual Predicted"),
        (TABULAR, ("Pos", "Neg"), "Actual"),
        (BMATRIX, ("", ""), ""),
        (PLAIN, ("Positive", "Negative"), ""),
        (PLAIN_TOTALS, ("", ""), ""),  # one heading cell, narrower than the numbers
    ],
    ids=["markdown", "totals", "corner", "tabular", "bmatrix", "plain", "plain-one-heading-cell"],
)
def test_column_labels_and_corner(text, column_labels, corner):
    (table,) = find_tables(normalize(text))
    assert (table.column_labels, table.corner) == (column_labels, corner)


@pytest.mark.parametrize(
    "text",
    [
        "| a | b |\n|---|---|\n| x | y |",  # no numbers
        "Accuracy 0.9\nprecision is 0.8.",  # one number a line is a sentence, not a row
        "The model was trained for 20 epochs on 1000 images.",
    ],
    ids=["words-only", "single-numbers", "prose"],
)
def test_text_without_tables(text):
    assert find_tables(normalize(text)) == []


def test_tables_come_in_text_order_with_their_spans():
    text = normalize(f"First:\n{PIPE}\n\nThen:\n{BMATRIX}")
    first, second = find_tables(text)
    assert first.start < first.end < second.start
    assert text[first.start : first.end].startswith("| |")
    assert text[second.start :].startswith("\\begin{bmatrix}")
    assert first.context.endswith("first:\n")


def test_too_many_table_rows_are_refused():
    rows = "\n".join(f"| r{i} | {i} | {i} |" for i in range(MAX_TABLE_ROWS + 1))
    with pytest.raises(InputTooLarge):
        find_tables("| | a | b |\n|---|---|---|\n" + rows)


# ---------------------------------------------------------------- named quantities

TP = r"true[\s-]+positives?|TPs?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TP = 80", [(80, Written.NAME_FIRST)]),
        ("TP: 45 FP: 5", [(45, Written.NAME_FIRST)]),
        ("True Positives (TP): 45", [(45, Written.NAME_FIRST)]),
        ("TP is equal to 30.", [(30, Written.NAME_FIRST)]),
        ("- TP: 80", [(80, Written.NAME_FIRST)]),  # a bullet, not a minus
        ("80 (TP)", [(80, Written.NAME_IN_BRACKETS)]),
        ("80 true positives", [(80, Written.NAME_AFTER)]),
        ("80 cases were true positives", [(80, Written.NAME_AFTER)]),
        ("TP + FP = 160", []),  # a term of a sum names nothing
        ("TP + FP = 160 and TP = 80", [(80, Written.NAME_FIRST)]),
        ("FP + TP = 160", []),
        ("Model A: TP = 80. Model B: TP = 70.", [(80, Written.NAME_FIRST), (70, Written.NAME_FIRST)]),
        ("TP = 8 × 10^2", [(800, Written.NAME_FIRST)]),
        ("no count here", []),
    ],
    ids=[
        "equals",
        "colon",
        "bracketed-alias",
        "in-words",
        "bullet",
        "name-in-brackets",
        "name-after",
        "fillers",
        "sum",
        "sum-then-count",
        "sum-reversed",
        "every-hit",
        "exponent",
        "none",
    ],
)
def test_find_quantities(text, expected):
    found = find_quantities(normalize(text), TP)
    assert [(q.number.value, q.written) for q in found] == expected


def test_quantity_spans_cover_the_number_without_a_full_stop():
    text = "Here TP = 80."
    (found,) = find_quantities(text, TP)
    assert text[found.start : found.end] == "80"


def test_a_percentage_is_read_as_one():
    (found,) = find_quantities("TP = 80%", TP)
    assert found.number.percent and found.number.value == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("text", "loose", "strict"),
    [("n = 100", [100], [100]), ("n 100", [100], []), ("100 n", [100], [])],
    ids=["linked", "unlinked", "after"],
)
def test_strict_reads_only_name_link_value(text, loose, strict):
    names = r"(?-i:n)"
    assert [q.number.value for q in find_quantities(text, names)] == loose
    assert [q.number.value for q in find_quantities(text, names, strict=True)] == strict


@pytest.mark.parametrize("text", ["TP = 9**9**9, FP = 1", "TP = 2^10, FP = 3", "TP = 20!, FP = 3"])
def test_a_formula_where_a_count_is_expected_is_refused(text: str) -> None:
    with pytest.raises(InvalidQuestion, match="is a formula where a value is expected"):
        find_quantities(text, "TP")
