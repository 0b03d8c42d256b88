"""`make bench`: requests/s of each endpoint against the app's trivial endpoint, in the same run.

Starts the real server (uvicorn, one worker) on a free loopback port, then drives it with a
minimal keep-alive HTTP/1.1 client (asyncio streams, pre-encoded requests) so that the client
costs far less than the server. Reports throughput, p50/p99 latency and the ratio to `/healthz`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from app.schemas import SEED_Q2

DROPOUT_Q = (
    "What will be the output activations of this layer after applying dropout?\n"
    "a = [2.0, 5.0, 7.12, 4.5, 6.0]\nm = [1, 0, 0, 1, 1]"
)

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

    def request_bytes(self, port: int) -> bytes:
        payload = b"" if self.body is None else json.dumps(self.body).encode()
        head = (
            f"{self.method} {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        return head.encode() + payload


ENDPOINTS = (
    Endpoint("trivial GET /healthz", "GET", "/healthz"),
    Endpoint("POST /v1/answer (confusion table)", "POST", "/v1/answer", {"question": SEED_Q2}),
    Endpoint(
        "POST /v1/grade (numeric, prose)",
        "POST",
        "/v1/grade",
        {"question": SEED_Q2, "response": "accuracy 90%, precision 0.8, recall 0.5, F1 = 8/13"},
    ),
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


async def _connection(port: int, request: bytes, stop_at: float, result: Result) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - started)
            result.requests += 1
            result.errors += status >= 400
    finally:
        writer.close()


async def _drive(port: int, endpoint: Endpoint, connections: int, seconds: float) -> Result:
    request = endpoint.request_bytes(port)
    result = Result(0, 0, seconds, [])
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*(_connection(port, request, stop_at, result) for _ in range(connections)))
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, "EXAMGRADER_LOG_LEVEL": "warning"},
    )
    try:
        _wait_ready(port)
        asyncio.run(_drive(port, ENDPOINTS[0], args.connections, 1.0))  # warm-up
        results = [(e, asyncio.run(_drive(port, e, args.connections, args.seconds))) for e in ENDPOINTS]
    finally:
        server.terminate()
        server.wait(timeout=10)
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
    return 1 if any(r.errors for _, r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
