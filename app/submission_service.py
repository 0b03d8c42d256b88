"""Grade a submission and keep it; read, page and export a key's submissions. No HTTP here.

A request the grader refuses (unknown question, not understood…) raises its typed error and stores
nothing. An unreadable response is a grade (status "unreadable", score withheld) and is stored.
Grades are stored whole; an exam-only entry's answer is shown only to callers who may read it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from app.ags import ags_score
from app.exam_only import redact_grade
from app.schemas import GradeOut
from app.service import Examgrader
from app.storage.cursor import Cursor, as_utc
from app.storage.submissions import SubmissionFilter, SubmissionRepository
from app.storage.tables import GradeAudit, Submission
from app.submission_csv import csv_lines
from app.submission_errors import UnknownSubmission
from app.submission_schemas import (
    GradeChangeOut,
    SubmissionCreate,
    SubmissionDetailOut,
    SubmissionOut,
    SubmissionPage,
)


def request_digest(body: SubmissionCreate) -> str:
    """SHA-256 of the body as canonical JSON: key order, spacing and omitted defaults do not count."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def submission_out(row: Submission, grade: GradeOut) -> SubmissionOut:
    graded_at = as_utc(row.graded_at)
    return SubmissionOut(
        id=row.id,
        learner_id=row.learner_id,
        question_id=row.question_id,
        question=row.question,
        response=row.response,
        attempt=row.attempt,
        context=row.context,
        created_at=as_utc(row.created_at),
        graded_at=graded_at,
        grade=grade,
        score=ags_score(grade, row.learner_id, graded_at),
    )


def change_out(audit: GradeAudit, old_grade: dict[str, Any]) -> GradeChangeOut:
    return GradeChangeOut(
        old_score=audit.old_score,
        new_score=audit.new_score,
        reason=audit.reason,
        regraded_at=as_utc(audit.regraded_at),
        regraded_by=audit.regraded_by,
        old_grade=old_grade,
    )


class SubmissionService:
    def __init__(self, grader: Examgrader, repository: SubmissionRepository) -> None:
        self.grader = grader
        self.repository = repository

    def _shown(self, stored: dict[str, Any], reveal_exam_only: bool) -> GradeOut:
        """Grades are stored whole; an exam-only entry's answer is left out for callers who may not read it."""
        grade = GradeOut.model_validate(stored)
        if not reveal_exam_only and self.grader.exam_only(grade.question_id):
            return redact_grade(grade)
        return grade

    def _out(self, row: Submission, reveal_exam_only: bool) -> SubmissionOut:
        return submission_out(row, self._shown(row.grade, reveal_exam_only))

    def submit(
        self,
        body: SubmissionCreate,
        key_id: int | None,
        idempotency_key: str | None,
        reveal_exam_only: bool = False,
    ) -> tuple[SubmissionOut, bool]:
        """The stored submission, and whether it was created now (False: an idempotent replay)."""
        digest = request_digest(body)
        if idempotency_key is not None:
            stored = self.repository.find_replay(key_id, idempotency_key, digest)
            if stored is not None:
                return self._out(stored, reveal_exam_only), False
        created_at = datetime.now(UTC)
        grade = self.grader.grade(body.grade_request(), reveal_exam_only=True)
        row = Submission(
            id=str(uuid.uuid4()),
            key_id=key_id,
            idempotency_key=idempotency_key,
            request_digest=digest,
            learner_id=body.learner_id,
            question_id=body.question_id if body.question_id is not None else grade.question_id,
            question=body.question,
            reference_answer=body.reference_answer,
            response=body.response,
            attempt=body.attempt,
            context=body.context,
            score=grade.score,
            grade=grade.model_dump(mode="json"),
            created_at=created_at,
            graded_at=datetime.now(UTC),
        )
        stored, created = self.repository.insert_or_replay(row)
        return self._out(stored, reveal_exam_only), created

    def get(
        self, key_id: int | None, submission_id: str, reveal_exam_only: bool = False
    ) -> SubmissionDetailOut:
        # Ids are UUIDs; a NUL could not be one (and PostgreSQL refuses it in a query).
        found = None if "\x00" in submission_id else self.repository.get(key_id, submission_id)
        if found is None:
            raise UnknownSubmission(f"no submission with id {submission_id!r}")
        row, history = found
        changes = [
            change_out(audit, self._shown(audit.old_grade, reveal_exam_only).model_dump(mode="json"))
            for audit in history
        ]
        return SubmissionDetailOut(**dict(self._out(row, reveal_exam_only)), history=changes)

    def page(
        self, where: SubmissionFilter, limit: int, cursor: str | None, reveal_exam_only: bool = False
    ) -> SubmissionPage:
        after = Cursor.decode(cursor) if cursor is not None else None
        rows, next_cursor = self.repository.page(where, limit, after)
        return SubmissionPage(
            items=[self._out(row, reveal_exam_only) for row in rows],
            total=self.repository.count(where),
            next_cursor=next_cursor.encode() if next_cursor is not None else None,
        )

    def export_csv(self, where: SubmissionFilter, reveal_exam_only: bool = False) -> Iterator[str]:
        return csv_lines(self._out(row, reveal_exam_only) for row in self.repository.iterate(where))
