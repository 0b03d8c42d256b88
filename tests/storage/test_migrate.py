"""Several processes migrating one fresh database at once (workers starting together) do not race."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from app.storage.db import Database
from tests.live_server import ROOT

PROCESSES = 3


def test_three_processes_upgrade_a_fresh_database_together(database_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EXAMGRADER_DATA_DIR": str(tmp_path / "data"),
        "EXAMGRADER_DATABASE_URL": database_url,
    }
    upgrades = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(PROCESSES)
    ]
    outcomes = [process.communicate(timeout=120) for process in upgrades]
    for process, (out, err) in zip(upgrades, outcomes, strict=True):
        assert process.returncode == 0, err.decode()
        assert out.decode() == "the database schema is up to date\n"
    database = Database(database_url)
    with database.session() as session:
        versions = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        keys = session.execute(text("SELECT count(*) FROM api_keys")).scalar_one()
    database.dispose()
    assert len(versions) == 1 and keys == 0


def test_upgrading_twice_changes_nothing(database: Database) -> None:
    with database.session() as session:
        before = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    database.migrate()
    with database.session() as session:
        after = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert before == after and len(after) == 1
