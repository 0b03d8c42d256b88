"""Callers without a key are rate-limited per address (a token bucket); key holders are not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Settings, SettingsError, load_settings
from app.main import create_app
from app.rate_limit import TokenBuckets
from app.storage.keys import KeyStore

MESSAGE = (
    "too many requests from this address: at most 60 a minute without an API key; retry in 1 s, or send a key"
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=30, burst=3, clock=clock)  # one token every 2 s
    assert [buckets.take("a") for _ in range(3)] == [None, None, None]
    assert buckets.take("a") == 2
    assert buckets.take("b") is None  # another address has its own bucket
    clock.now += 1.0
    assert buckets.take("a") == 1
    clock.now += 1.0
    assert buckets.take("a") is None
    clock.now += 3600
    assert [buckets.take("a") for _ in range(4)] == [None, None, None, 2]  # never more than the burst


def test_zero_a_minute_means_no_limit() -> None:
    buckets = TokenBuckets(per_minute=0, burst=1)
    assert all(buckets.take("a") is None for _ in range(1000))


def test_the_limit_settings_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMGRADER_RATE_LIMIT_PER_MINUTE", "-1")
    with pytest.raises(SettingsError, match="EXAMGRADER_RATE_LIMIT_PER_MINUTE"):
        load_settings()


def _on_a_test_clock(app: FastAPI, clock: Clock) -> FastAPI:
    """The app's buckets, as its settings made them, on a clock the test moves (no timing flakes)."""
    made: TokenBuckets = app.state.rate_limits
    app.state.rate_limits = TokenBuckets(made.per_minute, made.burst, clock=clock)
    return app


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Iterator[FastAPI]:
    """One request a second, two at once; tests use addresses of their own, so buckets never mix."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("data"), rate_limit_per_minute=60, rate_limit_burst=2
    )
    app = create_app(settings)
    assert (app.state.rate_limits.per_minute, app.state.rate_limits.burst) == (60, 2)
    yield _on_a_test_clock(app, clock)
    app.state.db.dispose()


@pytest.fixture(scope="module")
def proxied_app(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Iterator[FastAPI]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        rate_limit_per_minute=60,
        rate_limit_burst=1,
        trust_proxy=True,
    )
    yield _on_a_test_clock(app := create_app(settings), clock)
    app.state.db.dispose()


def _client(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


CONV = "An input image of size 32×32 is convolved with a 5×5 filter with stride 1 and no padding. What is the output size?"


@pytest.mark.parametrize(
    ("address", "method", "path", "body"),
    [
        ("10.0.0.1", "GET", "/v1/practice?seed=1", None),
        ("10.0.0.2", "POST", "/v1/answer", {"question": CONV}),
        (
            "10.0.0.3",
            "POST",
            "/v1/grade",
            {"question_id": "dropout-mask-activations", "response": "[2, 0, 0, 4.5, 6]"},
        ),
    ],
)
def test_429_with_retry_after_then_recovery(
    limited_app: FastAPI, clock: Clock, address: str, method: str, path: str, body: dict[str, str] | None
) -> None:
    client = _client(limited_app, address)
    assert [client.request(method, path, json=body).status_code for _ in range(2)] == [200, 200]
    refused = client.request(method, path, json=body)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json() == {"error": {"code": "rate_limited", "message": MESSAGE}}
    clock.now += 1.0
    assert client.request(method, path, json=body).status_code == 200


def test_a_caller_with_a_key_is_not_limited(limited_app: FastAPI) -> None:
    client = _client(limited_app, "10.0.1.1")
    _, key = KeyStore(limited_app.state.db).create("lms")
    for _ in range(2):
        client.get("/v1/practice")
    assert client.get("/v1/practice").status_code == 429
    with_key = {"Authorization": f"Bearer {key}"}
    assert all(client.get("/v1/practice", headers=with_key).status_code == 200 for _ in range(10))


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(limited_app: FastAPI) -> None:
    client = _client(limited_app, "10.0.2.1")
    statuses = [
        client.get("/v1/practice", headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]  # a client cannot dodge the limit by inventing addresses


def test_behind_a_trusted_proxy_the_address_it_added_counts(proxied_app: FastAPI) -> None:
    proxy = _client(proxied_app, "10.0.3.1")  # every request arrives from the proxy

    def get(forwarded: str) -> int:
        return proxy.get("/v1/practice", headers={"X-Forwarded-For": forwarded}).status_code

    assert get("198.51.100.7") == 200
    assert get("198.51.100.8") == 200  # another learner behind the same proxy
    assert get("203.0.113.1, 198.51.100.7") == 429  # a forged first entry does not hide the real one
    assert proxy.get("/v1/practice").status_code == 200  # no header: the proxy's own address


def test_the_default_limit_is_generous(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.rate_limit_per_minute == 300 and settings.rate_limit_burst == 60
    assert not settings.trust_proxy
