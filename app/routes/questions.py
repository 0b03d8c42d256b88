from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.auth import KEY_IF_SENT, OptionalCaller, can_read_restricted
from app.bank_schemas import QuestionOut, QuestionPage, TopicCount, TopicList, full, summary
from app.deps import ServiceDep, export_access
from app.exam_only import refusal
from app.schemas import ErrorOut
from question_bank.exports.bundle import EXPORTERS, ExportFormat, export_bank
from question_bank.models import Topic
from solvers.errors import UnknownQuestion
from solvers.practice import practice_solvers

router = APIRouter(prefix="/v1", tags=["questions"])


@router.get("/questions", response_model=QuestionPage)
async def list_questions(
    service: ServiceDep,
    q: Annotated[str | None, Query(max_length=500, description="Full-text search.")] = None,
    topic: Topic | None = None,
    kind: Annotated[str | None, Query(max_length=60, description="conceptual, or a solver kind.")] = None,
    tag: Annotated[str | None, Query(max_length=60)] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> QuestionPage:
    """Questions of the bank, filtered, searched (best first) and paged."""
    ranked = service.find_questions(q=q, topic=topic, kind=kind, tag=tag)
    page = ranked[offset : offset + limit]
    return QuestionPage(
        items=[summary(entry, score) for entry, score in page], total=len(ranked), offset=offset, limit=limit
    )


# Declared before /questions/{question_id}, so "export" is never read as a question id.
@router.get(
    "/questions/export",
    response_class=Response,
    dependencies=[Depends(export_access)],
    responses={
        200: {
            "description": "The file, as an attachment.",
            "content": {exporter.media_type: {} for exporter in EXPORTERS.values()},
        },
        404: {"model": ErrorOut},
        401: {"model": ErrorOut, "description": "Keys exist and none (or an invalid one) was sent."},
        403: {"model": ErrorOut, "description": "The key lacks the read scope."},
    },
)
def export_questions(
    service: ServiceDep,
    export_format: Annotated[
        ExportFormat, Query(alias="format", description="moodle-xml, gift, or qti (a zip package).")
    ],
    topic: Topic | None = None,
) -> Response:
    """The question bank (or one topic) as a file for an LMS: Moodle XML, GIFT or IMS QTI 2.1."""
    exported = export_bank(service.bank, export_format, topic, solve=service.solve)
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.content, media_type=exported.media_type, headers={"Content-Disposition": disposition}
    )


@router.get(
    "/questions/{question_id}",
    response_model=QuestionOut,
    responses={
        404: {"model": ErrorOut},
        403: {"model": ErrorOut, "description": "An exam-only question."},
        **KEY_IF_SENT,
    },
)
async def get_question(question_id: str, service: ServiceDep, caller: OptionalCaller) -> QuestionOut:
    """One question with its model answer, key points, misconceptions and source."""
    entry = service.bank.get(question_id)
    if entry is None:
        raise UnknownQuestion(f"no question with id {question_id!r}")
    if entry.exam_only and not can_read_restricted(caller):
        raise refusal(entry.id)
    return full(entry)


@router.get("/topics", response_model=TopicList)
async def topics(service: ServiceDep) -> TopicList:
    """Topics with their number of bank questions and the numeric kinds that can be practised."""
    counts = {topic.value: len(entries) for topic, entries in service.bank.by_topic().items()}
    kinds: dict[str, list[str]] = {}
    for solver in practice_solvers():
        kinds.setdefault(solver.topic, []).append(solver.kind)
    names = [*counts, *(topic for topic in kinds if topic not in counts)]
    items = [
        TopicCount(topic=name, count=counts.get(name, 0), practice_kinds=kinds.get(name, []))
        for name in names
    ]
    return TopicList(items=items, total=len(items))
