"""Logging set up once for the app and uvicorn: one JSON object a line (or text), request ids attached.

Nothing here logs request bodies or headers; the access line names the route, never the query string.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from app.config import LogFormat, LogLevel
from app.observability.request_id import current_request_id

APP_LOGGER = "examgrader"
ACCESS_LOGGER = "examgrader.access"
# The project's loggers: `examgrader.*`, and `getLogger(__name__)` in any of its packages.
OWN_LOGGERS = (APP_LOGGER, "app", "solvers", "question_bank")
# uvicorn's server messages go through our handler; its own access line is replaced by ours.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
SILENCED_LOGGERS = ("uvicorn.access",)

JSON_FIELDS = "%(levelname)s %(name)s %(process)d %(message)s"  # and "time": ISO 8601, UTC
JSON_RENAMES = {"levelname": "level", "name": "logger", "process": "pid"}
# uvicorn's ANSI-coloured copy of its messages: noise in a JSON line.
NOT_LOGGED = (*RESERVED_ATTRS, "color_message")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being served ('-' outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get() or "-"
        return True


def formatter_for(log_format: LogFormat) -> logging.Formatter:
    if log_format is LogFormat.JSON:
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields=JSON_RENAMES,
            reserved_attrs=NOT_LOGGED,
            timestamp="time",
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


class OwnHandler(logging.StreamHandler[TextIO]):
    """The handler `configure_logging` installs: replaced, not duplicated, when it runs again."""


class StderrHandler(OwnHandler):
    """Writes to whatever `sys.stderr` is at the time (as logging's last-resort handler does)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # emit runs under the handler's lock
        super().emit(record)


def configure_logging(level: LogLevel, log_format: LogFormat, stream: TextIO | None = None) -> None:
    """Install one handler on our loggers and uvicorn's; calling it again replaces it. uvicorn's own
    handlers are dropped; others' handlers on our loggers are kept. `stream`: standard error by default."""
    handler = StderrHandler() if stream is None else OwnHandler(stream)
    handler.setFormatter(formatter_for(log_format))
    handler.addFilter(RequestIdFilter())
    for name in (*OWN_LOGGERS, *UVICORN_LOGGERS):
        logger = logging.getLogger(name)
        kept = [h for h in logger.handlers if name in OWN_LOGGERS and not isinstance(h, OwnHandler)]
        logger.handlers = [*kept, handler]
        logger.setLevel(level.value.upper())
        logger.propagate = False
    for name in SILENCED_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.setLevel(logging.WARNING)
        logger.propagate = False
