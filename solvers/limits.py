"""Size limits on what a client can send; checked before any parsing work is done."""

from __future__ import annotations

MAX_BODY_BYTES = 64 * 1024
MAX_TEXT_CHARS = 20_000
MAX_DIGITS = 50
MAX_ENTRIES = 10_000
MAX_NESTING = 3
MAX_TABLE_ROWS = 200
