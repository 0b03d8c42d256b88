"""`examgrader serve`: uvicorn with the app's logging (uvicorn's own config and access line switched off)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import uvicorn

from app.config import load_settings
from app.observability import MULTIPROCESS_ENV
from app.observability.logs import APP_LOGGER, configure_logging

log = logging.getLogger(APP_LOGGER)

# A worker loads the question bank and the grader before it answers uvicorn's health ping; the 5 s
# default kills workers that start slowly on a busy machine, over and over.
WORKER_HEALTHCHECK_SECONDS = 60
METRIC_FILE_PATTERNS = ("counter_*.db", "gauge_*.db", "histogram_*.db", "summary_*.db")


def clear_multiprocess_dir(directory: Path) -> None:
    """Metrics of an earlier run would be added to this one's: remove their files (and only those)."""
    directory.mkdir(parents=True, exist_ok=True)
    for pattern in METRIC_FILE_PATTERNS:
        for stale in directory.glob(pattern):
            stale.unlink()


def serve(host: str, port: int, workers: int) -> None:
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    multiprocess_dir = os.environ.get(MULTIPROCESS_ENV)
    if multiprocess_dir:
        clear_multiprocess_dir(Path(multiprocess_dir))
    elif workers > 1:
        log.warning("%s is not set: each worker's /metrics counts only its own requests", MULTIPROCESS_ENV)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        # uvicorn would take X-Forwarded-For from local peers by default; only when told to (rate limits).
        proxy_headers=settings.trust_proxy,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
