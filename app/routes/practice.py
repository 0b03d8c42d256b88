from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth import RATE_LIMITED, LimitedCaller
from app.schemas import ErrorOut, PracticeOut, PracticePartOut
from solvers.practice import MAX_SEED, new_practice

router = APIRouter(prefix="/v1", tags=["practice"])


@router.get("/practice", response_model=PracticeOut, responses={404: {"model": ErrorOut}, **RATE_LIMITED})
async def practice(
    caller: LimitedCaller,
    kind: Annotated[
        str | None, Query(max_length=60, description="A solver kind, e.g. confusion_binary.")
    ] = None,
    topic: Annotated[str | None, Query(max_length=60, description="A topic, e.g. evaluation.")] = None,
    seed: Annotated[int | None, Query(ge=0, le=MAX_SEED, description="Same seed, same question.")] = None,
) -> PracticeOut:
    """A generated numeric question with fresh numbers; grade it with `question_id`."""
    drawn = new_practice(kind=kind, topic=topic, seed=seed)
    return PracticeOut(
        question_id=drawn.question_id,
        kind=drawn.kind,
        topic=drawn.topic,
        question=drawn.question,
        asked=list(drawn.solution.asked),
        parts=[
            PracticePartOut(name=spec.name, label=spec.label, kind=spec.kind)
            for spec in map(drawn.solution.spec, drawn.solution.asked)
        ],
    )
