"""`GET /metrics`: Prometheus exposition (text, or OpenMetrics when the scraper asks for it)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.observability.metrics import render

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Counters and histograms of this process, or of every worker in multiprocess mode."""
    body, content_type = render(request.headers.get("accept"))
    return Response(body, media_type=content_type)
