"""A token bucket per client address, in this process's memory, for callers without a key."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.requests import Request

MAX_CLIENTS = 100_000  # the least recently seen clients are forgotten beyond this


class TokenBuckets:
    """`burst` requests at once, refilled at `per_minute` a minute; 0 a minute means no limit."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.burst = burst
        self._rate = per_minute / 60.0  # tokens a second
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> tokens, when
        self._lock = threading.Lock()

    def take(self, client: str) -> int | None:
        """Spend one token of `client`: None when allowed, else the whole seconds to wait."""
        if self.per_minute == 0:
            return None
        now = self._clock()
        with self._lock:
            tokens, updated = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - updated) * self._rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return None if allowed else max(1, math.ceil((1.0 - tokens) / self._rate))


def client_address(request: Request, trust_proxy: bool) -> str:
    """The peer's address; behind a trusted proxy, the last address it added to X-Forwarded-For."""
    if trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.client.host if request.client else "unknown"
