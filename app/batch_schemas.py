"""Bodies of `POST /v1/grade/batch`: many grade requests in, one result or error per item out, in order."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas import SEED_Q2, GradeOut, GradeRequest

MAX_BATCH_ITEMS = 1000


class BatchGradeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"question": SEED_Q2, "response": "accuracy 90%, precision 0.5, recall 0.8, F1 8/13"},
                        {"question_id": "no-such-question", "response": "42"},
                    ]
                }
            ]
        },
    )
    items: list[GradeRequest] = Field(
        max_length=MAX_BATCH_ITEMS, description=f"Up to {MAX_BATCH_ITEMS} grade requests."
    )


class ItemError(BaseModel):
    code: str = Field(description="As in a single request's error: not_understood, unknown_question...")
    message: str
    suggestions: list[str] = Field(default_factory=list)
    pointer: str | None = Field(
        default=None,
        exclude_if=lambda pointer: pointer is None,
        description="unreadable_response: the bad spot, with a caret.",
    )


class ItemGraded(BaseModel):
    index: int = Field(description="The item's position in the request, from 0.")
    ok: Literal[True] = True
    result: GradeOut


class ItemFailed(BaseModel):
    index: int = Field(description="The item's position in the request, from 0.")
    ok: Literal[False] = False
    error: ItemError


class BatchGradeOut(BaseModel):
    results: list[ItemGraded | ItemFailed] = Field(description="One per item, in the request's order.")
    succeeded: int
    failed: int
