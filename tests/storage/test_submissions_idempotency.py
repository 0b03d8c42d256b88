"""Idempotency-Key: a retry returns the stored submission, another body is a conflict, and requests
racing with one key store one row — the database's unique index decides, on both databases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.storage.db import Database
from app.storage.tables import Submission
from app.submission_errors import IdempotencyConflict
from app.submission_schemas import SubmissionCreate, SubmissionOut
from app.submission_service import request_digest
from tests.storage.submission_helpers import SWAPPED, conceptual, new_key, numeric, service

RACERS = 8


def stored(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Submission)) or 0


@pytest.mark.parametrize("keyed", [False, True], ids=["open-mode", "api-key"])
def test_a_retry_returns_the_stored_submission_and_another_body_conflicts(
    database: Database, keyed: bool
) -> None:
    key_id = new_key(database, "lms")[0] if keyed else None
    submissions = service(database)
    body = SubmissionCreate.model_validate(numeric(attempt=1))
    first, created = submissions.submit(body, key_id, "retry-1")
    again, replayed_created = submissions.submit(body, key_id, "retry-1")
    assert (created, replayed_created) == (True, False)
    assert again == first
    with pytest.raises(IdempotencyConflict, match="already used with a different request body"):
        submissions.submit(SubmissionCreate.model_validate(numeric(attempt=2)), key_id, "retry-1")
    other, created_other = submissions.submit(body, key_id, "retry-2")
    assert created_other and other.id != first.id
    assert stored(database) == 2


def test_idempotency_keys_are_scoped_to_the_api_key(database: Database) -> None:
    first_key, _ = new_key(database, "lms-a")
    second_key, _ = new_key(database, "lms-b")
    submissions = service(database)
    body = SubmissionCreate.model_validate(numeric())
    mine, _ = submissions.submit(body, first_key, "shared-key")
    theirs, created = submissions.submit(
        SubmissionCreate.model_validate(numeric(response=SWAPPED)), second_key, "shared-key"
    )
    assert created and theirs.id != mine.id and theirs.grade.score == 0.5
    assert stored(database) == 2


def test_the_digest_ignores_key_order_spacing_and_omitted_defaults() -> None:
    explicit = SubmissionCreate.model_validate_json(
        '{"response": "r", "learner_id": "ada", "question_id": "q1", "attempt": null, "context": null}'
    )
    minimal = SubmissionCreate.model_validate_json('{"learner_id":"ada","question_id":"q1","response":"r"}')
    assert request_digest(explicit) == request_digest(minimal)
    assert request_digest(minimal) != request_digest(
        SubmissionCreate.model_validate_json('{"learner_id":"ada","question_id":"q1","response":"r "}')
    )


@pytest.mark.parametrize("keyed", [False, True], ids=["open-mode", "api-key"])
def test_racing_inserts_with_one_key_store_one_row(database: Database, keyed: bool) -> None:
    """Every racer graded already and inserts at once: the unique index lets one win, the others
    roll back and return the winner's row."""
    key_id = new_key(database, "lms")[0] if keyed else None
    submissions = service(database)
    body = SubmissionCreate.model_validate(conceptual())
    start = threading.Barrier(RACERS)

    def race(_: int) -> tuple[SubmissionOut, bool]:
        start.wait()
        return submissions.submit(body, key_id, "same-key")

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(race, range(RACERS)))
    assert sum(created for _, created in results) == 1
    assert len({out.id for out, _ in results}) == 1
    assert stored(database) == 1


def test_a_racer_with_another_body_gets_the_conflict(database: Database) -> None:
    submissions = service(database)
    start = threading.Barrier(2)

    def race(response: str) -> str:
        start.wait()
        try:
            return submissions.submit(
                SubmissionCreate.model_validate(numeric(response=response)), None, "same-key"
            )[0].id
        except IdempotencyConflict:
            return "conflict"

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(race, ["accuracy 0.9", SWAPPED]))
    assert outcomes.count("conflict") == 1
    assert stored(database) == 1


def racer_row(index: int) -> Submission:
    now = datetime.now(UTC)
    return Submission(
        id=f"racer-{index}",
        idempotency_key="insert-race",
        request_digest="0" * 64,
        learner_id="ada",
        question="q",
        response="r",
        grade={},
        created_at=now,
        graded_at=now,
    )


def test_the_insert_alone_is_race_safe(database: Database) -> None:
    """Without the early lookup: rows prepared by every racer, inserted at once; one wins."""
    repository = service(database).repository
    start = threading.Barrier(RACERS)

    def race(index: int) -> tuple[str, bool]:
        row = racer_row(index)
        start.wait()
        winner, created = repository.insert_or_replay(row)
        return winner.id, created

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(race, range(RACERS)))
    assert sum(created for _, created in results) == 1
    assert len({winner for winner, _ in results}) == 1
    assert stored(database) == 1
