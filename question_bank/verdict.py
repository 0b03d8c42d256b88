"""From per-sentence evidence to a grade: statuses, score, confidence, review flag and feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from question_bank.evidence import SegmentView
from question_bank.grade_result import (
    CREDIT,
    Backend,
    GradeResult,
    KeyPointGrade,
    MisconceptionFound,
    Span,
    Status,
    feedback_text,
)
from question_bank.guards import mostly_foreign
from question_bank.rubric import Rubric

Matrix = npt.NDArray[np.float32]

BOUNDARY_MARGIN = 0.04
"""Scores this close to ``correct_score`` (the grade boundary) are flagged for review."""

LOW_CONFIDENCE = 0.35
"""Grades less sure than this are flagged for review."""


@dataclass(frozen=True)
class Calibration:
    """Thresholds of the grader, chosen per backend by ``python -m question_bank.evaluate_grading``."""

    covered: float = 0.75
    partly: float = 0.45
    terms_low: float = 0.1
    terms_high: float = 0.6
    cosine_low: float = 0.3
    cosine_high: float = 0.8
    lexical_share: float = 0.5
    """Hybrid: key-point evidence = this share × lexical + the rest × mapped cosine."""
    misconception_found: float = 0.8
    misconception_cosine_low: float = 0.6
    misconception_cosine_high: float = 0.9
    misconception_lexical_share: float = 0.7
    misconception_penalty: float = 0.3
    """Per misconception found: this share of the full score is taken off."""
    margin: float = 0.15
    correct_score: float = 0.6
    """Scores from here on count as ``correct``."""
    blend: str = "mean"
    """Evidence this far from every threshold counts as certain."""


def _span(view: SegmentView) -> Span:
    return Span(view.segment.start, view.segment.end, view.segment.text)


def _status(value: float, cal: Calibration) -> Status:
    if value >= cal.covered:
        return Status.COVERED
    return Status.PARTLY if value >= cal.partly else Status.MISSING


def key_point_grades(
    rubric: Rubric, views: Sequence[SegmentView], support: Matrix, denial: Matrix, cal: Calibration
) -> tuple[KeyPointGrade, ...]:
    grades: list[KeyPointGrade] = []
    for col, point in enumerate(rubric.points):
        if not views:
            grades.append(KeyPointGrade(point.id, point.text, point.weight, Status.MISSING, 0.0, None))
            continue
        row = int(support[:, col].argmax())
        value = float(support[row, col])
        status = _status(value, cal)
        denied_row = int(denial[:, col].argmax())
        contradicted = status is Status.MISSING and float(denial[denied_row, col]) >= cal.partly
        span = _span(views[denied_row if contradicted else row]) if contradicted or value > 0 else None
        grades.append(KeyPointGrade(point.id, point.text, point.weight, status, value, span, contradicted))
    return tuple(grades)


def misconceptions_found(
    rubric: Rubric, views: Sequence[SegmentView], found: Matrix, cal: Calibration
) -> tuple[MisconceptionFound, ...]:
    result: list[MisconceptionFound] = []
    for col, item in enumerate(rubric.misconceptions):
        if not views:
            break
        row = int(found[:, col].argmax())
        if found[row, col] >= cal.misconception_found:
            result.append(
                MisconceptionFound(
                    item.id, item.text, item.feedback, float(found[row, col]), _span(views[row])
                )
            )
    return tuple(result)


def confidence(key_points: Sequence[KeyPointGrade], found: Matrix, cal: Calibration) -> float:
    """1 when all evidence lies at least ``margin`` from every threshold, lower as it nears one."""
    total = sum(point.weight for point in key_points)
    if total <= 0:
        return 0.0
    sure = 0.0
    for point in key_points:
        distance = min(abs(point.evidence - cal.covered), abs(point.evidence - cal.partly))
        sure += point.weight * min(1.0, distance / cal.margin)
    value = sure / total
    if found.size:
        nearest = float(np.abs(found.max(axis=0) - cal.misconception_found).min())
        value = min(value, nearest / cal.margin)
    return min(1.0, value)


def verdict(
    rubric: Rubric,
    response: str,
    views: Sequence[SegmentView],
    support: Matrix,
    denial: Matrix,
    found: Matrix,
    cal: Calibration,
    backend: Backend,
) -> GradeResult:
    """The grade: statuses, score, misconceptions, confidence, review reasons and feedback."""
    points = key_point_grades(rubric, views, support, denial, cal)
    wrong = misconceptions_found(rubric, views, found, cal)
    total = rubric.total_weight
    earned = sum(CREDIT[point.status] * point.weight for point in points)
    penalty = cal.misconception_penalty * len(wrong)
    score = min(1.0, max(0.0, earned / total - penalty)) if total > 0 else 0.0
    reasons: list[str] = []
    notes: list[str] = []
    if not views:
        notes.append("The response is empty (or has no words to grade).")
    if any(view.instruction for view in views):
        reasons.append("the response contains instructions aimed at the grader")
        notes.append("Sentences addressed to the grader earn no credit.")
    if views and sum(view.keyword_list for view in views) * 2 >= len(views):
        reasons.append("the response is mostly lists of terms")
        notes.append("Lists of terms without explanation earn no credit.")
    if views and all(view.echo for view in views):
        notes.append("The response repeats the question.")
    if mostly_foreign(response, [view.segment for view in views]):
        reasons.append("the response is mostly not in English")
    if not rubric.points:
        reasons.append("the reference answer gives nothing to grade against")
    sure = confidence(points, found, cal) if views else 1.0
    if sure < LOW_CONFIDENCE:
        reasons.append("the evidence is close to the thresholds")
    if views and abs(score - cal.correct_score) < BOUNDARY_MARGIN:
        reasons.append("the score is close to a grade boundary")
    return GradeResult(
        score=round(score, 4),
        correct=score >= cal.correct_score,
        key_points=points,
        misconceptions=wrong,
        feedback=feedback_text(points, wrong, tuple(notes)),
        confidence=round(sure, 3),
        needs_review=bool(reasons),
        review_reasons=tuple(reasons),
        backend=backend,
    )
