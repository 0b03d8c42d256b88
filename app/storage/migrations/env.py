"""Alembic environment: the engine comes from `app.storage.db.alembic_config`, never from a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from app.storage.tables import Base

engine: Engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
