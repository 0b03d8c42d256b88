"""Access lines and request ids through the real app, captured from the configured handler."""

import io
import json
import logging
import re
from collections.abc import Callable, Iterator

import pytest

from app.config import LogFormat, LogLevel, SettingsError, load_settings
from app.observability.logs import APP_LOGGER, configure_logging
from app.observability.request_id import current_request_id

Lines = Callable[[], list[dict[str, object]]]


@pytest.fixture
def json_logs() -> Iterator[Lines]:
    stream = io.StringIO()
    configure_logging(LogLevel.DEBUG, LogFormat.JSON, stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    configure_logging(LogLevel.INFO, LogFormat.JSON)


def access_lines(lines: list[dict[str, object]]) -> list[dict[str, object]]:
    return [line for line in lines if line["logger"] == "examgrader.access"]


def test_one_access_line_per_request_with_its_id(client, json_logs):
    reply = client.get("/v1/questions/dropout-as-ensemble", headers={"X-Request-ID": "lms-7.a_b"})
    assert reply.headers["X-Request-ID"] == "lms-7.a_b"
    [line] = access_lines(json_logs())
    assert line["request_id"] == "lms-7.a_b"
    assert line["method"] == "GET"
    assert line["route"] == "/v1/questions/{question_id}"
    assert line["path"] == "/v1/questions/dropout-as-ensemble"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["client"] == "testclient"
    assert line["level"] == "INFO" and line["time"]
    assert line["message"] == f"GET /v1/questions/{{question_id}} 200 {line['duration_ms']}ms"


def test_errors_are_logged_with_their_status(client, json_logs):
    missing = client.get("/v1/nothing")
    refused = client.post("/v1/grade", json={"question": "x" * 70_000, "response": "1"})
    lines = access_lines(json_logs())
    assert [(line["route"], line["status"]) for line in lines] == [("unmatched", 404), ("unmatched", 413)]
    assert [line["request_id"] for line in lines] == [
        missing.headers["X-Request-ID"],
        refused.headers["X-Request-ID"],
    ]


def test_an_unsafe_request_id_is_replaced(client, json_logs):
    reply = client.get("/healthz", headers={"X-Request-ID": "evil\tid"})
    fresh = reply.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    [line] = access_lines(json_logs())
    assert line["request_id"] == fresh and "evil" not in json.dumps(line)


def test_secrets_never_reach_the_logs(client, json_logs):
    """Keys travel in Authorization; bodies and query strings may hold anything."""
    client.post(
        "/v1/grade?token=secret456",
        json={"question_id": "no-such-question", "response": "secret789"},
        headers={"Authorization": "Bearer secret123"},
    )
    client.post("/v1/answer", json={"question": "secret789"}, headers={"Authorization": "Bearer secret123"})
    lines = json_logs()
    assert len(access_lines(lines)) == 2
    text = json.dumps(lines)
    for secret in ("secret123", "secret456", "secret789", "Bearer"):
        assert secret not in text


def test_the_metrics_scrape_is_logged_at_debug_only(client, json_logs):
    client.get("/metrics")
    [line] = access_lines(json_logs())
    assert line["level"] == "DEBUG" and line["route"] == "/metrics"


def test_records_inside_a_request_carry_its_id(json_logs):
    token = current_request_id.set("req-1")
    try:
        logging.getLogger(APP_LOGGER).warning("inside")
        logging.getLogger("solvers.some_module").warning("a module's own logger")
    finally:
        current_request_id.reset(token)
    logging.getLogger(APP_LOGGER).warning("outside")
    assert [(line["message"], line["request_id"]) for line in json_logs()] == [
        ("inside", "req-1"),
        ("a module's own logger", "req-1"),
        ("outside", "-"),
    ]


def test_text_format_and_level(client):
    stream = io.StringIO()
    configure_logging(LogLevel.WARNING, LogFormat.TEXT, stream)
    try:
        client.get("/healthz")
        logging.getLogger("uvicorn.error").warning("server says %s", "hi")
    finally:
        configure_logging(LogLevel.INFO, LogFormat.JSON)
    [line] = stream.getvalue().splitlines()  # the INFO access line is below the level
    assert line.endswith("WARNING uvicorn.error [-] server says hi")


def test_configuring_twice_does_not_double_lines(client):
    stream = io.StringIO()
    configure_logging(LogLevel.INFO, LogFormat.JSON, stream)
    configure_logging(LogLevel.INFO, LogFormat.JSON, stream)
    try:
        client.get("/healthz")
    finally:
        configure_logging(LogLevel.INFO, LogFormat.JSON)
    assert len(stream.getvalue().splitlines()) == 1


def test_uvicorns_access_line_is_silenced():
    configure_logging(LogLevel.DEBUG, LogFormat.JSON)
    uvicorn_access = logging.getLogger("uvicorn.access")
    assert not uvicorn_access.handlers and not uvicorn_access.propagate
    assert not uvicorn_access.isEnabledFor(logging.INFO)
    configure_logging(LogLevel.INFO, LogFormat.JSON)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("EXAMGRADER_LOG_FORMAT", "xml", "EXAMGRADER_LOG_FORMAT: Input should be 'json' or 'text'"),
        (
            "EXAMGRADER_MAX_BATCH_BODY_BYTES",
            "100",
            "EXAMGRADER_MAX_BATCH_BODY_BYTES: Input should be greater than or equal to 1024",
        ),
    ],
)
def test_bad_operations_settings_stop_start_up(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings()


def test_operations_defaults(monkeypatch):
    for name in ("EXAMGRADER_LOG_FORMAT", "EXAMGRADER_MAX_BATCH_BODY_BYTES"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.log_format is LogFormat.JSON
    assert settings.max_batch_body_bytes == 8 * 1024 * 1024
