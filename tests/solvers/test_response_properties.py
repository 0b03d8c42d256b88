"""Invariants of the response reader, checked on generated input."""

import contextlib
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from solvers.errors import ExamgraderError
from solvers.grading import grade_response
from solvers.numbers import parse_number
from solvers.responses import read_response
from tests.solvers.fakes import METRIC_VARIANTS, metrics_solution, shape_solution, vector_solution

SOLUTIONS = [metrics_solution(), metrics_solution(asked=("f1",)), vector_solution(), shape_solution()]
ALPHABET = st.sampled_from(
    [*list("0123456789.,;:=%/[]() -+eExX×nm\n\t"), "precision", "recall", "f1", "∞", "\u202e"]
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(min_size=0, max_size=200), which=st.integers(0, len(SOLUTIONS) - 1))
def test_any_text_raises_only_our_errors(text, which):
    with contextlib.suppress(ExamgraderError):
        grade_response(SOLUTIONS[which], METRIC_VARIANTS, text)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(ALPHABET, max_size=60), which=st.integers(0, len(SOLUTIONS) - 1))
def test_number_like_text_raises_only_our_errors(pieces, which):
    with contextlib.suppress(ExamgraderError):
        grade_response(SOLUTIONS[which], METRIC_VARIANTS, "".join(pieces))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=120))
def test_reading_is_deterministic(text):
    def outcome():
        try:
            return repr(read_response(text, metrics_solution()))
        except ExamgraderError as error:
            return f"error: {error.message}"

    assert outcome() == outcome()


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_formatted_floats_round_trip(value):
    for text in (repr(value), f"{value:.6e}", f"{value:.3f}"):
        number = parse_number(text)
        assert number is not None
        assert number.value == float(text)


@given(st.integers(1, 10_000), st.integers(1, 10_000))
def test_fraction_percent_and_decimal_agree(numerator, denominator):
    exact = Fraction(numerator, denominator)
    as_fraction = parse_number(f"{numerator}/{denominator}")
    as_percent = parse_number(f"{float(exact) * 100!r}%")
    as_decimal = parse_number(repr(float(exact)))
    assert as_fraction is not None and as_percent is not None and as_decimal is not None
    assert abs(as_fraction.value - as_decimal.value) <= 1e-12 * max(1, abs(as_decimal.value))
    assert abs(as_percent.value - as_decimal.value) <= 1e-12 * max(1, abs(as_decimal.value))


def test_the_three_forms_of_f1_grade_alike():
    f1 = metrics_solution(asked=("f1",))
    scores = {r: grade_response(f1, METRIC_VARIANTS, r).score for r in ("0.615", "61.5 %", "8/13")}
    assert scores == {"0.615": 1.0, "61.5 %": 1.0, "8/13": 1.0}
