"""Bodies of /v1/submissions: a graded, stored response with an LTI AGS-shaped score."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from app.schemas import SEED_Q2, GradeOut, GradeRequest
from app.storage.cursor import as_utc

MAX_CONTEXT_ENTRIES = 20
MAX_CONTEXT_KEY_CHARS = 100
MAX_CONTEXT_VALUE_CHARS = 1000
MAX_ATTEMPT = 1_000_000
MAX_REGRADE_BATCH = 5000
MAX_CURSOR_CHARS = 500

ContextValue = str | int | float | bool | None


def _check_storable(value: object, where: str) -> None:
    """Every value must be storable in either database: no NUL, no lone surrogate, no NaN or infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"'{where}' contains a number that is not finite")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"'{where}' contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"'{where}' contains a lone surrogate (not valid Unicode text)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_storable(key, where)
            _check_storable(item, where)
    elif isinstance(value, list):
        for item in value:
            _check_storable(item, where)


def _utc(value: datetime) -> datetime:
    """Naive times are UTC; a time that cannot be expressed in UTC is refused."""
    try:
        return as_utc(value)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


# ISO 8601 date and time, offset optional (then UTC); not a bare date nor a Unix timestamp, which
# pydantic would otherwise take ("0.0" is 1970), so that what is accepted is what the schema says.
ISO_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?$"


def _iso_datetime(value: object) -> object:
    if not isinstance(value, datetime) and not (isinstance(value, str) and re.fullmatch(ISO_DATETIME, value)):
        raise PydanticCustomError(
            "datetime_parsing", "Input should be a valid datetime in ISO 8601, e.g. 2026-01-31T12:00:00Z"
        )
    return value


UtcDatetime = Annotated[
    datetime,
    BeforeValidator(_iso_datetime),
    AfterValidator(_utc),
    WithJsonSchema({"type": "string", "pattern": ISO_DATETIME, "examples": ["2026-01-31T12:00:00Z"]}),
]


def _learner_id(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError("must not contain control characters")
    return value


class SubmissionCreate(GradeRequest):
    """A learner's response to grade and keep: the fields of POST /v1/grade plus who and which attempt."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "learner_id": "student-42",
                    "question": SEED_Q2,
                    "response": "accuracy 90%, precision 0.5, recall 0.8, F1 = 8/13",
                    "attempt": 1,
                    "context": {"course": "DL-101", "assignment": "quiz-3"},
                }
            ]
        },
    )
    learner_id: str = Field(min_length=1, max_length=255, description="The platform's id of the learner.")
    attempt: int | None = Field(default=None, ge=1, le=MAX_ATTEMPT)
    context: dict[str, ContextValue] | None = Field(
        default=None,
        description=f"Up to {MAX_CONTEXT_ENTRIES} flat entries (course, assignment…) kept with the submission.",
    )

    _valid_learner_id = field_validator("learner_id")(_learner_id)

    @field_validator("context")
    @classmethod
    def _small_context(cls, value: dict[str, ContextValue] | None) -> dict[str, ContextValue] | None:
        if value is None:
            return None
        if len(value) > MAX_CONTEXT_ENTRIES:
            raise ValueError(f"has more than {MAX_CONTEXT_ENTRIES} entries")
        for key, item in value.items():
            if not 1 <= len(key) <= MAX_CONTEXT_KEY_CHARS:
                raise ValueError(f"keys must be 1 to {MAX_CONTEXT_KEY_CHARS} characters")
            if isinstance(item, str) and len(item) > MAX_CONTEXT_VALUE_CHARS:
                raise ValueError(f"{key!r} is longer than {MAX_CONTEXT_VALUE_CHARS} characters")
        return value

    @model_validator(mode="after")
    def _storable(self) -> SubmissionCreate:
        for name in ("learner_id", "question", "question_id", "response", "reference_answer", "context"):
            _check_storable(getattr(self, name), name)
        return self

    def grade_request(self) -> GradeRequest:
        return GradeRequest(
            question=self.question,
            question_id=self.question_id,
            response=self.response,
            reference_answer=self.reference_answer,
        )


GradingProgress = Literal["FullyGraded", "PendingManual", "Failed"]
ActivityProgress = Literal["Submitted", "Completed"]


class AgsScore(BaseModel):
    """The score as an LTI Advantage AGS `score` object; `scoreGiven` is left out when nothing was graded."""

    userId: str
    scoreGiven: float | None = Field(default=None, ge=0)
    scoreMaximum: float
    comment: str
    timestamp: datetime
    activityProgress: ActivityProgress
    gradingProgress: GradingProgress

    @model_serializer(mode="wrap")
    def _omit_score_not_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("scoreGiven") is None:
            data.pop("scoreGiven", None)
        return data


class GradeChangeOut(BaseModel):
    """A grade replaced by a regrade."""

    old_score: float | None
    new_score: float | None
    reason: str
    regraded_at: datetime
    regraded_by: int | None = Field(description="The id of the API key that asked; null in open mode.")
    old_grade: dict[str, Any]


class SubmissionOut(BaseModel):
    id: str
    learner_id: str
    question_id: str | None
    question: str | None
    response: str | dict[str, Any]
    attempt: int | None
    context: dict[str, ContextValue] | None
    created_at: datetime
    graded_at: datetime
    grade: GradeOut
    score: AgsScore


class SubmissionDetailOut(SubmissionOut):
    history: list[GradeChangeOut] = Field(default_factory=list, description="Regrades, oldest first.")


class SubmissionPage(BaseModel):
    items: list[SubmissionOut]
    total: int = Field(description="Submissions matching the filters, over all pages.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


class RegradeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    learner_id: str | None = Field(default=None, min_length=1, max_length=255)
    question_id: str | None = Field(default=None, min_length=1, max_length=200)
    since: UtcDatetime | None = Field(default=None, description="Created at or after (UTC if no offset).")
    until: UtcDatetime | None = Field(default=None, description="Created before (UTC if no offset).")
    dry_run: bool = Field(default=True, description="Report what would change; write nothing.")
    reason: str = Field(min_length=1, max_length=500, description="Kept in each audit record.")
    limit: int = Field(
        default=1000, ge=1, le=MAX_REGRADE_BATCH, description="Submissions to regrade per call."
    )
    cursor: str | None = Field(
        default=None, max_length=MAX_CURSOR_CHARS, description="`next_cursor` of a call."
    )

    @model_validator(mode="after")
    def _storable(self) -> RegradeRequest:
        for name in ("learner_id", "question_id", "reason"):
            _check_storable(getattr(self, name), name)
        return self


class RegradeItem(BaseModel):
    id: str
    status: Literal["changed", "failed"]
    old_score: float | None
    new_score: float | None
    error: str | None = Field(default=None, description="Failed: the error code (the old grade is kept).")


class RegradeOut(BaseModel):
    matched: int = Field(description="Submissions regraded by this call (at most `limit`).")
    changed: int = Field(description="Grades that differ (dry run: that would be replaced).")
    unchanged: int
    failed: int = Field(description="Submissions the grader now refuses; their grade is kept.")
    dry_run: bool
    items: list[RegradeItem] = Field(description="Changed and failed submissions, the first 100.")
    next_cursor: str | None = Field(description="More submissions match: call again with this cursor.")
