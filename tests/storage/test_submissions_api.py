"""/v1/submissions over HTTP on both databases: the walkthrough a platform follows, keys and scopes,
racing retries, and a restart."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from tests.storage.conftest import MakeClient
from tests.storage.submission_helpers import SWAPPED, bearer, conceptual, exam_grader, numeric

RACERS = 6


def test_submit_retry_list_export_and_regrade(make_client: MakeClient) -> None:
    client = make_client()
    first = client.post("/v1/submissions", json=numeric(attempt=1), headers={"Idempotency-Key": "ada-q2-1"})
    assert first.status_code == 201, first.text
    made = first.json()
    assert first.headers["location"] == f"/v1/submissions/{made['id']}"
    assert "idempotent-replayed" not in first.headers
    assert made["score"] == {
        "userId": "ada",
        "scoreGiven": 1.0,
        "scoreMaximum": 1.0,
        "comment": made["grade"]["feedback"],
        "timestamp": made["graded_at"],
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
    }

    retry = client.post("/v1/submissions", json=numeric(attempt=1), headers={"Idempotency-Key": "ada-q2-1"})
    assert (retry.status_code, retry.headers["idempotent-replayed"], retry.json()) == (200, "true", made)

    conflict = client.post(
        "/v1/submissions", json=numeric(attempt=2), headers={"Idempotency-Key": "ada-q2-1"}
    )
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_conflict"

    unreadable = client.post("/v1/submissions", json=numeric("bob", response="no idea"))
    assert unreadable.status_code == 201
    assert "scoreGiven" not in unreadable.json()["score"]
    assert unreadable.json()["score"]["gradingProgress"] == "Failed"

    refused = client.post(
        "/v1/submissions", json={"learner_id": "cy", "question_id": "no-such", "response": "x"}
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "unknown_question")

    page = client.get("/v1/submissions", params={"limit": 1})
    assert page.status_code == 200
    assert (page.json()["total"], [item["id"] for item in page.json()["items"]]) == (2, [made["id"]])
    rest = client.get("/v1/submissions", params={"limit": 1, "cursor": page.json()["next_cursor"]}).json()
    assert [item["id"] for item in rest["items"]] == [unreadable.json()["id"]] and rest["next_cursor"] is None
    assert client.get("/v1/submissions", params={"learner_id": "bob"}).json()["total"] == 1

    export = client.get("/v1/submissions/export", params={"format": "csv", "learner_id": "ada"})
    assert export.status_code == 200 and export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.headers["content-disposition"] == 'attachment; filename="submissions.csv"'
    table = list(csv.DictReader(io.StringIO(export.text)))
    assert [(row["id"], row["score"], row["attempt"]) for row in table] == [(made["id"], "1.0", "1")]

    detail = client.get(f"/v1/submissions/{made['id']}").json()
    assert detail == {**made, "history": []}

    dry = client.post("/v1/submissions/regrade", json={"reason": "bank update"})
    assert dry.status_code == 200
    assert dry.json() == {
        "matched": 2,
        "changed": 0,
        "unchanged": 2,
        "failed": 0,
        "dry_run": True,
        "items": [],
        "next_cursor": None,
    }
    missing = client.get("/v1/submissions/00000000-0000-4000-8000-000000000000")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_submission")
    # What PostgreSQL cannot hold is refused before the query, never a 500.
    assert client.get("/v1/submissions/a%00b").status_code == 404
    assert client.get("/v1/submissions", params={"learner_id": "a\x00b"}).status_code == 422
    assert client.get("/v1/submissions", params={"question_id": "\x00"}).status_code == 422


def test_keys_scopes_and_isolation(make_client: MakeClient) -> None:
    client = make_client()
    keys = client.app.state.keys  # type: ignore[attr-defined]
    _, lms_a = keys.create("lms-a", frozenset({"grade", "read"}))
    _, lms_b = keys.create("lms-b", frozenset({"admin"}))
    _, grader_only = keys.create("grader", frozenset({"grade"}))

    anonymous = client.post("/v1/submissions", json=numeric())
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    made = client.post("/v1/submissions", json=numeric(), headers=bearer(lms_a))
    assert made.status_code == 201
    ident = made.json()["id"]
    assert client.get(f"/v1/submissions/{ident}", headers=bearer(grader_only)).status_code == 403
    assert (
        client.post("/v1/submissions/regrade", json={"reason": "r"}, headers=bearer(lms_a)).status_code == 403
    )
    assert client.get(f"/v1/submissions/{ident}", headers=bearer(lms_a)).status_code == 200

    foreign = client.get(f"/v1/submissions/{ident}", headers=bearer(lms_b))
    unknown = client.get("/v1/submissions/00000000-0000-4000-8000-000000000000", headers=bearer(lms_b))
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json()["error"]["message"].replace(ident, "ID") == unknown.json()["error"][
        "message"
    ].replace("00000000-0000-4000-8000-000000000000", "ID")
    assert client.get("/v1/submissions", headers=bearer(lms_b)).json() == {
        "items": [],
        "total": 0,
        "next_cursor": None,
    }
    exported = client.get("/v1/submissions/export", headers=bearer(lms_b)).text
    assert len(list(csv.reader(io.StringIO(exported)))) == 1  # the header row only
    regraded = client.post(
        "/v1/submissions/regrade", json={"reason": "r", "dry_run": False}, headers=bearer(lms_b)
    )
    assert regraded.status_code == 200 and regraded.json()["matched"] == 0

    # The same Idempotency-Key under another API key is another submission.
    key = {"Idempotency-Key": "k-1"}
    assert client.post("/v1/submissions", json=numeric(), headers={**bearer(lms_a), **key}).status_code == 201
    other = client.post("/v1/submissions", json=numeric(response=SWAPPED), headers={**bearer(lms_b), **key})
    assert other.status_code == 201 and other.json()["grade"]["score"] == 0.5


def test_retries_racing_with_one_key_store_one_submission(make_client: MakeClient) -> None:
    client = make_client()
    start = threading.Barrier(RACERS)

    def race(_: int) -> tuple[int, str]:
        start.wait()
        reply = client.post("/v1/submissions", json=conceptual(), headers={"Idempotency-Key": "race"})
        return reply.status_code, reply.json()["id"]

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(race, range(RACERS)))
    assert sorted(status for status, _ in results) == [200] * (RACERS - 1) + [201]
    assert len({ident for _, ident in results}) == 1
    assert client.get("/v1/submissions").json()["total"] == 1


def test_submissions_survive_a_restart(make_client: MakeClient) -> None:
    before: TestClient = make_client()
    made = before.post("/v1/submissions", json=conceptual(), headers={"Idempotency-Key": "k"}).json()
    before.close()
    after = make_client()
    assert after.get(f"/v1/submissions/{made['id']}").json() == {**made, "history": []}
    replay = after.post("/v1/submissions", json=conceptual(), headers={"Idempotency-Key": "k"})
    assert (replay.status_code, replay.json()["id"]) == (200, made["id"])
    assert after.get("/v1/submissions").json()["total"] == 1


def test_an_exam_only_answer_reaches_only_a_key_with_the_read_scope(make_client: MakeClient) -> None:
    client = make_client()
    client.app.state.service = exam_grader()  # type: ignore[attr-defined]  # the bank, edited: one entry exam-only
    keys = client.app.state.keys  # type: ignore[attr-defined]
    _, grader_only = keys.create("grader", frozenset({"grade"}))
    _, reader = keys.create("reader", frozenset({"grade", "read"}))
    key_point = "Bagging trains models independently and in parallel"

    hidden = client.post(
        "/v1/submissions", json=conceptual(), headers={**bearer(grader_only), "Idempotency-Key": "x"}
    )
    assert hidden.status_code == 201 and key_point not in hidden.text
    shown = client.post("/v1/submissions", json=conceptual(), headers=bearer(reader))
    assert key_point in shown.text
    assert hidden.json()["score"]["scoreGiven"] == shown.json()["score"]["scoreGiven"]
    assert key_point in client.get(f"/v1/submissions/{shown.json()['id']}", headers=bearer(reader)).text
    assert key_point in client.get("/v1/submissions/export", headers=bearer(reader)).text
