"""`examgrader keys create|list|revoke` on the configured database, in-process and as a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.storage.db import Database
from app.storage.keys import KeyStore
from tests.live_server import ROOT
from tests.storage.conftest import MakeClient

WARNING = "store this key now: it will not be shown again"


@pytest.fixture
def configured(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The `EXAMGRADER_*` environment the command reads, pointing at the test's database."""
    monkeypatch.setenv("EXAMGRADER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EXAMGRADER_DATABASE_URL", database_url)
    return database_url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_create_prints_the_key_once_with_a_warning(
    configured: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys, "keys", "create", "--name", "moodle-prod", "--scope", "grade", "--scope", "read"
    )
    assert code == 0
    key = out.strip()
    assert out == f"{key}\n" and key.startswith("eg_")
    assert err == f"created key 1 ('moodle-prod', scopes: grade, read)\n{WARNING}\n"
    database = Database(configured)
    found = KeyStore(database).find(key)
    database.dispose()
    assert found is not None and found.scopes == {"grade", "read"}


def test_the_default_scope_is_grade(configured: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, err = _run(capsys, "keys", "create", "--name", "lms")
    assert "scopes: grade)" in err
    database = Database(configured)
    found = KeyStore(database).find(out.strip())
    database.dispose()
    assert found is not None and found.scopes == {"grade"}


def test_list_shows_keys_but_never_the_key(configured: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = _run(capsys, "keys", "create", "--name", "lms")
    _, second, _ = _run(capsys, "keys", "create", "--name", "ops", "--scope", "admin")
    code, table, _ = _run(capsys, "keys", "list")
    assert code == 0
    lines = table.splitlines()
    assert lines[0].split() == ["ID", "PREFIX", "NAME", "SCOPES", "CREATED", "REVOKED"]
    assert lines[1].split()[:4] == ["1", first.strip()[:11], "lms", "grade"]
    assert lines[2].split()[:4] == ["2", second.strip()[:11], "ops", "admin"]
    assert lines[1].endswith("-")
    _, listed, _ = _run(capsys, "keys", "list", "--json")
    rows = json.loads(listed)
    assert [(r["id"], r["name"], r["scopes"], r["revoked_at"]) for r in rows] == [
        (1, "lms", ["grade"], None),
        (2, "ops", ["admin"], None),
    ]
    for key in (first.strip(), second.strip()):
        assert key not in table and key not in listed


def test_revoke_by_id_and_by_prefix(configured: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = _run(capsys, "keys", "create", "--name", "lms")
    _, second, _ = _run(capsys, "keys", "create", "--name", "ops")
    prefix = second.strip()[:11]
    assert _run(capsys, "keys", "revoke", "1") == (0, f"revoked key 1 ({first.strip()[:11]}, 'lms')\n", "")
    assert _run(capsys, "keys", "revoke", prefix) == (0, f"revoked key 2 ({prefix}, 'ops')\n", "")
    _, listed, _ = _run(capsys, "keys", "list", "--json")
    assert all(row["revoked_at"] is not None for row in json.loads(listed))


def test_unknown_keys_and_bad_requests_are_errors(
    configured: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "keys", "revoke", "eg_missing") == (
        2,
        "",
        "error: no key has the id or prefix 'eg_missing'\n",
    )
    assert _run(capsys, "keys", "create", "--name", " ") == (
        2,
        "",
        "error: a key's name must be 1 to 100 characters\n",
    )
    with pytest.raises(SystemExit):
        main(["keys", "create", "--name", "lms", "--scope", "write"])
    assert "invalid choice: 'write'" in capsys.readouterr().err


def test_the_command_creates_a_key_the_running_server_sees(
    configured: str, make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client()
    batch = {"items": [{"question_id": "no-such-question", "response": "42"}]}
    assert client.post("/v1/grade/batch", json=batch).status_code == 200  # open: no key yet
    created = subprocess.run(
        [sys.executable, "-m", "app.cli", "keys", "create", "--name", "lms"],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    assert WARNING in created.stderr
    key = created.stdout.strip()
    assert client.post("/v1/grade/batch", json=batch).status_code == 401  # closed, without a restart
    assert (
        client.post("/v1/grade/batch", json=batch, headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )
