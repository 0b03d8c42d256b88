from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter

from app.schemas import HealthOut
from solvers.registry import SOLVERS

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut)
async def healthz() -> HealthOut:
    """Liveness: the app is up and its solvers are loaded."""
    return HealthOut(status="ok", version=version("examgrader"), solvers=[s.kind for s in SOLVERS])
