"""Pure ASGI middleware: gives each request an id (echoed in `X-Request-ID`), times it, counts it by
route template, and writes one access line. Bodies, headers and query strings are never logged."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.logs import ACCESS_LOGGER
from app.observability.metrics import observe_request
from app.observability.request_id import HEADER, current_request_id, request_id_from

access_log = logging.getLogger(ACCESS_LOGGER)

UNMATCHED = "unmatched"
MAX_LOGGED_PATH = 512
HEADER_BYTES = HEADER.lower().encode()


def route_template(scope: Scope, root_path: str) -> str:
    """The path template of the route that served the request ('/v1/questions/{question_id}'): never
    the raw path, whose variety would blow up the metrics' label sets. Requests no route took (404s,
    redirects, 413s refused before routing) are 'unmatched'. `root_path`: the scope's on arrival."""
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str) and path:
        return path
    if "endpoint" not in scope:
        return UNMATCHED
    mounted_at = scope.get("root_path", "")[len(root_path) :]
    if mounted_at:  # a mount (the static files) took it
        return f"{mounted_at}/{{path}}"
    # A plain route (the OpenAPI document, the docs page): without parameters, its path is the template.
    return UNMATCHED if scope.get("path_params") else str(scope["path"])


class RequestObserver:
    """Outermost of the app's middleware, so refused requests are counted and logged too.
    `quiet_paths` (the scrape endpoint) are left out of the metrics and logged at debug level only."""

    def __init__(self, app: ASGIApp, quiet_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.quiet_paths = quiet_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(dict(scope.get("headers", [])).get(HEADER_BYTES))
        token = current_request_id.set(request_id)
        root_path = scope.get("root_path", "")
        status = 500  # unless a response starts: an exception escaped every handler
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER_BYTES, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            self._record(scope, route_template(scope, root_path), status, seconds)
            current_request_id.reset(token)

    def _record(self, scope: Scope, route: str, status: int, seconds: float) -> None:
        method: str = scope["method"]
        quiet = scope["path"] in self.quiet_paths
        if not quiet:
            observe_request(method, route, status, seconds)
        duration_ms = round(seconds * 1000, 2)
        client = scope.get("client")
        access_log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s %sms",
            method,
            route,
            status,
            duration_ms,
            extra={
                "request_id": current_request_id.get(),
                "method": method,
                "route": route,
                "path": scope["path"][:MAX_LOGGED_PATH],
                "status": status,
                "duration_ms": duration_ms,
                "client": client[0] if client else None,
            },
        )
