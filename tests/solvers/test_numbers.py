import math

import pytest

from solvers.errors import InputTooLarge
from solvers.numbers import find_numbers, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "value", "sig", "decimals", "percent"),
    [
        ("0.615", 0.615, 3, 3, False),
        ("61.5 %", 0.615, 3, 3, True),
        ("61.5%", 0.615, 3, 3, True),
        ("6.15e-1", 0.615, 3, 3, False),
        ("6.15 × 10^-1", 0.615, 3, 3, False),
        ("0.62", 0.62, 2, 2, False),
        ("80", 80.0, None, None, False),
        ("-3", -3.0, None, None, False),
        (".5", 0.5, 1, 1, False),
        ("2.0", 2.0, 2, 1, False),
    ],
)
def test_parse_number_keeps_how_it_was_written(text, value, sig, decimals, percent):
    number = parse_number(text)
    assert number is not None
    assert number.value == pytest.approx(value)
    assert (number.significant_figures, number.decimals, number.percent) == (sig, decimals, percent)


def test_fractions_are_exact():
    number = parse_number("8/13")
    assert number is not None
    assert number.value == pytest.approx(8 / 13)
    assert number.fraction and number.significant_figures is None


def test_zero_denominator_is_nan_not_an_error():
    number = parse_number("1/0")
    assert number is not None and math.isnan(number.value)


@pytest.mark.parametrize("text", ["abc", "", "1.2.3", "--5", "0x10"])
def test_non_numbers_are_none(text):
    assert parse_number(text) is None


def test_too_many_digits_is_refused():
    with pytest.raises(InputTooLarge, match="a number has 60 digits; at most 50 are read"):
        parse_number("1" * 60)


def test_huge_exponent_is_refused():
    with pytest.raises(InputTooLarge, match="the exponent 999 is out of range; at most ±400 is read"):
        parse_number("1e999")


def test_find_numbers_in_prose():
    found = [n.value for n, _, _ in find_numbers("TP=80, F1 is 8/13 and recall 50%")]
    assert found == pytest.approx([80, 8 / 13, 0.5])


@pytest.mark.parametrize(("value", "text"), [(2.0, "2"), (0.6153846, "0.6154"), (float("nan"), "undefined")])
def test_format_number(value, text):
    assert format_number(value) == text
