"""`make bench`: requests/s of each endpoint against the app's trivial endpoint, in the same run.

Starts the real server (uvicorn, one worker, SQLite in a temporary data directory, an API key made
for the run) on a free loopback port, then drives it with a minimal keep-alive HTTP/1.1 client
(asyncio streams, pre-encoded requests) so that the client costs far less than the server. Reports
throughput, p50/p99 latency and the ratio to `/healthz`; any reply other than a 2xx is an error,
and the run exits non-zero if there is one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from app.schemas import SEED_Q2
from bench.harness import BenchServer, bench_server, encode, exchange

DROPOUT_Q = (
    "What will be the output activations of this layer after applying dropout?\n"
    "a = [2.0, 5.0, 7.12, 4.5, 6.0]\nm = [1, 0, 0, 1, 1]"
)

NUMERIC_GRADE: dict[str, object] = {
    "question": SEED_Q2,
    "response": "accuracy 90%, precision 0.8, recall 0.5, F1 = 8/13",
}

CONCEPTUAL_ANSWER = (
    "Dropout switches off a random subset of hidden units on every training step, so each step trains a "
    "different thinned sub-network that shares its weights with all the others. At test time every unit "
    "is kept and the weights are scaled by the keep probability, which approximates averaging the "
    "predictions of that huge family of sub-networks, like a bagged ensemble, and so reduces overfitting."
)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: dict[str, object] | None = None
    keyed: bool = False  # sends the run's API key (the route needs one once a key exists)
    stored: bool = False  # a fresh Idempotency-Key per request: every request is a new row

    def requests(self, server: BenchServer) -> Iterator[bytes]:
        headers = {"Authorization": f"Bearer {server.api_key}"} if self.keyed else {}
        if not self.stored:
            return itertools.repeat(encode(self.method, self.path, server.port, self.body, headers))
        run = uuid.uuid4().hex
        return (
            encode(
                self.method, self.path, server.port, self.body, {**headers, "Idempotency-Key": f"{run}-{n}"}
            )
            for n in itertools.count()
        )


ENDPOINTS = (
    Endpoint("trivial GET /healthz", "GET", "/healthz"),
    Endpoint("POST /v1/answer (confusion table)", "POST", "/v1/answer", {"question": SEED_Q2}),
    Endpoint("POST /v1/grade (numeric, prose)", "POST", "/v1/grade", NUMERIC_GRADE),
    Endpoint(
        "POST /v1/grade (dropout vector)",
        "POST",
        "/v1/grade",
        {"question": DROPOUT_Q, "response": "[2, 0, 0, 4.5, 6]"},
    ),
    Endpoint(
        "POST /v1/grade (conceptual, key points)",
        "POST",
        "/v1/grade",
        {"question_id": "dropout-as-ensemble", "response": CONCEPTUAL_ANSWER},
    ),
    Endpoint(
        "POST /v1/answer (bank match)",
        "POST",
        "/v1/answer",
        {"question": "Why does dropout act like an ensemble?"},
    ),
    Endpoint("GET /v1/practice (fresh numbers)", "GET", "/v1/practice?kind=optimizer_step"),
    Endpoint(
        "POST /v1/grade/batch (100 numeric items)",
        "POST",
        "/v1/grade/batch",
        {"items": [NUMERIC_GRADE] * 100},
        keyed=True,
    ),
    Endpoint(
        "POST /v1/submissions (keyed, stored)",
        "POST",
        "/v1/submissions",
        {"learner_id": "bench-learner", "attempt": 1, **NUMERIC_GRADE},
        keyed=True,
        stored=True,
    ),
)


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


async def _connection(port: int, requests: Iterator[bytes], stop_at: float, result: Result) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            status = await exchange(reader, writer, next(requests))
            result.latencies.append(time.perf_counter() - started)
            result.requests += 1
            result.errors += not 200 <= status < 300
    finally:
        writer.close()


async def _drive(server: BenchServer, endpoint: Endpoint, connections: int, seconds: float) -> Result:
    requests = endpoint.requests(server)  # one stream shared by every connection: keys stay unique
    result = Result(0, 0, seconds, [])
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*(_connection(server.port, requests, stop_at, result) for _ in range(connections)))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with bench_server() as server:
        asyncio.run(_drive(server, ENDPOINTS[0], args.connections, 1.0))  # warm-up
        results = [(e, asyncio.run(_drive(server, e, args.connections, args.seconds))) for e in ENDPOINTS]
    baseline = results[0][1].rate
    print(f"{args.connections} connections, {args.seconds:g} s per endpoint, one uvicorn worker")
    print(f"{'endpoint':40} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for endpoint, result in results:
        print(
            f"{endpoint.name:40} {result.rate:9.0f} {result.rate / baseline:7.2f} "
            f"{result.percentile(0.5):8.1f} {result.percentile(0.99):8.1f} {result.errors:7d}"
        )
    median_p99 = statistics.median(r.percentile(0.99) for _, r in results)
    print(f"median p99 across endpoints: {median_p99:.1f} ms")
    errors = sum(r.errors for _, r in results)
    if errors:
        print(f"FAILED: {errors} replies were not 2xx")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
