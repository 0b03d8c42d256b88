"""Crash consistency: the real server is SIGKILLed in the middle of a stream of submissions,
restarted on the same database, and the clients retry what was not acknowledged with the same
Idempotency-Key. Every acknowledged submission must be stored exactly once with the grade that was
acknowledged, no retry may store a second row, and the database must pass its integrity checks.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from app.storage.db import Database
from app.storage.keys import KeyStore
from tests.live_server import LiveServer, ServerFailed, start_server
from tests.storage.crash_stream import Sent, Stream, workload

SEED = 20261122
CLIENTS = 4
PER_CLIENT = 30
KILL_LOOPS = 3
ACKNOWLEDGED_BETWEEN_KILLS = (8, 20)  # the kill comes after a seeded number of new acknowledgements
PHASE_TIMEOUT_S = 120
STARTING_S: list[float] = []  # how long each start took, for the summary line


def _start(env: dict[str, str], log: Path) -> LiveServer:
    started = time.monotonic()
    try:
        return start_server(env, log)
    except ServerFailed as failure:
        pytest.fail(str(failure))
    finally:
        STARTING_S.append(time.monotonic() - started)


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=PHASE_TIMEOUT_S)
        assert not thread.is_alive(), "a client hung after the server was killed"


def _stored(db: Database) -> list[Any]:
    with db.engine.connect() as connection:
        return list(
            connection.execute(
                text("SELECT id, key_id, idempotency_key, learner_id, score, grade FROM submissions")
            )
        )


def _check_integrity(db: Database) -> None:
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        else:
            invalid = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            invalid += "WHERE c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid"
            assert connection.execute(text(invalid)).scalar() == 0
        doubled = connection.execute(
            text(
                "SELECT key_id, idempotency_key FROM submissions WHERE idempotency_key IS NOT NULL "
                "GROUP BY key_id, idempotency_key HAVING count(*) > 1"
            )
        ).all()
        assert doubled == []
        orphan_audits = connection.execute(
            text(
                "SELECT count(*) FROM grade_audit a LEFT JOIN submissions s ON s.id = a.submission_id "
                "WHERE s.id IS NULL"
            )
        ).scalar()
        assert orphan_audits == 0
        orphan_owners = connection.execute(
            text(
                "SELECT count(*) FROM submissions s LEFT JOIN api_keys k ON k.id = s.key_id "
                "WHERE s.key_id IS NOT NULL AND k.id IS NULL"
            )
        ).scalar()
        assert orphan_owners == 0


def _check_stored_once(db: Database, sent: list[Sent], key_id: int) -> None:
    rows = _stored(db)
    assert len(rows) == len(sent), "a submission was lost or stored twice"
    assert Counter(row.idempotency_key for row in rows).most_common(1)[0][1] == 1
    assert Counter(row.learner_id for row in rows).most_common(1)[0][1] == 1  # a learner per request
    assert len({row.id for row in rows}) == len(rows)
    by_key = {row.idempotency_key: row for row in rows}
    for request in sent:
        acknowledged = request.acknowledged
        assert acknowledged is not None
        row = by_key[request.idempotency_key]
        assert row.id == acknowledged["id"]
        assert row.key_id == key_id
        assert row.learner_id == request.body["learner_id"] == acknowledged["learner_id"]
        assert row.score == acknowledged["grade"]["score"]
        stored_grade = row.grade if isinstance(row.grade, dict) else json.loads(row.grade)
        assert stored_grade == acknowledged["grade"]


def _check_replays(stream: Stream, server: LiveServer, rng: random.Random) -> None:
    """A replay only answers a request that was in flight at a crash; resending returns the same row."""
    for request in stream.sent:
        assert not request.replayed or request.in_doubt > 0, request.idempotency_key
    with httpx.Client(base_url=server.base, headers=stream.headers, timeout=30) as http:
        for request in rng.sample(stream.sent, 10):
            reply = http.post(
                "/v1/submissions", json=request.body, headers={"Idempotency-Key": request.idempotency_key}
            )
            assert reply.status_code == 200 and reply.headers["Idempotent-Replayed"] == "true"
            assert request.acknowledged is not None and reply.json()["id"] == request.acknowledged["id"]


# Five start-ups of the server on a busy shared machine take longer than the suite's default limit.
@pytest.mark.timeout(360)
def test_acknowledged_submissions_survive_sigkill_exactly_once(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    rng = random.Random(SEED)
    record, key = KeyStore(database).create("platform", frozenset({"grade", "read"}))
    env = {
        "EXAMGRADER_DATA_DIR": str(tmp_path / "data"),
        "EXAMGRADER_DATABASE_URL": database_url,
        "EXAMGRADER_RATE_LIMIT_PER_MINUTE": "1000000",
        "EXAMGRADER_LOG_LEVEL": "warning",
    }
    log = tmp_path / "server.log"
    stream = Stream(workload(CLIENTS, PER_CLIENT), {"Authorization": f"Bearer {key}"})
    server = _start(env, log)
    try:
        for _ in range(KILL_LOOPS):
            target = stream.acknowledged + rng.randint(*ACKNOWLEDGED_BETWEEN_KILLS)
            threads = stream.start(server.base)
            reached = stream.wait_for(target, threads, PHASE_TIMEOUT_S)
            server.kill()
            _join(threads)
            assert reached, f"the stream ended before the kill: {stream.failures}"
            server = _start(env, log)
        _join(stream.start(server.base))  # the rest, and every retry, on the last restart
        assert stream.failures == []
        _check_replays(stream, server, rng)
    finally:
        server.kill()  # the last stop is a crash too
    assert all(request.acknowledged is not None for request in stream.sent)
    _check_stored_once(database, stream.sent, record.id)
    _check_integrity(database)
    in_doubt = sum(request.in_doubt for request in stream.sent)
    replayed = sum(request.replayed for request in stream.sent)
    assert in_doubt > 0, "no request was in flight at a kill: the crash path went untested"
    print(
        f"\n{KILL_LOOPS} SIGKILLs survived, {len(stream.sent)} submissions checked, {in_doubt} in flight "
        f"at a kill, {replayed} found stored on retry, {time.monotonic() - started:.0f} s "
        f"({sum(STARTING_S[-KILL_LOOPS - 1 :]):.0f} s of it starting the server {KILL_LOOPS + 1} times)"
    )
