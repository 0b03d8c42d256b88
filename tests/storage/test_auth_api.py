"""Access over HTTP: open while no key exists; then 401 without a valid key, 403 without the scope."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from app.auth import Caller, require
from app.storage.db import Database
from app.storage.keys import KeyStore
from tests.storage.conftest import MakeClient

SCOPES = ("grade", "read", "admin")
NEEDS_A_KEY = "this endpoint needs an API key: send the header `Authorization: Bearer <key>`"
SEED_Q2 = (
    "Compute accuracy, precision, recall and F1.\n"
    "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
    "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |"
)
BATCH = {"items": [{"question": SEED_Q2, "response": "accuracy 0.9, precision 0.5, recall 0.8, F1 8/13"}]}


def _with_probes(client: TestClient) -> TestClient:
    """Routes that need each scope and echo their caller, so the dependency is tested on its own."""
    for scope in SCOPES:
        client.app.add_api_route(f"/probe/{scope}", _probe(scope), methods=["GET"])  # type: ignore[attr-defined]
    return client


def _probe(scope: str) -> Callable[..., dict[str, Any]]:
    # A default, not an Annotated alias: the scope is a local, which a postponed annotation cannot see.
    def probe(caller: Caller = Depends(require(scope))) -> dict[str, Any]:  # noqa: B008
        return {"key_id": caller.key_id, "scopes": sorted(caller.scopes), "auth": caller.authenticated}

    return probe


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _refusal(reply: Any, status: int, code: str, message: str) -> None:
    assert reply.status_code == status
    assert reply.json() == {"error": {"code": code, "message": message}}


def test_everything_is_open_while_no_key_exists(make_client: MakeClient) -> None:
    client = _with_probes(make_client())
    for scope in SCOPES:
        reply = client.get(f"/probe/{scope}")
        assert reply.status_code == 200
        assert reply.json() == {"key_id": None, "scopes": sorted(SCOPES), "auth": False}
    assert client.post("/v1/grade/batch", json=BATCH).status_code == 200


def test_once_a_key_exists_a_missing_key_is_401_with_a_bearer_challenge(
    make_client: MakeClient, database: Database
) -> None:
    client = _with_probes(make_client())
    KeyStore(database).create("lms")  # as `examgrader keys create` does, while the server runs
    for path in ("/probe/grade", "/probe/read", "/probe/admin"):
        reply = client.get(path)
        _refusal(reply, 401, "unauthenticated", NEEDS_A_KEY)
        assert reply.headers["WWW-Authenticate"] == "Bearer"
    _refusal(client.post("/v1/grade/batch", json=BATCH), 401, "unauthenticated", NEEDS_A_KEY)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer eg_unknown", "the API key is not valid"),
        ("Bearer not-even-a-key", "the API key is not valid"),
        ("Basic dXNlcjpwYXNz", "the Authorization header must be `Bearer <key>`"),
        ("Bearer ", "the Authorization header must be `Bearer <key>`"),
    ],
)
def test_a_bad_key_is_401_on_every_route(
    make_client: MakeClient, database: Database, header: str, message: str
) -> None:
    client = _with_probes(make_client())
    KeyStore(database).create("lms")
    for reply in (
        client.get("/probe/grade", headers={"Authorization": header}),
        client.post("/v1/answer", json={"question": SEED_Q2}, headers={"Authorization": header}),
        client.get("/v1/practice", headers={"Authorization": header}),
    ):
        _refusal(reply, 401, "unauthenticated", message)
        assert reply.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_key_is_refused(make_client: MakeClient, database: Database) -> None:
    client = _with_probes(make_client())
    store = KeyStore(database)
    record, key = store.create("lms")
    assert client.get("/probe/grade", headers=bearer(key)).status_code == 200
    store.revoke(record.prefix)
    _refusal(
        client.get("/probe/grade", headers=bearer(key)),
        401,
        "unauthenticated",
        "the API key has been revoked",
    )
    _refusal(
        client.post("/v1/grade/batch", json=BATCH, headers=bearer(key)),
        401,
        "unauthenticated",
        "the API key has been revoked",
    )


def test_a_key_reaches_only_its_scopes(make_client: MakeClient, database: Database) -> None:
    client = _with_probes(make_client())
    record, key = KeyStore(database).create("lms", frozenset({"grade"}))
    reply = client.get("/probe/grade", headers=bearer(key))
    assert reply.json() == {"key_id": record.id, "scopes": ["grade"], "auth": True}
    for scope in ("read", "admin"):
        message = f"the key 'lms' lacks the '{scope}' scope this endpoint needs"
        _refusal(client.get(f"/probe/{scope}", headers=bearer(key)), 403, "forbidden", message)
    assert client.post("/v1/grade/batch", json=BATCH, headers=bearer(key)).status_code == 200
    _, reader = KeyStore(database).create("dashboard", frozenset({"read"}))
    message = "the key 'dashboard' lacks the 'grade' scope this endpoint needs"
    _refusal(client.post("/v1/grade/batch", json=BATCH, headers=bearer(reader)), 403, "forbidden", message)


def test_admin_implies_every_scope(make_client: MakeClient, database: Database) -> None:
    client = _with_probes(make_client())
    record, key = KeyStore(database).create("operator", frozenset({"admin"}))
    for scope in SCOPES:
        reply = client.get(f"/probe/{scope}", headers=bearer(key))
        assert reply.json() == {"key_id": record.id, "scopes": sorted(SCOPES), "auth": True}


def test_open_routes_take_a_valid_key_and_stay_open_without_one(
    make_client: MakeClient, database: Database
) -> None:
    client = make_client()
    _, key = KeyStore(database).create("lms")
    for headers in ({}, bearer(key)):
        assert client.post("/v1/answer", json={"question": SEED_Q2}, headers=headers).status_code == 200
        assert client.get("/v1/practice", params={"seed": 3}, headers=headers).status_code == 200
        graded = client.post("/v1/grade", json=BATCH["items"][0], headers=headers)
        assert graded.status_code == 200 and graded.json()["score"] == pytest.approx(1.0)


def test_keys_never_reach_the_logs(
    make_client: MakeClient,
    database: Database,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, the database driver's SQL and parameters too
    client = make_client(log_level="debug", log_format="text")
    store = KeyStore(database)
    _, key = store.create("lms", frozenset({"grade"}))
    old, revoked = store.create("old")
    store.revoke(str(old.id))
    calls = [
        client.post("/v1/grade/batch", json=BATCH, headers=bearer(key)),
        client.post("/v1/answer", json={"question": SEED_Q2}, headers=bearer(key)),
        client.get("/v1/questions/no-such-id", headers=bearer(key)),
        client.post("/v1/grade/batch", json=BATCH, headers=bearer(revoked)),
        client.post("/v1/grade/batch", json=BATCH, headers=bearer(key + "x")),
    ]
    assert [reply.status_code for reply in calls] == [200, 200, 404, 401, 401]
    logged = capsys.readouterr()
    written = logged.out + logged.err + caplog.text
    assert "/v1/grade/batch" in written  # the requests were logged...
    for secret in (key, revoked):
        assert secret.removeprefix("eg_")[8:] not in written  # ...and no key, not even in part
