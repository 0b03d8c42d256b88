from __future__ import annotations

from fastapi import APIRouter, Response

from app.auth import RATE_LIMITED, LimitedCaller, can_read_restricted
from app.deps import ServiceDep
from app.observability.metrics import observe_answer
from app.schemas import AnswerOut, AnswerRequest, ErrorOut

router = APIRouter(prefix="/v1", tags=["answer"])


@router.post(
    "/answer",
    response_model=AnswerOut,
    responses={
        422: {"model": ErrorOut, "description": "Not understood, or the question's data is invalid."},
        413: {"model": ErrorOut, "description": "Body or a value exceeds a size limit."},
        403: {"model": ErrorOut, "description": "The question is an exam-only bank entry."},
        **RATE_LIMITED,
    },
)
async def answer(body: AnswerRequest, service: ServiceDep, caller: LimitedCaller) -> Response:
    """Answer a question written in free text, with worked steps and the conventions used."""
    answered = service.answer(body.question, can_read_restricted(caller))
    observe_answer(answered)
    # Serialised once here: the body is already a validated AnswerOut, so FastAPI need not re-validate it.
    return Response(answered.model_dump_json(), media_type="application/json")
