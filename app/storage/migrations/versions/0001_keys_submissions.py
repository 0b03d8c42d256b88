"""API keys, submissions and the regrade audit trail.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("key_id", sa.Integer(), sa.ForeignKey("api_keys.id"), nullable=True),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.Column("request_digest", sa.String(64), nullable=False),
        sa.Column("learner_id", sa.String(255), nullable=False),
        sa.Column("question_id", sa.String(200), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=True),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("grade", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key_id", "idempotency_key", name="uq_submissions_key_idempotency"),
    )
    op.create_index("ix_submissions_key_learner", "submissions", ["key_id", "learner_id"])
    op.create_index("ix_submissions_key_question", "submissions", ["key_id", "question_id"])
    op.create_index("ix_submissions_key_created", "submissions", ["key_id", "created_at"])
    op.create_table(
        "grade_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.String(36), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("old_score", sa.Float(), nullable=True),
        sa.Column("old_grade", sa.JSON(), nullable=False),
        sa.Column("new_score", sa.Float(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("regraded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("regraded_by", sa.Integer(), sa.ForeignKey("api_keys.id"), nullable=True),
    )
    op.create_index("ix_grade_audit_submission_id", "grade_audit", ["submission_id"])


def downgrade() -> None:
    op.drop_index("ix_grade_audit_submission_id", "grade_audit")
    op.drop_table("grade_audit")
    for index in ("ix_submissions_key_created", "ix_submissions_key_question", "ix_submissions_key_learner"):
        op.drop_index(index, "submissions")
    op.drop_table("submissions")
    op.drop_table("api_keys")
