"""The ASGI app, built by `create_app()` (uvicorn: `app.main:create_app --factory`)."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import FastAPI

from app.config import Settings, get_settings
from app.errors import install_error_handlers
from app.limits import BodySizeLimit
from app.observability.logs import configure_logging
from app.observability.middleware import RequestObserver
from app.rate_limit import TokenBuckets
from app.routes import answer, batch, grade, health, metrics, practice, questions, submissions, web
from app.service import Examgrader
from app.storage.db import Database, database_url
from app.storage.keys import KeyStore
from question_bank.loader import load_bank

DESCRIPTION = """
Answers deep-learning exam questions with worked steps, and grades responses part by part.

* `POST /v1/answer` — a question in free text (tables, prose, LaTeX) → the answer, steps, conventions.
* `POST /v1/grade` — a question and a response → per-part scores, named mistakes, feedback.
* `POST /v1/grade/batch` — up to 1,000 grade requests → a grade or an error per item, in order.

Errors are `{"error": {"code", "message", ...}}`: `not_understood` (422, with suggestions),
`invalid_request` (422), `body_too_large` / `input_too_large` (413).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    app = FastAPI(title="examgrader", version=version("examgrader"), description=DESCRIPTION)
    app.state.settings = settings
    app.state.service = Examgrader(
        load_bank(), cache_size=settings.answer_cache_size, backend=settings.grader_backend
    )
    app.state.db = Database(database_url(settings.data_dir, settings.database_url))
    app.state.db.migrate()
    app.state.keys = KeyStore(app.state.db)
    app.state.rate_limits = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
    install_error_handlers(app)
    for module in (health, answer, grade, batch, submissions, questions, practice, web, metrics):
        app.include_router(module.router)
    batch_limit = {"/v1/grade/batch": settings.max_batch_body_bytes}
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, by_path=batch_limit)
    app.add_middleware(RequestObserver, quiet_paths=frozenset({"/metrics"}))  # outermost: sees every reply
    return app
