"""Keyset paging over (created_at, id): a cursor is the last row's pair as base64url JSON."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from app.submission_errors import InvalidCursor

MAX_ID_CHARS = 36


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes (SQLite returns them so; clients may send them) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: str

    def encode(self) -> str:
        raw = json.dumps([as_utc(self.created_at).isoformat(), self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            created_at, ident = json.loads(raw)
            moment = as_utc(datetime.fromisoformat(created_at))
        except (ValueError, TypeError, OverflowError, binascii.Error):
            raise InvalidCursor("the cursor is not one this service issued; start again without it") from None
        if not isinstance(ident, str) or len(ident) > MAX_ID_CHARS:
            raise InvalidCursor("the cursor is not one this service issued; start again without it")
        return cls(moment, ident)
