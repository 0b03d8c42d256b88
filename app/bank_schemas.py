"""Bodies of the question-bank endpoints: summaries for lists, the full entry for one question."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from question_bank.models import QuestionEntry


class SourceOut(BaseModel):
    seed: str
    number: int


class KeyPointOut(BaseModel):
    id: str
    text: str
    weight: float
    cues: list[str]


class MisconceptionOut(BaseModel):
    id: str
    text: str
    cues: list[str]
    feedback: str


class SolverSpecOut(BaseModel):
    kind: str
    parameters: dict[str, Any]


class QuestionSummary(BaseModel):
    id: str
    title: str
    topic: str
    kind: str
    tags: list[str]
    difficulty: str
    prompt: str
    score: float | None = Field(default=None, description="Relevance to `q`, when searching.")


class QuestionOut(QuestionSummary):
    source: SourceOut
    answer_markdown: str
    key_points: list[KeyPointOut]
    misconceptions: list[MisconceptionOut]
    related: list[str]
    solver: SolverSpecOut | None


class QuestionPage(BaseModel):
    items: list[QuestionSummary]
    total: int
    offset: int
    limit: int


class TopicCount(BaseModel):
    topic: str
    count: int = Field(description="Questions of the bank on this topic.")
    practice_kinds: list[str] = Field(
        default_factory=list, description="Numeric kinds with generated practice questions on this topic."
    )


class TopicList(BaseModel):
    items: list[TopicCount]
    total: int


def summary(entry: QuestionEntry, score: float | None = None) -> QuestionSummary:
    return QuestionSummary(
        id=entry.id,
        title=entry.title,
        topic=entry.topic.value,
        kind=entry.kind,
        tags=entry.tags,
        difficulty=entry.difficulty.value,
        prompt=entry.prompt,
        score=score,
    )


def full(entry: QuestionEntry) -> QuestionOut:
    return QuestionOut(
        **summary(entry).model_dump(),
        source=SourceOut(seed=entry.source.seed, number=entry.source.number),
        answer_markdown=entry.answer_markdown,
        key_points=[KeyPointOut(**k.model_dump()) for k in entry.key_points],
        misconceptions=[MisconceptionOut(**m.model_dump()) for m in entry.misconceptions],
        related=entry.related,
        solver=SolverSpecOut(**entry.solver.model_dump()) if entry.solver else None,
    )
