"""CSV cells that a spreadsheet would run as formulas are neutralised (OWASP CSV injection)."""

from __future__ import annotations

import pytest

from app.submission_csv import safe_cell


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("ada", "ada"),
        ("a=b", "a=b"),
        ("", ""),
        (-1.0, -1.0),
        (3, 3),
        (None, None),
    ],
)
def test_formula_starts_are_quoted_and_other_cells_kept(
    cell: str | float | None, written: str | float | None
) -> None:
    assert safe_cell(cell) == written
