"""Bad input to /v1/submissions is a 422 naming the field, never a 500, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.storage.submission_helpers import numeric

BAD_BODIES: list[tuple[dict[str, Any], str]] = [
    (numeric(""), "learner_id: String should have at least 1 character"),
    (numeric("x" * 256), "learner_id: String should have at most 255 characters"),
    (numeric("   "), "learner_id: Value error, must not be blank"),
    (numeric("ada\nbob"), "learner_id: Value error, must not contain control characters"),
    (numeric(attempt=0), "attempt: Input should be greater than or equal to 1"),
    (numeric(attempt=10**9), "attempt: Input should be less than or equal to 1000000"),
    (numeric(context={f"k{n}": n for n in range(21)}), "context: Value error, has more than 20 entries"),
    (numeric(context={"note": "x" * 1001}), "context: Value error, 'note' is longer than 1000 characters"),
    (numeric(context={"": 1}), "context: Value error, keys must be 1 to 100 characters"),
    (numeric(context={"nested": {"a": 1}}), "context.nested"),
    (numeric(response="a\x00b"), "'response' contains a NUL character"),
    (numeric(question_id="q"), "give exactly one of 'question' or 'question_id'"),
    (numeric(surprise=1), "surprise: Extra inputs are not permitted"),
    ({"question_id": "q", "response": "r"}, "learner_id: Field required"),
]


@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_a_bad_body_is_refused_naming_the_field(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    reply = client.post("/v1/submissions", json=body)
    assert reply.status_code == 422
    assert reply.json()["error"]["code"] == "invalid_request"
    assert message in reply.json()["error"]["message"]


def test_a_lone_surrogate_is_refused_not_stored(client: TestClient) -> None:
    raw = '{"learner_id": "ada", "question_id": "q", "response": "\\ud800"}'
    reply = client.post("/v1/submissions", content=raw, headers={"Content-Type": "application/json"})
    assert reply.status_code == 422
    assert "'response' contains a lone surrogate" in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"learner_id": "ada", "question_id": "q", "response": {"accuracy": NaN}}', "not finite"),
        (
            '{"learner_id": "ada", "question_id": "q", "response": "r", "context": {"w": Infinity}}',
            "not finite",
        ),
    ],
)
def test_numbers_json_cannot_hold_are_refused(client: TestClient, raw: str, message: str) -> None:
    reply = client.post("/v1/submissions", content=raw, headers={"Content-Type": "application/json"})
    assert reply.status_code == 422
    assert message in reply.json()["error"]["message"]


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "caf\u00e9"])
def test_a_bad_idempotency_key_is_refused(client: TestClient, key: str) -> None:
    reply = client.post("/v1/submissions", json=numeric(), headers=[(b"Idempotency-Key", key.encode())])
    assert reply.status_code == 422
    assert "idempotency-key" in reply.json()["error"]["message"].lower()


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/v1/submissions", {"cursor": "forged"}, "the cursor is not one this service issued"),
        ("/v1/submissions", {"limit": 0}, "limit: Input should be greater than or equal to 1"),
        ("/v1/submissions", {"limit": 201}, "limit: Input should be less than or equal to 200"),
        ("/v1/submissions", {"since": "yesterday"}, "since: Input should be a valid datetime"),
        ("/v1/submissions", {"learner_id": ""}, "learner_id: String should have at least 1 character"),
        ("/v1/submissions/export", {"format": "xlsx"}, "format: Input should be 'csv'"),
        ("/v1/submissions", {"since": "9999-12-31T23:59:59-12:00"}, "since: Value error, is out of range"),
        (
            "/v1/submissions/export",
            {"until": "0001-01-01T00:00:00+01:00"},
            "until: Value error, is out of range",
        ),
        # A cursor naming a time that overflows in UTC: base64 of ["9999-12-31T23:59:59-12:00","x"]
        (
            "/v1/submissions",
            {"cursor": "WyI5OTk5LTEyLTMxVDIzOjU5OjU5LTEyOjAwIiwieCJd"},
            "not one this service issued",
        ),
    ],
)
def test_bad_query_parameters_are_refused(
    client: TestClient, path: str, params: dict[str, Any], message: str
) -> None:
    reply = client.get(path, params=params)
    assert reply.status_code == 422
    assert message in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "reason: Field required"),
        ({"reason": ""}, "reason: String should have at least 1 character"),
        ({"reason": "r", "limit": 5001}, "limit: Input should be less than or equal to 5000"),
        ({"reason": "r", "cursor": "forged"}, "the cursor is not one this service issued"),
    ],
)
def test_a_bad_regrade_request_is_refused(client: TestClient, body: dict[str, Any], message: str) -> None:
    reply = client.post("/v1/submissions/regrade", json=body)
    assert reply.status_code == 422
    assert message in reply.json()["error"]["message"]
