"""Turning solver and bank results into the API's schemas."""

from __future__ import annotations

from app.schemas import (
    AnswerOut,
    GradeOut,
    KeyPointBrief,
    MisconceptionFoundOut,
    PartOut,
    SolutionOut,
    SpanOut,
    StepOut,
)
from question_bank.grade_result import CREDIT, GradeResult, KeyPointGrade, Span, Status
from question_bank.match import BankMatch
from solvers.base import Solution
from solvers.grading import Grade
from solvers.route import Solved


def _steps(solution: Solution) -> list[StepOut]:
    return [StepOut(title=s.title, text=s.text, latex=s.latex) for s in solution.steps]


def solution_out(solution: Solution) -> SolutionOut:
    return SolutionOut(
        kind=solution.kind,
        asked=list(solution.asked),
        answer=solution.answer,
        steps=_steps(solution),
        conventions=solution.conventions,
    )


def answer_out(solved: Solved, match: BankMatch | None = None) -> AnswerOut:
    """A solver's answer; when the question matched a numeric bank entry, with that entry's text too."""
    solution = solved.solution
    out = AnswerOut(
        source="solver",
        kind=solved.kind,
        asked=list(solution.asked),
        answer=solution.answer,
        steps=_steps(solution),
        conventions=solution.conventions,
        given=solution.given,
        notes=solution.notes,
    )
    if match is not None and match.entry is not None:
        out = out.model_copy(update=_bank_fields(match))
    return out


def _bank_fields(match: BankMatch) -> dict[str, object]:
    entry = match.entry
    assert entry is not None
    return {
        "question_id": entry.id,
        "title": entry.title,
        "answer_markdown": entry.answer_markdown,
        "key_points": [KeyPointBrief(id=k.id, text=k.text, weight=k.weight) for k in entry.key_points],
        "confidence": round(match.confidence, 3),
        "alternatives": [qid for qid, _ in match.alternatives],
    }


def bank_answer_out(match: BankMatch) -> AnswerOut:
    entry = match.entry
    assert entry is not None
    return AnswerOut(
        source="bank",
        kind=entry.kind,
        asked=["answer"],
        answer={"answer": entry.answer_markdown},
        steps=[],
        conventions=[],
        **_bank_fields(match),
    )


def grade_out(grade: Grade, solution: Solution, question_id: str | None = None) -> GradeOut:
    return GradeOut(
        status=grade.status.value,
        score=grade.score,
        correct=grade.correct,
        parts=[
            PartOut(
                name=p.name,
                label=p.label,
                status=p.status.value,
                score=p.score,
                correct=p.correct,
                expected=p.expected,
                given=p.given,
                feedback=p.feedback,
                misconception=p.misconception,
                carried_forward=p.carried_forward,
            )
            for p in grade.parts
        ],
        feedback=grade.feedback,
        needs_review=grade.needs_review,
        misconceptions=grade.misconceptions,
        solution=solution_out(solution),
        kind=solution.kind,
        question_id=question_id,
    )


def _span(span: Span | None) -> SpanOut | None:
    return None if span is None else SpanOut(start=span.start, end=span.end, text=span.text)


_KEY_POINT_STATUS = {Status.COVERED: "correct", Status.PARTLY: "partial", Status.MISSING: "missing"}
_KEY_POINT_FEEDBACK = {
    Status.COVERED: "Covered.",
    Status.PARTLY: "Only partly explained.",
    Status.MISSING: "Missing.",
}


def _key_point_part(point: KeyPointGrade) -> PartOut:
    status = "wrong" if point.contradicted else _KEY_POINT_STATUS[point.status]
    feedback = "The answer contradicts this." if point.contradicted else _KEY_POINT_FEEDBACK[point.status]
    return PartOut(
        name=point.id,
        label=point.text,
        status=status,
        score=CREDIT[point.status],
        correct=point.status is Status.COVERED,
        expected=point.text,
        given=None if point.span is None else point.span.text,
        feedback=feedback,
        misconception=None,
        weight=point.weight,
        evidence=_span(point.span),
    )


def conceptual_grade_out(result: GradeResult, question_id: str | None, model_answer: str) -> GradeOut:
    """A key-point grade in the contract's shape: one part per key point."""
    return GradeOut(
        status="graded",
        score=round(result.score, 4),
        correct=result.correct,
        parts=[_key_point_part(point) for point in result.key_points],
        feedback=result.feedback,
        needs_review=result.needs_review,
        misconceptions=[m.id for m in result.misconceptions],
        solution=SolutionOut(
            kind="conceptual",
            asked=[point.id for point in result.key_points],
            answer={point.id: point.text for point in result.key_points},
            steps=[],
            conventions=[f"Graded key point by key point ({result.backend.value} matching)."],
            answer_markdown=model_answer,
        ),
        kind="conceptual",
        question_id=question_id,
        confidence=round(result.confidence, 3),
        review_reasons=list(result.review_reasons),
        misconceptions_found=[
            MisconceptionFoundOut(
                id=m.id,
                text=m.text,
                feedback=m.feedback,
                evidence=SpanOut(start=m.span.start, end=m.span.end, text=m.span.text),
            )
            for m in result.misconceptions
        ],
    )
