from __future__ import annotations

from fastapi import APIRouter, Response

from app.deps import ServiceDep
from app.schemas import AnswerOut, AnswerRequest, ErrorOut

router = APIRouter(prefix="/v1", tags=["answer"])


@router.post(
    "/answer",
    response_model=AnswerOut,
    responses={
        422: {"model": ErrorOut, "description": "Not understood, or the question's data is invalid."},
        413: {"model": ErrorOut, "description": "Body or a value exceeds a size limit."},
    },
)
async def answer(body: AnswerRequest, service: ServiceDep) -> Response:
    """Answer a question written in free text, with worked steps and the conventions used."""
    # Serialised once here: the body is already a validated AnswerOut, so FastAPI need not re-validate it.
    return Response(service.answer(body.question).model_dump_json(), media_type="application/json")
