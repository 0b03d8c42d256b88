"""Error carried forward: a later part worked out correctly from the student's own wrong earlier values.

A solution's `derived` says how a part follows from other asked parts. A wrong part earns full
credit, with a note, when (1) at least one of its inputs was answered wrongly, (2) recomputing the
part from the student's own input values matches the student's value within the usual tolerance,
(3) that recomputed value is not the right answer, and (4) it cannot be told apart from a copy of
one of the inputs (the same wrong number everywhere proves no working).
"""

from __future__ import annotations

import math

from solvers.base import AnswerValue, Derivation, Solution, ValueKind
from solvers.compare import describe, match_value, same_answer
from solvers.numbers import Number
from solvers.responses import Given, ReadPart, Undefined
from solvers.shapes import Shape


def plain_value(given: Given, kind: ValueKind) -> AnswerValue:
    """A value read from a response as `Solution.answer` holds it: "61.5" for a fraction is 0.615."""
    if isinstance(given, Number):
        if kind is ValueKind.FRACTION and not given.percent and 1 < abs(given.value) <= 100:
            return given.value / 100
        return given.value
    if isinstance(given, Undefined):
        return None
    if isinstance(given, Shape):
        return list(given.dims)
    if isinstance(given, list):
        return [plain_value(item, ValueKind.SCALAR) for item in given]
    return given


def _finite(value: AnswerValue) -> bool:
    """A number or list of numbers, none of them infinite or NaN (a word or a shape passes too)."""
    if value is None:
        return False
    if isinstance(value, list):
        return all(_finite(item) for item in value)
    return not isinstance(value, float) or math.isfinite(value)


def _readable(read: ReadPart | None) -> Given | None:
    return None if read is None or read.error is not None else read.value


def _label_in_text(label: str) -> str:
    """`Precision` → `precision`; `MCC`, `F1` stay as written."""
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def carried_value(
    solution: Solution, name: str, derivation: Derivation, read: dict[str, ReadPart]
) -> tuple[AnswerValue, list[str]] | None:
    """The part recomputed from the student's inputs and the inputs that were wrong; None: nothing to carry."""
    if not all(i in solution.asked for i in derivation.inputs):
        return None
    givens: dict[str, Given] = {}
    for i in derivation.inputs:
        given = _readable(read.get(i))
        if given is None or isinstance(given, Undefined):
            return None
        givens[i] = given
    wrong = [i for i, g in givens.items() if not match_value(solution.spec(i), solution.answer[i], g).correct]
    if not wrong:
        return None  # right inputs: a wrong later part is simply wrong
    values = {i: plain_value(g, solution.spec(i).kind) for i, g in givens.items()}
    try:
        recomputed = derivation.compute(values)
    except (ArithmeticError, ValueError):
        return None
    spec = solution.spec(name)
    if not _finite(recomputed) or same_answer(spec, solution.answer[name], recomputed):
        return None
    if any(same_answer(spec, recomputed, value) for value in values.values()):
        return None  # indistinguishable from copying an earlier value
    return recomputed, wrong


def carried_forward_feedback(solution: Solution, name: str, read: dict[str, ReadPart]) -> str | None:
    """Feedback crediting part `name` as carried forward, or None when it does not follow from the inputs."""
    derivation = solution.derived.get(name)
    given = _readable(read.get(name))
    if derivation is None or given is None:
        return None
    carried = carried_value(solution, name, derivation, read)
    spec = solution.spec(name)
    if carried is None or not match_value(spec, carried[0], given).correct:
        return None
    inputs = _joined([_label_in_text(solution.spec(i).label) for i in carried[1]])
    return (
        f"{spec.label} is consistent with your {inputs} (carried forward); with the right values "
        f"it is {describe(solution.answer[name], spec)}."
    )
