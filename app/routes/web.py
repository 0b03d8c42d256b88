"""The self-quiz page: `index.html` at `/`, its scripts, styles and vendored KaTeX at `/static`."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_DIR = WEB_DIR / "static"

# Everything comes from this origin; KaTeX styles its output through the CSSOM, which style-src allows.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Vendored files change only with their version (which the page puts in their URL): cache for a year.
# The page's own files are revalidated on every load (a 304 when unchanged).
VENDOR_CACHE = "public, max-age=31536000, immutable"
OWN_CACHE = "no-cache"
MEDIA_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".md": "text/markdown",
}


class WebStatic(StaticFiles):
    """Static files with explicit media types, `nosniff` and a cache policy by folder."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        media_type = MEDIA_TYPES.get(Path(full_path).suffix)
        if media_type is not None and response.status_code == 200:
            response.headers["content-type"] = (
                f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
            )
        vendored = Path(full_path).is_relative_to(STATIC_DIR / "vendor")
        response.headers["cache-control"] = VENDOR_CACHE if vendored else OWN_CACHE
        response.headers["x-content-type-options"] = "nosniff"
        return response


router = APIRouter(include_in_schema=False)
router.mount("/static", WebStatic(directory=STATIC_DIR), name="static")


@router.api_route("/", methods=["GET", "HEAD"])
async def index() -> FileResponse:
    """The self-quiz page."""
    return FileResponse(
        WEB_DIR / "index.html",
        media_type="text/html; charset=utf-8",
        headers={**SECURITY_HEADERS, "Cache-Control": OWN_CACHE},
    )
