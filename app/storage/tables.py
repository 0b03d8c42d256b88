"""The tables, as SQLAlchemy 2 declarative models. Migrations (Alembic) create and change them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    """A client of the API. Only a SHA-256 digest of the key is stored; the key is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))  # the key's first characters, to tell keys apart
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(100))  # space-separated: grade read admin
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Submission(Base):
    """A learner's response, graded and stored; `grade` is the GradeOut JSON."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("key_id", "idempotency_key", name="uq_submissions_key_idempotency"),
        Index("ix_submissions_key_learner", "key_id", "learner_id"),
        Index("ix_submissions_key_question", "key_id", "question_id"),
        Index("ix_submissions_key_created", "key_id", "created_at"),
        # NULL key ids (open mode) are distinct to the constraint above; this index covers them.
        Index(
            "uq_submissions_open_idempotency",
            "idempotency_key",
            unique=True,
            sqlite_where=text("key_id IS NULL"),
            postgresql_where=text("key_id IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical request body
    learner_id: Mapped[str] = mapped_column(String(255))
    question_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    reference_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    response: Mapped[Any] = mapped_column(JSON)
    attempt: Mapped[int | None] = mapped_column(Integer, nullable=True)
    context: Mapped[Any] = mapped_column(JSON, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    grade: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    graded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GradeAudit(Base):
    """A grade replaced by a regrade: the old value, when and why."""

    __tablename__ = "grade_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id"), index=True)
    old_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    old_grade: Mapped[Any] = mapped_column(JSON)
    new_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    reason: Mapped[str] = mapped_column(String(500))
    regraded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    regraded_by: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
