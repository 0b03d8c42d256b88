"""Typed errors of access control: no or bad key (401), missing scope (403), too many requests (429)."""

from __future__ import annotations

from solvers.errors import ExamgraderError


class Unauthenticated(ExamgraderError):
    """No key was sent where one is required, or the key sent is unknown or revoked."""

    code = "unauthenticated"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class Forbidden(ExamgraderError):
    """The key is valid but lacks the scope the route needs."""

    code = "forbidden"


class RateLimited(ExamgraderError):
    """Too many requests from one client without a key; `retry_after` is in whole seconds."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class UnknownKey(ExamgraderError):
    """No key matches the id or prefix given (or a prefix matches several keys)."""

    code = "unknown_key"


class InvalidKeyRequest(ExamgraderError):
    """A key cannot be created as asked (empty name, unknown scope)."""

    code = "invalid_key_request"
