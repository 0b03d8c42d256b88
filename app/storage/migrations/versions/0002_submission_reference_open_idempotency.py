"""Submissions keep their reference answer (a regrade needs it); idempotency keys are unique in open mode too.

The (key_id, idempotency_key) constraint treats NULL key ids as distinct in both databases, so
submissions made without API keys get a partial unique index of their own.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN_MODE = sa.text("key_id IS NULL")


def upgrade() -> None:
    op.add_column("submissions", sa.Column("reference_answer", sa.Text(), nullable=True))
    op.create_index(
        "uq_submissions_open_idempotency",
        "submissions",
        ["idempotency_key"],
        unique=True,
        sqlite_where=OPEN_MODE,
        postgresql_where=OPEN_MODE,
    )


def downgrade() -> None:
    op.drop_index("uq_submissions_open_idempotency", "submissions")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("reference_answer")
