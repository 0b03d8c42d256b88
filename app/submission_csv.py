"""Submissions as CSV, streamed line by line, safe to open in a spreadsheet.

Per OWASP (CSV injection), a text cell starting with = + - @ tab or carriage return is prefixed
with a single quote, so no spreadsheet reads it as a formula; every cell is quoted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import chain

from app.submission_schemas import SubmissionOut

COLUMNS = (
    "id",
    "learner_id",
    "question_id",
    "attempt",
    "score",
    "scoreGiven",
    "scoreMaximum",
    "gradingProgress",
    "created_at",
    "graded_at",
    "feedback",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def safe_cell(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, as in the JSON bodies."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _row(submission: SubmissionOut) -> list[Cell]:
    return [
        submission.id,
        submission.learner_id,
        submission.question_id,
        submission.attempt,
        submission.grade.score,
        submission.score.scoreGiven,
        submission.score.scoreMaximum,
        submission.score.gradingProgress,
        _timestamp(submission.created_at),
        _timestamp(submission.graded_at),
        submission.grade.feedback,
    ]


def csv_lines(submissions: Iterable[SubmissionOut]) -> Iterator[str]:
    """The header row, then one row per submission; each yielded as soon as it is written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    header: list[Cell] = list(COLUMNS)
    for row in chain([header], map(_row, submissions)):
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
