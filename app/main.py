"""The ASGI app, built by `create_app()` (uvicorn: `app.main:create_app --factory`)."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import FastAPI

from app.config import Settings, get_settings
from app.errors import install_error_handlers
from app.limits import BodySizeLimit
from app.routes import answer, grade, health, practice, questions, web
from app.service import Examgrader
from app.storage.db import Database, database_url
from question_bank.loader import load_bank

DESCRIPTION = """
Answers deep-learning exam questions with worked steps, and grades responses part by part.

* `POST /v1/answer` — a question in free text (tables, prose, LaTeX) → the answer, steps, conventions.
* `POST /v1/grade` — a question and a response → per-part scores, named mistakes, feedback.

Errors are `{"error": {"code", "message", ...}}`: `not_understood` (422, with suggestions),
`invalid_request` (422), `body_too_large` / `input_too_large` (413).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="examgrader", version=version("examgrader"), description=DESCRIPTION)
    app.state.settings = settings
    app.state.service = Examgrader(
        load_bank(), cache_size=settings.answer_cache_size, backend=settings.grader_backend
    )
    app.state.db = Database(database_url(settings.data_dir, settings.database_url))
    app.state.db.migrate()
    install_error_handlers(app)
    for module in (health, answer, grade, questions, practice, web):
        app.include_router(module.router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
