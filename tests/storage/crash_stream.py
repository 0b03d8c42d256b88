"""Clients that stream submissions to the live server as a learning platform would: each request has
its own Idempotency-Key, and a request without a 2xx reply (the server died under it) is sent again,
with the same key and body, once the server is back.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.storage.submission_helpers import SWAPPED, conceptual, numeric

TIMEOUT_S = 60


@dataclass
class Sent:
    """One submission of the stream and what became of it."""

    idempotency_key: str
    body: dict[str, Any]
    acknowledged: dict[str, Any] | None = None  # the 2xx reply's body
    replayed: bool = False  # acknowledged as `Idempotent-Replayed`
    attempts: int = 0
    in_doubt: int = 0  # times it was in flight when the server died


def workload(clients: int, per_client: int) -> list[list[Sent]]:
    """A queue per client: unique keys and learners; right, swapped and free-text responses."""
    queues = []
    for client in range(clients):
        queue = []
        for n in range(per_client):
            learner = f"learner-{client}-{n}"
            body = [numeric(learner), numeric(learner, SWAPPED), conceptual(learner)][n % 3]
            queue.append(Sent(f"crash-{client}-{n}", {**body, "attempt": n + 1}))
        queues.append(queue)
    return queues


@dataclass
class Stream:
    queues: list[list[Sent]]
    headers: dict[str, str]
    failures: list[str] = field(default_factory=list)
    acknowledged: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def sent(self) -> list[Sent]:
        return [sent for queue in self.queues for sent in queue]

    def start(self, base: str) -> list[threading.Thread]:
        """A thread per client sends its unacknowledged requests in order until the server dies."""
        threads = [threading.Thread(target=self._client, args=(base, queue)) for queue in self.queues]
        for thread in threads:
            thread.start()
        return threads

    def wait_for(self, acknowledged: int, threads: list[threading.Thread], timeout: float) -> bool:
        """Block until this many are acknowledged (True) or every client has stopped (False)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self.acknowledged >= acknowledged or not any(t.is_alive() for t in threads),
                timeout=timeout,
            ) and (self.acknowledged >= acknowledged)

    def _client(self, base: str, queue: list[Sent]) -> None:
        try:
            with httpx.Client(base_url=base, headers=self.headers, timeout=TIMEOUT_S) as http:
                for sent in queue:
                    if sent.acknowledged is None and not self._send(http, sent):
                        return
        finally:
            with self._changed:
                self._changed.notify_all()

    def _send(self, http: httpx.Client, sent: Sent) -> bool:
        sent.attempts += 1
        try:
            reply = http.post(
                "/v1/submissions", json=sent.body, headers={"Idempotency-Key": sent.idempotency_key}
            )
        except httpx.TransportError:
            sent.in_doubt += 1  # stored or not: only a retry can tell
            return False
        if reply.status_code not in (200, 201):
            with self._changed:
                self.failures.append(f"{sent.idempotency_key}: {reply.status_code} {reply.text[:300]}")
            return False
        with self._changed:
            sent.acknowledged = reply.json()
            sent.replayed = reply.headers.get("Idempotent-Replayed") == "true"
            self.acknowledged += 1
            self._changed.notify_all()
        return True
