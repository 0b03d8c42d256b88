"""Typed model of a question-bank entry: the YAML front matter plus the Markdown body."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Cues = Annotated[list[NonEmptyStr], Field(min_length=1)]


class Topic(StrEnum):
    """The fixed set of topics; each is also the name of a folder under ``questions/``."""

    EVALUATION = "evaluation"
    GENERALIZATION = "generalization"
    REGULARIZATION = "regularization"
    OPTIMIZATION = "optimization"
    INITIALIZATION = "initialization"
    ENSEMBLES = "ensembles"
    INVARIANCE = "invariance"
    LEARNING_PARADIGMS = "learning-paradigms"
    GRADIENTS = "gradients"
    REPRESENTATIONS = "representations"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where the question comes from: a seed file of study notes and the question's number in it."""

    seed: NonEmptyStr
    number: int = Field(ge=1)


class KeyPoint(_Strict):
    """One gradable idea of a full answer, with phrases a correct answer is likely to use."""

    id: Slug
    text: NonEmptyStr
    weight: float = Field(gt=0, allow_inf_nan=False)
    cues: Cues


class Misconception(_Strict):
    """A known wrong idea, the phrases that state it, and the feedback that corrects it."""

    id: Slug
    text: NonEmptyStr
    cues: Cues
    feedback: NonEmptyStr


class SolverSpec(_Strict):
    """For numeric entries: the solver kind and the data it needs (the same data the prompt prints)."""

    kind: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    parameters: dict[str, Any]


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


class QuestionEntry(_Strict):
    """A validated question: front-matter fields, the model answer and the file's relative path."""

    id: Slug
    title: NonEmptyStr
    topic: Topic
    tags: list[NonEmptyStr]
    difficulty: Difficulty
    source: Source
    prompt: NonEmptyStr
    key_points: Annotated[list[KeyPoint], Field(min_length=4, max_length=8)]
    misconceptions: Annotated[list[Misconception], Field(min_length=2, max_length=4)]
    related: list[Slug]
    solver: SolverSpec | None = None
    # Exam-only: the model answer and key points are shown only to an API key with the read scope.
    exam_only: StrictBool = False
    answer_markdown: str
    path: str

    @field_validator("key_points")
    @classmethod
    def _unique_key_point_ids(cls, value: list[KeyPoint]) -> list[KeyPoint]:
        repeated = _duplicates(point.id for point in value)
        if repeated:
            raise ValueError(f"duplicate key point id(s): {', '.join(repeated)}")
        return value

    @field_validator("misconceptions")
    @classmethod
    def _unique_misconception_ids(cls, value: list[Misconception]) -> list[Misconception]:
        repeated = _duplicates(item.id for item in value)
        if repeated:
            raise ValueError(f"duplicate misconception id(s): {', '.join(repeated)}")
        return value

    @field_validator("related")
    @classmethod
    def _unique_related(cls, value: list[str], info: ValidationInfo) -> list[str]:
        repeated = _duplicates(value)
        if repeated:
            raise ValueError(f"listed more than once: {', '.join(repeated)}")
        if info.data.get("id") in value:
            raise ValueError("an entry cannot be related to itself")
        return value

    @field_validator("answer_markdown")
    @classmethod
    def _answer_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the model answer (the Markdown body after the front matter) is empty")
        return value

    @property
    def kind(self) -> str:
        """The solver kind for numeric entries, ``"conceptual"`` otherwise."""
        return self.solver.kind if self.solver is not None else "conceptual"
