"""Regrade a key's stored submissions with the current bank and solvers, keeping an audit trail.

A grade "changes" when anything in it differs (score, parts, feedback). Each change replaces the
stored grade and writes a GradeAudit row (old score and grade, new score, reason, who) in the same
transaction; a dry run reports the same figures and writes nothing. A submission the grader now
refuses keeps its grade and is counted as failed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationError

from app.schemas import GradeRequest
from app.service import Examgrader
from app.storage.cursor import Cursor
from app.storage.submissions import Regraded, SubmissionFilter, SubmissionRepository
from app.storage.tables import Submission
from app.submission_schemas import RegradeItem, RegradeOut, RegradeRequest
from solvers.errors import ExamgraderError

MAX_ITEMS_LISTED = 100


def grade_request_of(row: Submission) -> GradeRequest:
    """The request the submission was graded from (its text if it had one, else its question id)."""
    return GradeRequest(
        question=row.question,
        question_id=row.question_id if row.question is None else None,
        response=row.response,
        reference_answer=row.reference_answer,
    )


class _Tally:
    def __init__(self) -> None:
        self.changed = self.unchanged = self.failed = 0
        self.items: list[RegradeItem] = []

    def note(self, item: RegradeItem) -> None:
        if item.status == "changed":
            self.changed += 1
        else:
            self.failed += 1
        if len(self.items) < MAX_ITEMS_LISTED:
            self.items.append(item)


def regrade(
    grader: Examgrader, repository: SubmissionRepository, request: RegradeRequest, key_id: int | None
) -> RegradeOut:
    """Regrade up to `request.limit` matching submissions of this key, oldest first."""
    where = SubmissionFilter(key_id, request.learner_id, request.question_id, request.since, request.until)
    after = Cursor.decode(request.cursor) if request.cursor is not None else None
    rows, next_cursor = repository.page(where, request.limit, after)
    tally = _Tally()
    for row in rows:
        try:
            new = grader.grade(grade_request_of(row), reveal_exam_only=True)  # stored whole, as at submission
        except (ExamgraderError, ValidationError) as error:
            code = error.code if isinstance(error, ExamgraderError) else "invalid_request"
            tally.note(
                RegradeItem(id=row.id, status="failed", old_score=row.score, new_score=None, error=code)
            )
            continue
        new_grade = new.model_dump(mode="json")
        if new_grade == row.grade:
            tally.unchanged += 1
            continue
        regraded = Regraded(row, new.score, new_grade, datetime.now(UTC))
        if not request.dry_run and not repository.apply_regrade(regraded, request.reason, key_id):
            item = RegradeItem(
                id=row.id,
                status="failed",
                old_score=row.score,
                new_score=new.score,
                error="regraded_meanwhile",
            )
            tally.note(item)
            continue
        tally.note(RegradeItem(id=row.id, status="changed", old_score=row.score, new_score=new.score))
    return RegradeOut(
        matched=len(rows),
        changed=tally.changed,
        unchanged=tally.unchanged,
        failed=tally.failed,
        dry_run=request.dry_run,
        items=tally.items,
        next_cursor=next_cursor.encode() if next_cursor is not None else None,
    )
