"""Schemathesis over the app's own OpenAPI schema, in process: for every operation, generated valid
and invalid requests never get a 5xx, every response is documented (status and body), and invalid
input is refused with a documented status. Run in open mode (no key exists) and once keys exist.

One test per mode walks every operation (schemathesis' pytest fixture loader does not run under
this pytest version); the failures of all operations are reported together.

Out of the schema, so not generated here: the quiz page `/` and its `/static` files (HTML, tested in
tests/web) and `/metrics` (Prometheus text, tested in tests/app/observability)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from app.config import Settings
from app.main import create_app

GENEROUS_RATE_LIMIT = {"rate_limit_per_minute": 1_000_000, "rate_limit_burst": 1_000_000}
BOTH_MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,  # the same cases every run
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _schema(data_dir: Path) -> tuple[FastAPI, Any]:
    app = create_app(Settings(data_dir=data_dir, **GENEROUS_RATE_LIMIT))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # Credentials are sent by the test (or not at all), never generated: a generated or removed
    # Authorization header says nothing about the input a route validates.
    schema.config.generation.update(with_security_parameters=False)
    # A schema-valid question may still be one no solver reads (422 not_understood) or exceed a
    # solver's own limit (413 input_too_large): both are documented answers to well-formed input.
    accepted = schema.config.checks.positive_data_acceptance
    accepted.expected_statuses = [*accepted.expected_statuses, "413", "422"]
    # Too long a value may be refused for the size of the whole body (413 body_too_large).
    refused = schema.config.checks.negative_data_rejection
    refused.expected_statuses = [*refused.expected_statuses, "413"]
    return app, schema


_CONSTRAINTS = {"minLength", "maxLength", "pattern", "format", "enum", "const", "anyOf", "$ref"}


def _can_be_invalid(operation: Any) -> bool:
    """Whether some request is invalid: not when there is no body and every parameter is any string
    (GET /healthz; GET /v1/questions/{question_id}, where any id is valid and unknown ones are 404)."""
    if operation.body:
        return True
    for parameter in operation.iter_parameters():
        schema = parameter.definition.get("schema", {})
        if schema.get("type") != "string" or _CONSTRAINTS & schema.keys():
            return True
    return False


def _fuzz(
    schema: Any,
    headers: dict[str, str] | None = None,
    modes: tuple[GenerationMode, ...] = BOTH_MODES,
    examples: int = 15,
) -> dict[str, str]:
    """Every operation in every mode; the failures by operation and mode."""
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14, [op.label for op in operations]
    for operation in operations:
        for mode in modes if _can_be_invalid(operation) else (GenerationMode.POSITIVE,):

            @_examples(examples)
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers)

            try:
                run()
            except (AssertionError, BaseExceptionGroup, Unsatisfiable) as error:  # all reported below
                failures[f"{operation.label} ({mode.value})"] = str(error)[:3000]
    return failures


def _report(failures: dict[str, str]) -> str:
    return "\n\n".join(f"{where}:\n{what}" for where, what in failures.items())


@pytest.mark.timeout(300)  # about a minute here; room for a loaded machine
def test_open_mode(tmp_path_factory: pytest.TempPathFactory) -> None:
    app, schema = _schema(tmp_path_factory.mktemp("open"))
    # Without any key every route is open by design, so "accepts requests without credentials" holds.
    schema.config.checks.update(excluded_check_names=["ignored_auth"])
    failures = _fuzz(schema)
    assert not app.state.keys.any_keys()  # still open mode at the end
    assert not failures, _report(failures)


@pytest.mark.timeout(300)
def test_with_keys(tmp_path_factory: pytest.TempPathFactory) -> None:
    app, schema = _schema(tmp_path_factory.mktemp("keys"))
    _, admin = app.state.keys.create("schemathesis admin", frozenset({"admin"}))
    _, grader = app.state.keys.create("schemathesis grader", frozenset({"grade"}))
    failures = _fuzz(schema, headers={"Authorization": f"Bearer {admin}"})
    # Without a key, and with a key lacking scopes: 401s and 403s, each documented.
    only_valid = (GenerationMode.POSITIVE,)
    for who, headers in (("anonymous", None), ("grade scope", {"Authorization": f"Bearer {grader}"})):
        found = _fuzz(schema, headers=headers, modes=only_valid, examples=5)
        failures.update({f"{who}: {where}": what for where, what in found.items()})
    assert not failures, _report(failures)


# What the runs above found, pinned as plain examples.


def test_a_body_that_is_not_utf8_is_an_invalid_request(client: TestClient) -> None:
    for path in ("/v1/answer", "/v1/grade", "/v1/grade/batch", "/v1/submissions"):
        reply = client.post(path, content=b"\xff\xfe{", headers={"Content-Type": "application/json"})
        assert reply.status_code == 422, (path, reply.text)
        assert reply.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("written", ["0.0", "1700000000", "2026-01-31"])
def test_a_time_that_is_no_iso_date_and_time_is_refused(client: TestClient, written: str) -> None:
    reply = client.get("/v1/submissions", params={"since": written})
    assert reply.status_code == 422
    assert "since: Input should be a valid datetime" in reply.json()["error"]["message"]


def test_an_iso_date_and_time_is_taken(client: TestClient) -> None:
    for written in ("2026-01-31T12:00:00Z", "2026-01-31 12:00", "2026-01-31T12:00:00.5+01:00"):
        assert client.get("/v1/submissions", params={"until": written}).status_code == 200, written


def test_grading_an_unknown_question_id_is_a_documented_404(client: TestClient) -> None:
    reply = client.post("/v1/grade", json={"question_id": "no-such-question", "response": "x"})
    assert reply.status_code == 404
    documented = client.get("/openapi.json").json()["paths"]["/v1/grade"]["post"]["responses"]
    assert "404" in documented
