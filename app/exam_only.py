"""Exam-only bank entries: their model answer and key points reach only a key with the read scope.

Grading them still works for anyone allowed to grade; the grade then keeps the scores, statuses
and the learner's own words, and drops everything that states the answer.
"""

from __future__ import annotations

from app.auth_errors import Forbidden
from app.schemas import GradeOut, PartOut, SolutionOut

NOTE = "This is an exam question: its model answer and key points are not shown."
_STATUS_FEEDBACK = {
    "correct": "Correct.",
    "partial": "Partly correct.",
    "wrong": "Not correct.",
    "missing": "Missing.",
}


def refusal(question_id: str) -> Forbidden:
    return Forbidden(
        f"question {question_id!r} is exam-only: its model answer is shown only to an API key with the read scope"
    )


def export_refusal() -> Forbidden:
    return Forbidden("the bank holds exam-only questions: exporting it needs an API key with the read scope")


def _part(part: PartOut, index: int, conceptual: bool) -> PartOut:
    name, label = (f"point-{index}", f"Key point {index}") if conceptual else (part.name, part.label)
    feedback = part.feedback if part.status == "unreadable" else _STATUS_FEEDBACK[part.status]
    return part.model_copy(update={"name": name, "label": label, "expected": None, "feedback": feedback})


def _summary(parts: list[PartOut]) -> str:
    counts = {status: sum(p.status == status for p in parts) for status in _STATUS_FEEDBACK}
    told = ", ".join(f"{counts[s]} {s}" for s in _STATUS_FEEDBACK if counts[s])
    return f"{len(parts)} part{'s' if len(parts) != 1 else ''}: {told}." if told else ""


def redact_grade(grade: GradeOut) -> GradeOut:
    """The grade of an exam-only question without the answer, for callers who may not read it."""
    conceptual = grade.kind == "conceptual"
    parts = [_part(part, index, conceptual) for index, part in enumerate(grade.parts, start=1)]
    solution = SolutionOut(
        kind=grade.solution.kind,
        asked=[part.name for part in parts],
        answer={},
        steps=[],
        conventions=[] if conceptual else grade.solution.conventions,
    )
    feedback = (
        grade.feedback if grade.status == "unreadable" else " ".join(filter(None, [_summary(parts), NOTE]))
    )
    return grade.model_copy(
        update={"parts": parts, "solution": solution, "feedback": feedback, "misconceptions_found": []}
    )
