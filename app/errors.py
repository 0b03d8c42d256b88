"""The one place where typed errors become HTTP responses: `{"error": {code, message, ...}}`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.auth_errors import Forbidden, InvalidKeyRequest, RateLimited, Unauthenticated, UnknownKey
from app.submission_errors import IdempotencyConflict, InvalidCursor, UnknownSubmission
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
    Unauthenticated: 401,
    Forbidden: 403,
    RateLimited: 429,
    UnknownKey: 404,
    InvalidKeyRequest: 422,
    UnknownSubmission: 404,
    IdempotencyConflict: 409,
    InvalidCursor: 422,
}


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


def _status_for(error: ExamgraderError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def error_detail(error: ExamgraderError) -> dict[str, object]:
    """`{code, message, ...}` of a typed error: the response's `error`, or a failed batch item's."""
    detail: dict[str, object] = {"code": error.code, "message": error.message}
    if isinstance(error, NotUnderstood):
        detail["suggestions"] = error.suggestions
    if isinstance(error, ResponseFormatError) and error.pointer():
        detail["pointer"] = error.pointer()
    return detail


async def _examgrader_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ExamgraderError)
    return JSONResponse(
        {"error": error_detail(error)}, status_code=_status_for(error), headers=error.headers()
    )


def _describe_validation(error: RequestValidationError) -> str:
    problems = []
    for item in error.errors()[:5]:
        if item.get("type") == "json_invalid":
            reason = item.get("ctx", {}).get("error", "")
            offset = item.get("loc", ("body", "?"))[-1]
            problems.append(
                f"body: not valid JSON at character {offset}" + (f" ({reason})" if reason else "")
            )
            continue
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "body"
        problems.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(problems)


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse(error_body("invalid_request", _describe_validation(error)), status_code=422)


# FastAPI's words for a JSON body it cannot decode (bytes that are not UTF-8); bad JSON syntax
# already arrives as a RequestValidationError, so both answer 422 invalid_request.
_UNDECODABLE_BODY = "There was an error parsing the body"


async def _http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 400 and error.detail == _UNDECODABLE_BODY:
        return JSONResponse(
            error_body("invalid_request", "body: not valid JSON (a JSON body must be UTF-8 text)"),
            status_code=422,
        )
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
