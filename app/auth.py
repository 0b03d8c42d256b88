"""Who is calling: an API key sent as `Authorization: Bearer <key>`, checked against the database.

While no key has ever been created every route is open, so a fresh install works without keys.
Once one exists, routes that `require` a scope refuse callers without a valid key (401) or without
the scope (403); "admin" implies every scope. Open routes take a key if sent; callers without one
are rate-limited per client address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from app.auth_errors import Forbidden, RateLimited, Unauthenticated
from app.rate_limit import TokenBuckets, client_address
from app.schemas import ErrorOut
from app.storage.keys import SCOPES, KeyStore

ALL_SCOPES = frozenset(SCOPES)


@dataclass(frozen=True)
class Caller:
    key_id: int | None  # None: no key sent (anonymous) or no keys exist (open mode)
    name: str | None
    scopes: frozenset[str]  # an admin key holds every scope
    authenticated: bool


OPEN_MODE = Caller(key_id=None, name=None, scopes=ALL_SCOPES, authenticated=False)
ANONYMOUS = Caller(key_id=None, name=None, scopes=frozenset(), authenticated=False)


def _presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthenticated("the Authorization header must be `Bearer <key>`")
    return key.strip()


def identify(request: Request) -> Caller:
    """The caller of this request; 401 when a key is sent but unknown or revoked."""
    store: KeyStore = request.app.state.keys
    key = _presented_key(request)
    if key is None:
        return ANONYMOUS if store.any_keys() else OPEN_MODE
    record = store.find(key)
    if record is None:
        raise Unauthenticated("the API key is not valid")
    if not record.active:
        raise Unauthenticated("the API key has been revoked")
    scopes = ALL_SCOPES if "admin" in record.scopes else record.scopes
    return Caller(key_id=record.id, name=record.name, scopes=scopes, authenticated=True)


IdentifiedCaller = Annotated[Caller, Depends(identify)]


def require(scope: str) -> Callable[..., Caller]:
    """A dependency: the caller, who must hold `scope` once any key exists."""
    if scope not in ALL_SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(caller: IdentifiedCaller) -> Caller:
        if caller is OPEN_MODE:
            return caller
        if not caller.authenticated:
            raise Unauthenticated(
                "this endpoint needs an API key: send the header `Authorization: Bearer <key>`"
            )
        if scope not in caller.scopes:
            raise Forbidden(f"the key {caller.name!r} lacks the {scope!r} scope this endpoint needs")
        return caller

    return dependency


def optional_caller(caller: IdentifiedCaller) -> Caller:
    """A dependency for open routes: the key's caller if one is sent, else anonymous."""
    return caller


def limited_caller(request: Request, caller: IdentifiedCaller) -> Caller:
    """Like `optional_caller`, and a caller without a key spends a token of its address (429)."""
    if caller.authenticated:
        return caller
    buckets: TokenBuckets = request.app.state.rate_limits
    wait = buckets.take(client_address(request, request.app.state.settings.trust_proxy))
    if wait is not None:
        raise RateLimited(
            f"too many requests from this address: at most {buckets.per_minute} a minute without an "
            f"API key; retry in {wait} s, or send a key",
            retry_after=wait,
        )
    return caller


def can_read_restricted(caller: Caller) -> bool:
    """Exam-only model answers are shown only to a key with the read scope (never anonymously)."""
    return caller.authenticated and "read" in caller.scopes


# For the OpenAPI `responses` of routes that take a key if sent.
KEY_IF_SENT: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "A key was sent, but it is malformed, unknown or revoked."}
}
RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    **KEY_IF_SENT,
    429: {
        "model": ErrorOut,
        "description": "Too many requests without a key from this address; see Retry-After.",
    },
}

GradeCaller = Annotated[Caller, Depends(require("grade"))]
ReadCaller = Annotated[Caller, Depends(require("read"))]
AdminCaller = Annotated[Caller, Depends(require("admin"))]
OptionalCaller = Annotated[Caller, Depends(optional_caller)]
LimitedCaller = Annotated[Caller, Depends(limited_caller)]
