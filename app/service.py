"""What the routes call: answer a question, grade a response. No HTTP in here."""

from __future__ import annotations

from functools import lru_cache

from app.schemas import AnswerOut, GradeOut, GradeRequest, PartOut, SolutionOut, StepOut
from solvers.base import Solution
from solvers.errors import NotUnderstood
from solvers.grading import Grade, grade_response
from solvers.route import Solved, solve_question


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


def answer_out(solved: Solved) -> AnswerOut:
    solution = solved.solution
    return AnswerOut(
        source="solver",
        kind=solved.kind,
        asked=list(solution.asked),
        answer=solution.answer,
        steps=_steps(solution),
        conventions=solution.conventions,
        given=solution.given,
        notes=solution.notes,
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


class Examgrader:
    """The service: solvers behind a cache keyed by question text (platforms grade one question many times)."""

    def __init__(self, cache_size: int = 1024) -> None:
        self._solve = lru_cache(maxsize=cache_size)(solve_question)

    def solve(self, question: str) -> Solved:
        return self._solve(question)

    def answer(self, question: str) -> AnswerOut:
        return answer_out(self.solve(question))

    def grade(self, request: GradeRequest) -> GradeOut:
        if request.question is None:
            raise NotUnderstood(f"no question with id {request.question_id!r}")
        solved = self.solve(request.question)
        grade = grade_response(solved.solution, list(solved.variants), request.response)
        return grade_out(grade, solved.solution)
