from __future__ import annotations

from fastapi import APIRouter, Response

from app.auth import RATE_LIMITED, LimitedCaller, can_read_restricted
from app.deps import ServiceDep
from app.observability.metrics import observe_grade
from app.schemas import ErrorOut, GradeOut, GradeRequest

router = APIRouter(prefix="/v1", tags=["grade"])


@router.post(
    "/grade",
    response_model=GradeOut,
    responses={
        422: {"model": ErrorOut, "description": "Question not understood, or the request is invalid."},
        413: {"model": ErrorOut, "description": "Body or a value exceeds a size limit."},
        404: {"model": ErrorOut, "description": "No bank question has this question_id."},
        **RATE_LIMITED,
    },
)
async def grade(body: GradeRequest, service: ServiceDep, caller: LimitedCaller) -> Response:
    """Grade a response part by part, naming the mistake a wrong value matches."""
    graded = service.grade(body, can_read_restricted(caller))
    observe_grade(graded)
    # Serialised once here: the body is already a validated GradeOut, so FastAPI need not re-validate it.
    return Response(graded.model_dump_json(), media_type="application/json")
