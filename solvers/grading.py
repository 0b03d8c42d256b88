"""Grading a response against a solution, part by part, naming the mistake a wrong value matches.

Mistakes are not hand-typed: each `Variant` is the solver re-run with a known wrong step. A wrong
value that equals a variant's value (and differs from the right one) is diagnosed as that
mistake. An accepted variant (another common convention) earns full credit, with a note; so does
a later part worked out correctly from the student's own wrong earlier parts (`solvers.carried_forward`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from solvers.base import AnswerValue, PartSpec, Solution, ValueKind, Variant
from solvers.carried_forward import carried_forward_feedback
from solvers.compare import RTOL_DEFAULT, Match, describe, match_value, same_answer
from solvers.numbers import Number
from solvers.responses import Given, ReadPart, Undefined, read_response
from solvers.shapes import Shape


class PartStatus(StrEnum):
    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    MISSING = "missing"
    UNREADABLE = "unreadable"


class GradeStatus(StrEnum):
    GRADED = "graded"
    UNREADABLE = "unreadable"  # a format error: score withheld, the student should resubmit


@dataclass
class PartGrade:
    name: str
    label: str
    status: PartStatus
    score: float | None
    expected: AnswerValue
    given: str | None
    feedback: str
    misconception: str | None = None
    carried_forward: bool = False  # credited as following from the student's own wrong earlier parts

    @property
    def correct(self) -> bool:
        return self.status is PartStatus.CORRECT


@dataclass
class Grade:
    status: GradeStatus
    score: float | None
    parts: list[PartGrade]
    feedback: str
    needs_review: bool = False
    misconceptions: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return self.status is GradeStatus.GRADED and all(p.correct for p in self.parts)


def show_given(value: Given) -> str:
    """A value read from a response, as the student would recognise it."""
    if isinstance(value, Number):
        return value.text
    if isinstance(value, Undefined):
        return "undefined"
    if isinstance(value, Shape):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(show_given(v) for v in value) + "]"
    return value


def _diagnose(spec: PartSpec, expected: AnswerValue, given: Given, variants: list[Variant]) -> Variant | None:
    """The first known mistake whose value for this part the response matches."""
    for variant in variants:
        if spec.name not in variant.answer:
            continue
        wrong_value = variant.answer[spec.name]
        if same_answer(spec, expected, wrong_value):
            continue  # this mistake gives the right number here: it cannot be told apart
        if match_value(spec, wrong_value, given).correct:
            return variant
    return None


def _near_miss(spec: PartSpec, expected: AnswerValue, given: Given) -> str:
    if spec.kind not in (ValueKind.SCALAR, ValueKind.FRACTION) or not isinstance(given, Number):
        return ""
    if not isinstance(expected, int | float) or expected == 0:
        return ""
    if abs(given.value - expected) <= 5 * RTOL_DEFAULT * abs(expected):
        return " It is close: check your rounding (keep at least three significant figures)."
    return ""


def grade_part(
    spec: PartSpec, expected: AnswerValue, read: ReadPart | None, variants: list[Variant]
) -> PartGrade:
    """One asked part: correct, partly correct, a named mistake, wrong, missing or unreadable."""
    expected_text = describe(expected, spec)

    def result(status: PartStatus, score: float | None, feedback: str, code: str | None = None) -> PartGrade:
        given = None if read is None else (read.text if read.value is None else show_given(read.value))
        return PartGrade(spec.name, spec.label, status, score, expected, given, feedback, code)

    if read is None:
        return result(PartStatus.MISSING, 0.0, f"{spec.label} was not answered; it is {expected_text}.")
    if read.error is not None or read.value is None:
        message = read.error.message if read.error is not None else "could not be read"
        return result(PartStatus.UNREADABLE, None, f"{spec.label} could not be read: {message}.")
    match: Match = match_value(spec, expected, read.value)
    if match.correct:
        extra = f" ({match.note})" if match.note else ""
        return result(PartStatus.CORRECT, 1.0, f"{spec.label} is correct{extra}.")
    accepted = [v for v in variants if v.accepted]
    convention = _diagnose(spec, expected, read.value, accepted)
    if convention is not None:
        return result(
            PartStatus.CORRECT,
            1.0,
            f"{spec.label} is correct under another convention: {convention.feedback}",
        )
    mistake = _diagnose(spec, expected, read.value, [v for v in variants if not v.accepted])
    if mistake is not None:
        return result(
            PartStatus.WRONG,
            0.0,
            f"{spec.label}: {mistake.feedback} The right value is {expected_text}.",
            mistake.code,
        )
    if 0 < match.score < 1:
        return result(
            PartStatus.PARTIAL,
            match.score,
            f"{spec.label} is partly right ({match.note}); it is {expected_text}.",
        )
    detail = f" ({match.note})" if match.note else ""
    hint = _near_miss(spec, expected, read.value)
    return result(PartStatus.WRONG, 0.0, f"{spec.label} should be {expected_text}{detail}.{hint}")


def _carry_forward(part: PartGrade, solution: Solution, read: dict[str, ReadPart]) -> PartGrade:
    """A wrong part worked out correctly from the student's own wrong inputs gets its credit."""
    if part.status not in (PartStatus.WRONG, PartStatus.PARTIAL):
        return part
    feedback = carried_forward_feedback(solution, part.name, read)
    if feedback is None:
        return part
    return replace(
        part,
        status=PartStatus.CORRECT,
        score=1.0,
        feedback=feedback,
        misconception=None,
        carried_forward=True,
    )


def _summary(parts: list[PartGrade], status: GradeStatus) -> str:
    if status is GradeStatus.UNREADABLE:
        unreadable = [p.label for p in parts if p.status is PartStatus.UNREADABLE]
        return f"Could not read {', '.join(unreadable)}: nothing was graded. Fix the format and submit again."
    right = sum(p.correct for p in parts)
    if right == len(parts):
        return "All parts are correct." if len(parts) > 1 else "Correct."
    named = [p for p in parts if p.misconception]
    head = f"{right} of {len(parts)} parts correct."
    carried = [p.label for p in parts if p.carried_forward]
    if carried:
        head += f" Carried forward from your earlier values: {', '.join(carried)}."
    by_code: dict[str, list[PartGrade]] = {}
    for part in named:
        by_code.setdefault(part.misconception or "", []).append(part)
    for first, *others in by_code.values():  # a mistake explained once, however many parts it touches
        head += " " + first.feedback
        if others:
            head += f" The same mistake affects {', '.join(p.label for p in others)}."
    return head


def grade_response(solution: Solution, variants: list[Variant], response: str | dict[str, Any]) -> Grade:
    """Grade `response` against every part `solution` asks for."""
    read = read_response(response, solution)
    parts = [
        _carry_forward(
            grade_part(solution.spec(name), solution.answer[name], read.get(name), variants), solution, read
        )
        for name in solution.asked
    ]
    unreadable = any(p.status is PartStatus.UNREADABLE for p in parts)
    status = GradeStatus.UNREADABLE if unreadable else GradeStatus.GRADED
    score = None if unreadable else sum(p.score or 0.0 for p in parts) / len(parts)
    assumed = any(r.note for r in read.values())
    return Grade(
        status=status,
        score=score,
        parts=parts,
        feedback=_summary(parts, status),
        needs_review=assumed,
        misconceptions=list(dict.fromkeys(p.misconception for p in parts if p.misconception)),
    )
