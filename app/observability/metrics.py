"""Prometheus metrics: HTTP requests, grades, answers and batches.

One process: a registry of its own (plus process metrics). Several uvicorn workers: set
`PROMETHEUS_MULTIPROC_DIR` to an empty directory before start; every worker writes its values there
and a scrape of any worker adds them all up (prometheus_client's multiprocess mode, chosen at import).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from app.observability import MULTIPROCESS_ENV
from app.schemas import AnswerOut, GradeOut

MULTIPROCESS = MULTIPROCESS_ENV in os.environ

REGISTRY = CollectorRegistry()
if not MULTIPROCESS:  # per-process figures would be meaningless summed over workers
    ProcessCollector(registry=REGISTRY)
    PlatformCollector(registry=REGISTRY)

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_SIZE_BUCKETS = (1, 10, 50, 100, 250, 500, 1000)

HTTP_REQUESTS = Counter(
    "examgrader_http_requests",
    "HTTP requests, by method, route template and status.",
    ("method", "route", "status"),
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "examgrader_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by method and route template.",
    ("method", "route"),
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
GRADES = Counter(
    "examgrader_grades",
    "Responses graded, by kind and outcome (correct, partial, wrong, unreadable).",
    ("kind", "outcome"),
    registry=REGISTRY,
)
ANSWERS = Counter(
    "examgrader_answers",
    "Questions answered, by source (solver or bank) and kind.",
    ("source", "kind"),
    registry=REGISTRY,
)
BATCH_ITEMS = Counter(
    "examgrader_batch_items",
    "Items of grading batches, by outcome: ok, or the error code of a failed item.",
    ("outcome",),
    registry=REGISTRY,
)
BATCH_SIZE = Histogram(
    "examgrader_batch_size",
    "Items per grading batch.",
    buckets=BATCH_SIZE_BUCKETS,
    registry=REGISTRY,
)


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in KNOWN_METHODS else "other"  # a client's made-up method is one label
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_LATENCY.labels(method, route).observe(seconds)


def grade_outcome(grade: GradeOut) -> str:
    if grade.status == "unreadable":
        return "unreadable"
    if grade.correct:
        return "correct"
    return "partial" if grade.score else "wrong"


def observe_grade(grade: GradeOut) -> None:
    GRADES.labels(grade.kind, grade_outcome(grade)).inc()


def observe_answer(answer: AnswerOut) -> None:
    ANSWERS.labels(answer.source, answer.kind).inc()


def observe_batch(outcomes: list[str]) -> None:
    """`outcomes`: 'ok' or the error code, one per item."""
    BATCH_SIZE.observe(len(outcomes))
    for outcome in set(outcomes):
        BATCH_ITEMS.labels(outcome).inc(outcomes.count(outcome))


def render(accept: str | None) -> tuple[bytes, str]:
    """The exposition body and its content type, in the format the scraper asks for."""
    encode, content_type = choose_encoder(accept or "")
    if MULTIPROCESS:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return encode(registry), content_type
    return encode(REGISTRY), content_type
