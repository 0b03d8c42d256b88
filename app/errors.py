"""The one place where typed errors become HTTP responses: `{"error": {code, message, ...}}`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from solvers.errors import (
    ExamgraderError,
    InputTooLarge,
    InvalidQuestion,
    NotGradable,
    NotUnderstood,
    ResponseFormatError,
    UnknownQuestion,
)

STATUS_BY_ERROR: dict[type[ExamgraderError], int] = {
    NotUnderstood: 422,
    InvalidQuestion: 422,
    ResponseFormatError: 422,
    InputTooLarge: 413,
    UnknownQuestion: 404,
    NotGradable: 422,
}


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


def _status_for(error: ExamgraderError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


async def _examgrader_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ExamgraderError)
    extra: dict[str, object] = {}
    if isinstance(error, NotUnderstood):
        extra["suggestions"] = error.suggestions
    if isinstance(error, ResponseFormatError) and error.pointer():
        extra["pointer"] = error.pointer()
    return JSONResponse(error_body(error.code, error.message, **extra), status_code=_status_for(error))


def _describe_validation(error: RequestValidationError) -> str:
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "body"
        problems.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(problems)


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse(error_body("invalid_request", _describe_validation(error)), status_code=422)


async def _http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    codes = {
        404: "not_found",
        405: "method_not_allowed",
        413: "body_too_large",
        415: "unsupported_media_type",
    }
    code = codes.get(error.status_code, "http_error")
    return JSONResponse(
        error_body(code, str(error.detail)),
        status_code=error.status_code,
        headers=getattr(error, "headers", None),
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ExamgraderError, _examgrader_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
