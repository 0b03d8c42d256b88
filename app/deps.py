"""Dependencies shared by the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.service import Examgrader


def get_service(request: Request) -> Examgrader:
    service: Examgrader = request.app.state.service
    return service


ServiceDep = Annotated[Examgrader, Depends(get_service)]
