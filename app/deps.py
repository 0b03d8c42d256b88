"""Dependencies shared by the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.auth import ReadCaller, can_read_restricted
from app.exam_only import export_refusal
from app.service import Examgrader


def get_service(request: Request) -> Examgrader:
    service: Examgrader = request.app.state.service
    return service


ServiceDep = Annotated[Examgrader, Depends(get_service)]


def export_access(request: Request, caller: ReadCaller) -> None:
    """Exports need the read scope once keys exist; a bank with exam-only entries, a read key."""
    if not can_read_restricted(caller) and any(
        entry.exam_only for entry in get_service(request).bank.entries
    ):
        raise export_refusal()
