"""Reading one written number: decimals, exponents, percentages, fractions, with their precision.

A grammar of our own (regular expressions and `fractions.Fraction`), never `eval`. A `Number`
remembers how it was written, so a grader can tell "0.62" (two significant figures, rounded)
from "0.6" (one) and "62 %" from "0.62".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from solvers.errors import InputTooLarge
from solvers.limits import MAX_DIGITS

DECIMAL = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
EXPONENT = r"(?:[eE][-+]?\d{1,3}|\s*[×x*·]\s*10\s*\^\s*\{?\s*[-+]?\d{1,3}\s*\}?)"
NUMBER_PATTERN = rf"{DECIMAL}{EXPONENT}?(?:\s*/\s*{DECIMAL})?(?:\s*%)?"
NUMBER = re.compile(rf"(?<![\w.]){NUMBER_PATTERN}(?!\w|\.\d)")
_FULL = re.compile(rf"^(?P<num>{DECIMAL})(?P<exp>{EXPONENT})?(?:\s*/\s*(?P<den>{DECIMAL}))?(?P<pct>\s*%)?$")
_EXP_DIGITS = re.compile(r"[-+]?\d+")
MAX_EXPONENT = 400


@dataclass(frozen=True)
class Number:
    """A number as written: its value, and how precisely and in what form it was given."""

    value: float
    text: str
    significant_figures: int | None  # None: exact (a fraction or an integer count)
    decimals: int | None  # decimal places of the value (after percent and exponent scaling)
    percent: bool = False
    fraction: bool = False

    @property
    def is_finite(self) -> bool:
        return math.isfinite(self.value)


def _check_digits(text: str) -> None:
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS:
        raise InputTooLarge(f"a number has {digits} digits; at most {MAX_DIGITS} are read")


def _to_float(value: Fraction) -> float:
    try:
        return float(value)
    except OverflowError:
        raise InputTooLarge("a number is too large to represent") from None


def _significant_figures(mantissa: str) -> int:
    digits = mantissa.lstrip("+-").replace(".", "")
    stripped = digits.lstrip("0")
    if "." not in mantissa:
        stripped = stripped.rstrip("0") or stripped
    return max(len(stripped), 1)


def _decimals(mantissa: str) -> int:
    return len(mantissa.split(".", 1)[1]) if "." in mantissa else 0


def parse_number(text: str) -> Number | None:
    """Read `text` as one number, or return None when it is not one.

    >>> parse_number("61.5 %").value
    0.615
    """
    cleaned = text.strip().replace(" ", "") if len(text) < 200 else text.strip()
    _check_digits(cleaned)
    match = _FULL.match(cleaned)
    if match is None:
        return None
    mantissa = match.group("num")
    exponent = 0
    if match.group("exp"):
        found = _EXP_DIGITS.findall(match.group("exp"))
        exponent = int(found[-1])
    if abs(exponent) > MAX_EXPONENT:
        raise InputTooLarge(f"the exponent {exponent} is out of range; at most ±{MAX_EXPONENT} is read")
    percent = match.group("pct") is not None
    shift = exponent - (2 if percent else 0)
    denominator = match.group("den")
    if denominator is not None:
        try:
            ratio = Fraction(mantissa) / Fraction(denominator)
        except ZeroDivisionError:
            return Number(math.nan, text.strip(), None, None, percent=percent, fraction=True)
        scaled = _to_float(ratio * Fraction(10) ** shift)
        return Number(scaled, text.strip(), None, None, percent=percent, fraction=True)
    # float() of a decimal string is correctly rounded; Fraction only when scaling by a power of ten
    value = float(mantissa) if shift == 0 else _to_float(Fraction(mantissa) * Fraction(10) ** shift)
    exact_integer = "." not in mantissa and exponent == 0 and not percent
    sig = None if exact_integer else _significant_figures(mantissa)
    decimals = None if exact_integer else max(_decimals(mantissa) - shift, 0)
    return Number(value, text.strip(), sig, decimals, percent=percent)


def find_numbers(text: str) -> list[tuple[Number, int, int]]:
    """Every number in running text, with its start and end offsets."""
    found: list[tuple[Number, int, int]] = []
    for match in NUMBER.finditer(text):
        number = parse_number(match.group(0))
        if number is not None:
            found.append((number, match.start(), match.end()))
    return found


def format_number(value: float, digits: int = 4) -> str:
    """A short, readable rendering: `0.6154`, `2`, `1e-08`."""
    if math.isnan(value):
        return "undefined"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}"
