"""Turning solver and bank results into the API's schemas."""

from __future__ import annotations

from question_bank.match import BankMatch

from app.schemas import AnswerOut, GradeOut, KeyPointBrief, PartOut, SolutionOut, StepOut
from question_bank.loader import QuestionBank
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


def answer_out(solved: Solved, question_id: str | None = None) -> AnswerOut:
    solution = solved.solution
    return AnswerOut(
        source="solver",
        kind=solved.kind,
        question_id=question_id,
        asked=list(solution.asked),
        answer=solution.answer,
        steps=_steps(solution),
        conventions=solution.conventions,
        given=solution.given,
        notes=solution.notes,
    )


def bank_answer_out(match: BankMatch, bank: QuestionBank) -> AnswerOut:
    entry = match.entry
    assert entry is not None
    return AnswerOut(
        source="bank",
        kind=entry.kind,
        question_id=entry.id,
        title=entry.title,
        asked=["answer"],
        answer={"answer": entry.answer_markdown},
        steps=[],
        conventions=[],
        answer_markdown=entry.answer_markdown,
        key_points=[KeyPointBrief(id=k.id, text=k.text, weight=k.weight) for k in entry.key_points],
        confidence=round(match.confidence, 3),
        alternatives=[qid for qid, _ in match.alternatives if qid in bank],
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
