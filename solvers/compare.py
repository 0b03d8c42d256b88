"""Is a value read from a response the expected one? Tolerances as named constants.

A number is right when it is within the relative tolerance (1 % by default) or when it is the
expected value correctly rounded to what the student wrote, with at least two significant
figures. Proportions accept percentages ("61.5 %", and "61.5" with a note).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from solvers.base import AnswerValue, PartSpec, ValueKind
from solvers.matrix_expr_answers import compare_expressions
from solvers.numbers import Number, format_number
from solvers.responses import Given, Undefined
from solvers.shapes import Shape, format_shape, same_shape

RTOL_DEFAULT = 1e-2
ATOL_DEFAULT = 1e-8
MIN_SIGNIFICANT_FIGURES = 2


@dataclass(frozen=True)
class Match:
    score: float  # 0..1
    note: str = ""

    @property
    def correct(self) -> bool:
        return self.score >= 1.0


WRONG = Match(0.0)
RIGHT = Match(1.0)


def _close(expected: float, given: float, rtol: float) -> bool:
    return abs(given - expected) <= rtol * abs(expected) + ATOL_DEFAULT


def _correctly_rounded(expected: float, given: Number) -> bool:
    if given.decimals is None or given.significant_figures is None:
        return False
    if given.significant_figures < MIN_SIGNIFICANT_FIGURES:
        return False
    return math.isclose(round(expected, given.decimals), given.value, rel_tol=0, abs_tol=1e-12)


def match_number(expected: float | None, given: Number | Undefined, kind: ValueKind, rtol: float) -> Match:
    if expected is None:
        return RIGHT if isinstance(given, Undefined) else WRONG
    if isinstance(given, Undefined) or not given.is_finite:
        return WRONG
    if _close(expected, given.value, rtol) or _correctly_rounded(expected, given):
        return RIGHT
    if kind is ValueKind.FRACTION and not given.percent and 1 < abs(given.value) <= 100:
        as_percent = Number(
            given.value / 100,
            given.text,
            given.significant_figures,
            None if given.decimals is None else given.decimals + 2,
            percent=True,
        )
        if _close(expected, as_percent.value, rtol) or _correctly_rounded(expected, as_percent):
            return Match(1.0, f"{given.text} was read as {given.text} %")
    return WRONG


def _match_entries(expected: list[Any], given: list[Any], rtol: float) -> list[bool]:
    results: list[bool] = []
    for e, g in zip(expected, given, strict=True):
        if isinstance(e, list):
            if not isinstance(g, list) or len(g) != len(e):
                results.extend([False] * len(e))
            else:
                results.extend(_match_entries(e, g, rtol))
        elif isinstance(g, Number):
            results.append(match_number(e, g, ValueKind.SCALAR, rtol).correct)
        else:
            results.append(False)
    return results


def match_vector(expected: list[Any], given: Given, rtol: float) -> Match:
    if not isinstance(given, list):
        return WRONG
    if len(given) != len(expected):
        return Match(0.0, f"expected {len(expected)} entries, got {len(given)}")
    results = _match_entries(expected, given, rtol)
    if all(results):
        return RIGHT
    wrong = [str(i + 1) for i, ok in enumerate(results) if not ok]
    return Match(sum(results) / len(results), f"entries {', '.join(wrong)} are wrong")


def match_shape(expected: list[Any], given: Given) -> Match:
    if not isinstance(given, Shape):
        return WRONG
    if same_shape(expected, given.dims):
        return RIGHT
    if len(expected) == 1 and len(given.dims) == 2 and 1 in given.dims:
        other = given.dims[0] if given.dims[1] == 1 else given.dims[1]
        if same_shape(expected, (other,)):
            return Match(1.0, f"{format_shape(given.dims)} was read as a vector of {other} entries")
    return WRONG


def match_value(spec: PartSpec, expected: AnswerValue, given: Given) -> Match:
    """How well `given` matches `expected` for a part of kind `spec.kind`."""
    rtol = spec.rtol if spec.rtol is not None else RTOL_DEFAULT
    if spec.kind in (ValueKind.SCALAR, ValueKind.FRACTION):
        if not isinstance(given, Number | Undefined) or isinstance(expected, str | list):
            return WRONG
        return match_number(expected, given, spec.kind, rtol)
    if spec.kind is ValueKind.VECTOR:
        return match_vector(expected, given, rtol) if isinstance(expected, list) else WRONG
    if spec.kind is ValueKind.SHAPE:
        return match_shape(expected, given) if isinstance(expected, list) else WRONG
    if spec.kind is ValueKind.EXPRESSION:
        if not isinstance(expected, str) or not isinstance(given, str):
            return WRONG
        comparison = compare_expressions(expected, given, spec.context)
        return RIGHT if comparison.equal else Match(0.0, comparison.note)
    return RIGHT if isinstance(given, str) and str(expected).lower() == given.lower() else WRONG


def same_answer(spec: PartSpec, first: AnswerValue, second: AnswerValue) -> bool:
    """Would a response of `second` be marked right against `first`? (Used to drop coinciding mistakes.)"""
    return match_value(spec, first, as_given(spec, second)).correct


def as_given(spec: PartSpec, value: AnswerValue) -> Given:
    """An expected value dressed as if a student had written it exactly."""
    if spec.kind is ValueKind.SHAPE and isinstance(value, list):
        return Shape(tuple(value))
    if value is None:
        return Undefined()
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return [[_exact(v) for v in row] for row in value]
        return [_exact(v) for v in value]
    if isinstance(value, str):
        return value
    return _exact(value)


def _exact(value: Any) -> Number:
    return Number(float(value), format_number(float(value)), None, None)


def describe(value: AnswerValue, spec: PartSpec) -> str:
    """An expected value as a person reads it."""
    if value is None:
        return "undefined"
    if spec.kind is ValueKind.SHAPE and isinstance(value, list):
        return format_shape(value)
    if isinstance(value, list):
        return "[" + ", ".join(describe(v, spec) for v in value) + "]"
    if isinstance(value, str):
        return value
    return format_number(float(value))
