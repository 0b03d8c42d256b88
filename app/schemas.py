"""Request and response bodies of the REST contract v1 (see the README), with OpenAPI examples."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from solvers.base import ValueKind
from solvers.limits import MAX_TEXT_CHARS

SEED_Q2 = (
    "Compute accuracy, precision, recall and F1.\n"
    "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
    "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |"
)

Text = str
ResponseScalar = float | int | str | None
ResponseValue = ResponseScalar | list[ResponseScalar] | list[list[ResponseScalar]]


class AnswerRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"question": SEED_Q2}]},
    )
    question: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="The question, as written.")


class StepOut(BaseModel):
    title: str
    text: str
    latex: str


class KeyPointBrief(BaseModel):
    id: str
    text: str
    weight: float


class AnswerOut(BaseModel):
    """A question answered: by a numeric solver (`source: solver`) or the question bank (`bank`)."""

    source: Literal["solver", "bank"]
    kind: str
    question_id: str | None = None
    title: str | None = None
    asked: list[str]
    answer: dict[str, Any]
    steps: list[StepOut]
    conventions: list[str]
    given: dict[str, Any] = Field(default_factory=dict, description="The data read from the question.")
    notes: list[str] = Field(default_factory=list)
    answer_markdown: str | None = Field(default=None, description="Bank entries: the model answer.")
    key_points: list[KeyPointBrief] = Field(default_factory=list)
    confidence: float | None = Field(default=None, description="Bank entries: how sure the match is, 0..1.")
    alternatives: list[str] = Field(default_factory=list, description="Bank entries: other likely ids.")


class GradeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": SEED_Q2, "response": "accuracy 90%, precision 0.8, recall 0.5, F1 = 8/13"},
                {
                    "question": SEED_Q2,
                    "response": {"precision": "50%", "recall": 0.8, "f1": "8/13", "accuracy": 0.9},
                },
            ]
        },
    )
    question: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT_CHARS)
    question_id: str | None = Field(default=None, min_length=1, max_length=200)
    response: str | dict[str, ResponseValue] = Field(
        description="Free text (labelled parts in prose are read) or an object of part name → value."
    )
    reference_answer: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)

    @model_validator(mode="after")
    def _one_question(self) -> GradeRequest:
        if (self.question is None) == (self.question_id is None):
            raise ValueError("give exactly one of 'question' or 'question_id'")
        if isinstance(self.response, str) and len(self.response) > MAX_TEXT_CHARS:
            raise ValueError(f"'response' is longer than {MAX_TEXT_CHARS} characters")
        if isinstance(self.response, dict) and len(self.response) > 100:
            raise ValueError("'response' has more than 100 parts")
        return self


class SpanOut(BaseModel):
    """Where in the response the evidence is: character offsets and the text."""

    start: int
    end: int
    text: str


class PartOut(BaseModel):
    name: str
    label: str
    status: Literal["correct", "partial", "wrong", "missing", "unreadable"]
    score: float | None = Field(description="0..1; null when the part could not be read.")
    correct: bool
    expected: Any
    given: str | None
    feedback: str
    misconception: str | None = Field(description="Code of the mistake the value matches, if any.")
    weight: float = Field(default=1.0, description="The part's share of the score, relative to the others.")
    evidence: SpanOut | None = Field(default=None, description="Conceptual: the sentence that covers it.")
    carried_forward: bool = Field(
        default=False,
        description="Credited as worked out correctly from the response's own wrong earlier parts.",
    )


class MisconceptionFoundOut(BaseModel):
    id: str
    text: str
    feedback: str
    evidence: SpanOut


class SolutionOut(BaseModel):
    kind: str
    asked: list[str]
    answer: dict[str, Any]
    steps: list[StepOut]
    conventions: list[str]
    answer_markdown: str | None = Field(default=None, description="Conceptual: the model answer.")


class GradeOut(BaseModel):
    status: Literal["graded", "unreadable"] = Field(
        description="'unreadable': a format error, the score is withheld and the student may resubmit."
    )
    score: float | None
    correct: bool
    parts: list[PartOut]
    feedback: str
    needs_review: bool
    misconceptions: list[str]
    solution: SolutionOut
    kind: str = Field(description="The solver kind, or 'conceptual' for key-point grading.")
    question_id: str | None = None
    confidence: float = Field(default=1.0, description="How sure the grader is, 0..1.")
    review_reasons: list[str] = Field(default_factory=list)
    misconceptions_found: list[MisconceptionFoundOut] = Field(
        default_factory=list, description="Conceptual: misconceptions stated in the response, with feedback."
    )


class ErrorDetail(BaseModel):
    code: str
    message: str
    suggestions: list[str] = Field(default_factory=list)


class ErrorOut(BaseModel):
    error: ErrorDetail


class PracticePartOut(BaseModel):
    """An asked quantity, for a labelled input before grading."""

    name: str = Field(description="The key to use in a `response` object.")
    label: str = Field(description="For people: 'Precision'.")
    kind: ValueKind = Field(description="How it is read: a number, a proportion, a list, a shape or a word.")


class PracticeOut(BaseModel):
    question_id: str = Field(description="Grade with this id; the question is regenerated from it.")
    kind: str
    topic: str
    question: str
    asked: list[str]
    parts: list[PracticePartOut] = Field(default_factory=list, description="The asked parts, in order.")


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    solvers: list[str]
