"""Storage tests run against SQLite (a file in a temporary directory) and PostgreSQL (a schema of
its own per test, dropped afterwards). PostgreSQL must be reachable: the tests fail without it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.storage.db import Database
from question_bank.loader import QuestionBank, load_bank

POSTGRES = os.environ.get("EXAMGRADER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# The app's own tests send many requests from one address; the limit itself is tested with its own.
GENEROUS_RATE_LIMIT = {"rate_limit_per_minute": 1_000_000, "rate_limit_burst": 1_000_000}

MakeClient = Callable[..., TestClient]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'examgrader.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated database (the same one `make_client`'s apps use)."""
    db = Database(database_url)
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def bank() -> QuestionBank:
    """The shipped bank, read once (it is immutable): apps start faster."""
    return load_bank()


@pytest.fixture
def make_client(
    database_url: str, tmp_path: Path, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MakeClient]:
    """`make_client(overrides=None, **more)`: a TestClient of an app on the test's database."""
    monkeypatch.setattr("app.main.load_bank", lambda: bank)
    clients: list[TestClient] = []

    def make(overrides: Mapping[str, Any] | None = None, **more: Any) -> TestClient:
        values: dict[str, Any] = {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            **GENEROUS_RATE_LIMIT,
            **(overrides or {}),
            **more,
        }
        client = TestClient(create_app(Settings(**values)))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
        client.app.state.db.dispose()  # type: ignore[attr-defined]
