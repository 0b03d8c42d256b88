"""`make bench-memory`: does the server's memory stay flat over a long run?

Sends 100,000 requests (a mix: answer, numeric grade, conceptual grade, keyed submission; answered
questions, conceptual responses and idempotency keys never repeat, so the answer cache keeps
replacing entries) to the real server and samples its resident set size (VmRSS) as it goes.
Reports RSS at the start, after the warm-up and at the end, and the slope after the warm-up. Exits non-zero if RSS
grew by 10 % or more after the warm-up, or if any reply was not a 2xx.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from bench.harness import BenchServer, bench_server, encode, exchange
from bench.throughput import CONCEPTUAL_ANSWER

QUESTION = "TP = {tp}, FP = 10, FN = 20, TN = 30. Compute precision and recall."
DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
MAX_GROWTH = 0.10
WARM_UP = 0.2  # the share of the run before the baseline sample


def request_for(server: BenchServer, run: str, n: int) -> bytes:
    """The n-th request of the mix."""
    kind, tp = n % 4, 1 + n // 4
    if kind == 0:
        return encode("POST", "/v1/answer", server.port, {"question": QUESTION.format(tp=tp)})
    if kind == 1:
        body: dict[str, object] = {
            "question": QUESTION.format(tp=40),
            "response": f"precision {tp % 100 / 100}, recall 0.67",
        }
        return encode("POST", "/v1/grade", server.port, body)
    if kind == 2:
        # A new text every time from a fixed vocabulary: the word caches (bounded) fill in the warm-up.
        draft = " ".join(DIGITS[int(digit)] for digit in str(tp))
        body = {"question_id": "dropout-as-ensemble", "response": f"{CONCEPTUAL_ANSWER} Draft {draft}."}
        return encode("POST", "/v1/grade", server.port, body)
    body = {
        "learner_id": f"learner-{tp % 500}",
        "question": QUESTION.format(tp=40),
        "response": f"precision 0.8, recall {tp % 100 / 100}",
        "attempt": 1 + tp % 10,
    }
    headers = {"Authorization": f"Bearer {server.api_key}", "Idempotency-Key": f"{run}-{n}"}
    return encode("POST", "/v1/submissions", server.port, body, headers)


@dataclass
class Run:
    server: BenchServer
    total: int
    sample_every: int
    run: str = field(default_factory=lambda: uuid.uuid4().hex)
    issued: int = 0
    done: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    samples: list[tuple[int, int]] = field(default_factory=list)  # (requests done, RSS KiB)
    started: float = field(default_factory=time.monotonic)

    def sample(self) -> None:
        rss = self.server.rss_kib()
        self.samples.append((self.done, rss))
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        print(f"{self.done:>8} requests  RSS {rss / 1024:7.1f} MiB  {rate:6.0f} req/s", flush=True)

    async def connection(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.server.port)
        try:
            while self.issued < self.total:
                n, self.issued = self.issued, self.issued + 1
                self.statuses[await exchange(reader, writer, request_for(self.server, self.run, n))] += 1
                self.done += 1
                if self.done % self.sample_every == 0:
                    self.sample()
        finally:
            writer.close()


async def _drive(run: Run, connections: int) -> None:
    run.sample()
    await asyncio.gather(*(run.connection() for _ in range(connections)))


def _report(run: Run, seconds: float) -> int:
    warm_at = int(run.total * WARM_UP)
    start = run.samples[0][1]
    warm = next(rss for done, rss in run.samples if done >= warm_at)
    end = run.samples[-1][1]
    after = [(done, rss) for done, rss in run.samples if done >= warm_at]
    slope = statistics.linear_regression([d for d, _ in after], [r for _, r in after]).slope
    growth = (end - warm) / warm
    errors = sum(count for status, count in run.statuses.items() if not 200 <= status < 300)
    print(
        f"{run.done} requests in {seconds:.0f} s ({run.done / seconds:.0f} req/s); statuses {dict(run.statuses)}"
    )
    print(
        f"RSS start {start / 1024:.1f} MiB, after warm-up ({warm_at} requests) {warm / 1024:.1f} MiB, "
        f"end {end / 1024:.1f} MiB, peak {max(r for _, r in run.samples) / 1024:.1f} MiB"
    )
    print(f"after warm-up: growth {growth:+.1%}, slope {slope * 10_000 / 1024:+.2f} MiB per 10,000 requests")
    failed = [f"{errors} replies were not 2xx"] if errors else []
    failed += (
        [f"RSS grew {growth:.1%} after the warm-up (limit {MAX_GROWTH:.0%})"] if growth >= MAX_GROWTH else []
    )
    print("FAILED: " + "; ".join(failed) if failed else "flat: PASSED")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--samples", type=int, default=50, help="RSS samples over the run")
    args = parser.parse_args()
    if args.requests < args.samples * 10:
        parser.error("send at least ten requests per sample")
    with bench_server() as server:
        run = Run(server, args.requests, args.requests // args.samples)
        asyncio.run(_drive(run, args.connections))
        seconds = time.monotonic() - run.started
    return _report(run, seconds)


if __name__ == "__main__":
    sys.exit(main())
