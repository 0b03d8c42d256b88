"""The id of the request being served: the client's `X-Request-ID` when it is safe to echo, else a new one."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_SAFE = re.compile(r"[A-Za-z0-9._-]{1,128}")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_from(header: bytes | None) -> str:
    """The header's value if it is 1–128 characters of [A-Za-z0-9._-]; otherwise a fresh uuid4."""
    if header is not None:
        value = header.decode("latin-1")
        if _SAFE.fullmatch(value):
            return value
    return uuid.uuid4().hex
