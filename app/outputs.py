"""Turning solver and bank results into the API's schemas."""

from __future__ import annotations

from app.schemas import AnswerOut, GradeOut, KeyPointBrief, PartOut, SolutionOut, StepOut
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


def grade_out(grade: Grade, solution: Solution) -> GradeOut:
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
            )
            for p in grade.parts
        ],
        feedback=grade.feedback,
        needs_review=grade.needs_review,
        misconceptions=grade.misconceptions,
        solution=solution_out(solution),
    )
