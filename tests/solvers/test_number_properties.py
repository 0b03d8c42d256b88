"""Numbers: what `format_number` writes, `parse_number` reads back (to the digits written); the
forms of one value agree; any text is a number, not a number, or a project error."""

from __future__ import annotations

import contextlib
import math
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers.errors import ExamgraderError
from solvers.numbers import find_numbers, format_number, parse_number

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_FINITE = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)


@PROPERTY
@given(_FINITE, st.integers(1, 12))
def test_a_formatted_number_reads_back_to_its_digits(value: float, digits: int) -> None:
    number = parse_number(format_number(value, digits))
    assert number is not None
    assert math.isclose(number.value, value, rel_tol=10 ** (1 - digits), abs_tol=1e-300)


@PROPERTY
@given(st.integers(-(10**14), 10**14))
def test_an_integer_is_written_and_read_exactly(value: int) -> None:
    text = format_number(float(value))
    assert text == str(value)
    number = parse_number(text)
    assert number is not None and number.value == value and number.significant_figures is None


def test_nan_is_written_as_undefined_which_is_no_number() -> None:
    assert format_number(math.nan) == "undefined"
    assert parse_number("undefined") is None


@PROPERTY
@given(st.integers(-10_000, 10_000), st.integers(1, 10_000), st.sampled_from(["", " "]))
def test_a_fraction_its_percent_and_its_decimal_agree(numerator: int, denominator: int, space: str) -> None:
    exact = Fraction(numerator, denominator)
    as_fraction = parse_number(f"{numerator}{space}/{space}{denominator}")
    as_percent = parse_number(f"{float(exact * 100)!r}{space}%")
    as_decimal = parse_number(repr(float(exact)))
    assert as_fraction is not None and as_percent is not None and as_decimal is not None
    assert as_fraction.fraction and as_percent.percent
    for number in (as_fraction, as_percent):
        assert math.isclose(number.value, as_decimal.value, rel_tol=1e-12, abs_tol=1e-15)


@PROPERTY
@given(st.decimals(-1000, 1000, places=4, allow_nan=False, allow_infinity=False), st.integers(-30, 30))
def test_scientific_notation_agrees_with_the_decimal(mantissa, exponent) -> None:  # type: ignore[no-untyped-def]
    expected = float(Fraction(mantissa) * Fraction(10) ** exponent)
    for text in (f"{mantissa}e{exponent}", f"{mantissa} × 10^{exponent}", f"{mantissa}*10^{{{exponent}}}"):
        number = parse_number(text)
        assert number is not None, text
        assert number.value == expected, text


_NUMBERISH = st.lists(
    st.sampled_from([*"0123456789.,-+eE%/ x×*^{}", "10^", "1e999", "9" * 60, "nan", "inf", "½"]), max_size=30
).map("".join)


@PROPERTY
@given(_NUMBERISH | st.text(max_size=80))
def test_any_text_is_a_number_or_not_or_a_project_error(text: str) -> None:
    with contextlib.suppress(ExamgraderError):
        number = parse_number(text)
        assert number is None or number.text == text.strip()
    with contextlib.suppress(ExamgraderError):
        for number, start, end in find_numbers(text):
            again = parse_number(text[start:end])
            assert again is not None and (again.value == number.value or math.isnan(number.value))


@PROPERTY
@given(_NUMBERISH)
def test_reading_a_number_is_deterministic(text: str) -> None:
    def outcome() -> str:
        try:
            return repr(parse_number(text))
        except ExamgraderError as error:
            return f"{type(error).__name__}: {error.message}"

    assert outcome() == outcome()
