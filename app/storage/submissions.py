"""Submissions in the database: insert or replay by idempotency key, read, page, export, regrade.

Every read is scoped to one API key (`key_id`; NULL in open mode): a key never sees another's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.storage.cursor import Cursor, as_utc
from app.storage.db import Database
from app.storage.tables import GradeAudit, Submission
from app.submission_errors import IdempotencyConflict

EXPORT_BATCH = 500


@dataclass(frozen=True)
class SubmissionFilter:
    key_id: int | None
    learner_id: str | None = None
    question_id: str | None = None
    since: datetime | None = None  # created at or after
    until: datetime | None = None  # created before

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses = [_owned_by(self.key_id)]
        if self.learner_id is not None:
            clauses.append(Submission.learner_id == self.learner_id)
        if self.question_id is not None:
            clauses.append(Submission.question_id == self.question_id)
        if self.since is not None:
            clauses.append(Submission.created_at >= as_utc(self.since))
        if self.until is not None:
            clauses.append(Submission.created_at < as_utc(self.until))
        return clauses


@dataclass(frozen=True)
class Regraded:
    """A new grade for a submission read earlier; applied only if nobody regraded it meanwhile."""

    submission: Submission
    new_score: float | None
    new_grade: dict[str, Any]
    graded_at: datetime


def _owned_by(key_id: int | None) -> ColumnElement[bool]:
    return Submission.key_id.is_(None) if key_id is None else Submission.key_id == key_id


def _after(cursor: Cursor) -> ColumnElement[bool]:
    return or_(
        Submission.created_at > cursor.created_at,
        and_(Submission.created_at == cursor.created_at, Submission.id > cursor.id),
    )


def _replayable(stored: Submission, request_digest: str) -> Submission:
    if stored.request_digest != request_digest:
        raise IdempotencyConflict(
            "this Idempotency-Key was already used with a different request body; "
            "send the same body to get the stored result, or use a new key"
        )
    return stored


class SubmissionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _by_idempotency_key(self, key_id: int | None, idempotency_key: str) -> Submission | None:
        with self.db.session() as session:
            return session.scalars(
                select(Submission).where(_owned_by(key_id), Submission.idempotency_key == idempotency_key)
            ).one_or_none()

    def find_replay(self, key_id: int | None, idempotency_key: str, request_digest: str) -> Submission | None:
        """The stored submission for this key, or None; IdempotencyConflict if the body differs."""
        stored = self._by_idempotency_key(key_id, idempotency_key)
        return None if stored is None else _replayable(stored, request_digest)

    def insert_or_replay(self, row: Submission) -> tuple[Submission, bool]:
        """Insert; if a concurrent request stored the same idempotency key first, return its row.
        The unique index decides the race, in either database; the bool says whether `row` was inserted."""
        try:
            with self.db.session() as session:
                session.add(row)
                session.flush()
        except IntegrityError:
            if row.idempotency_key is None:
                raise
            stored = self._by_idempotency_key(row.key_id, row.idempotency_key)
            if stored is None:
                raise
            return _replayable(stored, row.request_digest), False
        return row, True

    def get(self, key_id: int | None, submission_id: str) -> tuple[Submission, list[GradeAudit]] | None:
        """The submission with its regrade history (oldest first), if this key owns it."""
        with self.db.session() as session:
            row = session.scalars(
                select(Submission).where(_owned_by(key_id), Submission.id == submission_id)
            ).one_or_none()
            if row is None:
                return None
            history = session.scalars(
                select(GradeAudit)
                .where(GradeAudit.submission_id == row.id)
                .order_by(GradeAudit.regraded_at, GradeAudit.id)
            ).all()
            return row, list(history)

    def page(
        self, where: SubmissionFilter, limit: int, after: Cursor | None = None
    ) -> tuple[list[Submission], Cursor | None]:
        """Up to `limit` rows in (created_at, id) order after the cursor, and the next cursor if more."""
        statement = select(Submission).where(*where.clauses())
        if after is not None:
            statement = statement.where(_after(after))
        statement = statement.order_by(Submission.created_at, Submission.id).limit(limit + 1)
        with self.db.session() as session:
            rows = list(session.scalars(statement).all())
        if len(rows) <= limit:
            return rows, None
        last = rows[limit - 1]
        return rows[:limit], Cursor(as_utc(last.created_at), last.id)

    def count(self, where: SubmissionFilter) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(Submission).where(*where.clauses())) or 0

    def iterate(self, where: SubmissionFilter) -> Iterator[Submission]:
        """Every matching row in order, a batch per short transaction (for streaming an export)."""
        after: Cursor | None = None
        while True:
            rows, after = self.page(where, EXPORT_BATCH, after)
            yield from rows
            if after is None:
                return

    def apply_regrade(self, regraded: Regraded, reason: str, regraded_by: int | None) -> bool:
        """Replace the grade and write the audit row, in one transaction. False (nothing written)
        if the submission was regraded since it was read."""
        old = regraded.submission
        with self.db.session() as session:
            # Write first, read nothing: SQLite then waits for the lock instead of failing the snapshot.
            result = session.execute(
                update(Submission)
                .where(Submission.id == old.id, Submission.graded_at == as_utc(old.graded_at))
                .values(score=regraded.new_score, grade=regraded.new_grade, graded_at=regraded.graded_at)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return False
            session.add(
                GradeAudit(
                    submission_id=old.id,
                    old_score=old.score,
                    old_grade=old.grade,
                    new_score=regraded.new_score,
                    reason=reason,
                    regraded_at=regraded.graded_at,
                    regraded_by=regraded_by,
                )
            )
        return True
