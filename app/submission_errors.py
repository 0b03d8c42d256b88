"""Typed errors of stored submissions: an unknown id (404), a reused idempotency key (409), a bad cursor."""

from __future__ import annotations

from solvers.errors import ExamgraderError


class UnknownSubmission(ExamgraderError):
    """No submission with this id is visible to the caller (it may belong to another key)."""

    code = "unknown_submission"


class IdempotencyConflict(ExamgraderError):
    """The Idempotency-Key was used before with a different request body."""

    code = "idempotency_conflict"


class InvalidCursor(ExamgraderError):
    """A paging cursor that this service did not issue, or that was altered."""

    code = "invalid_cursor"
