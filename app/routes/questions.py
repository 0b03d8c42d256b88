from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.bank_schemas import QuestionOut, QuestionPage, TopicCount, TopicList, full, summary
from app.deps import ServiceDep
from app.schemas import ErrorOut
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


@router.get("/questions/{question_id}", response_model=QuestionOut, responses={404: {"model": ErrorOut}})
async def get_question(question_id: str, service: ServiceDep) -> QuestionOut:
    """One question with its model answer, key points, misconceptions and source."""
    entry = service.bank.get(question_id)
    if entry is None:
        raise UnknownQuestion(f"no question with id {question_id!r}")
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
