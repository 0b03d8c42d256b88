from __future__ import annotations

from fastapi import APIRouter, Response

from app.deps import ServiceDep
from app.schemas import ErrorOut, GradeOut, GradeRequest

router = APIRouter(prefix="/v1", tags=["grade"])


@router.post(
    "/grade",
    response_model=GradeOut,
    responses={
        422: {"model": ErrorOut, "description": "Question not understood, or the request is invalid."},
        413: {"model": ErrorOut, "description": "Body or a value exceeds a size limit."},
    },
)
async def grade(body: GradeRequest, service: ServiceDep) -> Response:
    """Grade a response part by part, naming the mistake a wrong value matches."""
    # Serialised once here: the body is already a validated GradeOut, so FastAPI need not re-validate it.
    return Response(service.grade(body).model_dump_json(), media_type="application/json")
