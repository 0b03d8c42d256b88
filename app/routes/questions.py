from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.bank_schemas import QuestionOut, QuestionPage, TopicCount, TopicList, full, summary
from app.deps import ServiceDep
from app.schemas import ErrorOut
from question_bank.models import Topic
from solvers.errors import UnknownQuestion

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
    """Topics with the number of questions in each."""
    items = [TopicCount(topic=t.value, count=len(e)) for t, e in service.bank.by_topic().items()]
    return TopicList(items=items, total=len(items))
