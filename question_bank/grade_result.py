"""The outcome of grading one free-text response against a rubric, and its feedback in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Backend(StrEnum):
    """How sentences are matched to key points: lexical evidence only, or lexical and semantic."""

    LEXICAL = "lexical"
    HYBRID = "hybrid"


class Status(StrEnum):
    COVERED = "covered"
    PARTLY = "partly"
    MISSING = "missing"


CREDIT = {Status.COVERED: 1.0, Status.PARTLY: 0.5, Status.MISSING: 0.0}


@dataclass(frozen=True)
class Span:
    """Where the evidence is: character offsets into the response as sent, and that text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class KeyPointGrade:
    id: str
    text: str
    weight: float
    status: Status
    evidence: float
    span: Span | None
    contradicted: bool = False
    """The response denies this key point (and nowhere states it)."""


@dataclass(frozen=True)
class MisconceptionFound:
    id: str
    text: str
    feedback: str
    evidence: float
    span: Span


@dataclass(frozen=True)
class GradeResult:
    """Score in 0..1, per key point status with evidence, misconceptions found, feedback, review flag."""

    score: float
    correct: bool
    key_points: tuple[KeyPointGrade, ...]
    misconceptions: tuple[MisconceptionFound, ...]
    feedback: str
    confidence: float
    needs_review: bool
    review_reasons: tuple[str, ...]
    backend: Backend

    @property
    def contradicted(self) -> bool:
        """Whether the response denies some key point or states a misconception."""
        return bool(self.misconceptions) or any(point.contradicted for point in self.key_points)


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _listing(points: list[KeyPointGrade]) -> str:
    return " ".join(f"({index}) {_clip(point.text)}" for index, point in enumerate(points, start=1))


def feedback_text(
    key_points: tuple[KeyPointGrade, ...],
    misconceptions: tuple[MisconceptionFound, ...],
    notes: tuple[str, ...],
) -> str:
    """What was covered, what is partly there, what is missing, and what is wrong, in plain words."""
    covered = [point for point in key_points if point.status is Status.COVERED]
    partly = [point for point in key_points if point.status is Status.PARTLY]
    missing = [point for point in key_points if point.status is Status.MISSING]
    lines: list[str] = list(notes)
    if key_points and not partly and not missing:
        lines.append("The answer covers every key point.")
    elif covered:
        lines.append(f"Covered: {_listing(covered)}")
    if partly:
        lines.append(f"Only partly explained: {_listing(partly)}")
    denied = [point for point in missing if point.contradicted]
    if denied:
        lines.append(f"The answer contradicts: {_listing(denied)}")
    absent = [point for point in missing if not point.contradicted]
    if absent:
        lines.append(f"Missing: {_listing(absent)}")
    for item in misconceptions:
        lines.append(f"Misconception: {item.feedback}")
    return "\n".join(lines)
