"""Reading named values in exam prose: `learning rate η = 0.1`, `β1 = 0.9`, `w_0 = [1, -2]`.

Shared by the optimisation kinds (optimizer steps, regularisation, clipping, vanishing gradients).
`prepare` finishes the clean-up `solvers.normalize` leaves to the solver: Greek letters still in
LaTeX (`\\mu`, `\\rho`), `10^{-8}` without a mantissa, `\\frac{1}{2}`, `\\|w\\|`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.extract import Array, find_arrays
from solvers.numbers import NUMBER_PATTERN, parse_number

Value = float | list[float] | list[list[float]]

_GREEK = {
    "mu": "μ",
    "rho": "ρ",
    "gamma": "γ",
    "delta": "δ",
    "tau": "τ",
    "kappa": "κ",
    "omega": "ω",
    "nu": "ν",
    "Delta": "Δ",
    "phi": "φ",
    "Omega": "Ω",
    "infty": "∞",
}
_LATEX_GREEK = re.compile(r"\\(" + "|".join(_GREEK) + r")(?![A-Za-z])")
_BARE_POWER = re.compile(r"(?<![\d.×*·eE])\b10\s*\^\s*\{?\s*([-+]?\d{1,3})\s*\}?")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_NORM_BARS = re.compile(r"\\\|")
_COMBINING_HAT = re.compile(r"([A-Za-z])\u0302")


_ENUMERATOR = re.compile(r"^\s*#*\s*(?:Q(?:uestion)?\s*)?\d{1,3}\s*[.):]\s*(?=[A-Za-z])")


def prepare(text: str) -> str:
    """The extra clean-up the optimisation readers rely on (normalised text in, text out)."""
    text = _ENUMERATOR.sub("", text)  # "5.Explain …": the question's number is not data
    text = _LATEX_GREEK.sub(lambda m: _GREEK[m.group(1)], text)
    text = _BARE_POWER.sub(lambda m: f"1e{m.group(1)}", text)
    for _ in range(3):  # nested fractions, innermost first
        text = _FRAC.sub(r"(\1)/(\2)", text)
    text = _SQRT.sub(r"sqrt(\1)", text)
    text = _NORM_BARS.sub("||", text)
    text = _COMBINING_HAT.sub(r"\1_hat", text)  # m̂ → m_hat
    text = re.sub(r"\\(?:tanh|sigma|operatorname|mathrm)\b", lambda m: m.group(0)[1:], text)
    return text


@dataclass(frozen=True)
class Found:
    """A value that follows a name: a number, a vector or a matrix."""

    value: Value
    start: int  # where the name starts
    end: int  # where the value ends
    text: str  # the name as written

    @property
    def is_array(self) -> bool:
        return isinstance(self.value, list)

    @property
    def scalar(self) -> float | None:
        return self.value if isinstance(self.value, float) else None


# What may stand between a name and its value: "learning rate (η) of", "momentum coefficient β =".
_LINK_WORDS = (
    r"is|of|are|was|be|equals?|equal\s+to|set\s+to|given\s+by|about|value|values|coefficient|"
    r"parameter|hyperparameter|factor|term|rate|constant|vector|initiali[sz]ed\s+(?:at|to)|starts?\s+at"
)


def link(symbols: str = "") -> str:
    """What may stand between a name and its value; `symbols` may also stand there before `=`."""
    symbol = rf"|(?:{symbols})\s*(?=[=:])" if symbols else ""
    return rf"(?:\s*(?:\([^()\d]{{0,25}}\)|[=:≈|]|(?:{_LINK_WORDS})\b{symbol}))*\s*"


LINK = link()
_FORMULA_AFTER = re.compile(r"\s*(?:[·*×]|[A-Za-zα-ω∇]{1,2}\s*[\[(_^{])")
_NUMBER_AT = re.compile(rf"\s*({NUMBER_PATTERN})(?!\w|\.\d)")


def find_named(text: str, names: str, arrays: list[Array] | None = None, between: str = LINK) -> list[Found]:
    """Every value that follows one of `names` (a regex alternation), in order of appearance."""
    arrays = find_arrays(text) if arrays is None else arrays
    by_start = {a.start: a for a in arrays}
    pattern = re.compile(rf"(?<![\w])(?:{names})(?![\w])({between})(?=[-+]?\.?\d|\[|\(|\\begin)", re.I)
    found: list[Found] = []
    for match in pattern.finditer(text):
        end = match.end()
        if not match.group(1) and text[end : end + 1] in "-+":
            continue  # `θ_{t-1}`: a sign glued to a name is not a value
        array = by_start.get(end)
        if array is not None:
            found.append(Found(array.values, match.start(), array.end, match.group(0)))
            continue
        number = _NUMBER_AT.match(text, end)
        if number is None or _FORMULA_AFTER.match(text, number.end()):
            continue  # `ρ = 0.9 s_{t-1} + …` is a formula, not a value
        parsed = parse_number(number.group(1))
        if parsed is not None and parsed.is_finite:
            found.append(Found(parsed.value, match.start(), number.end(), match.group(0)))
    return found


def first_named(
    text: str, names: str, arrays: list[Array] | None = None, between: str = LINK
) -> Found | None:
    hits = find_named(text, names, arrays, between)
    return hits[0] if hits else None


def scalar_named(
    text: str, names: str, arrays: list[Array] | None = None, between: str = LINK
) -> float | None:
    """The first plain number that follows one of `names`."""
    for hit in find_named(text, names, arrays, between):
        if hit.scalar is not None:
            return hit.scalar
    return None


_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
WORD_NUMBER = r"\d{1,4}|" + "|".join(_WORD_NUMBERS)
ORDINAL = r"\d{1,3}(?:st|nd|rd|th)|" + "|".join(_ORDINALS)


def word_number(word: str) -> int | None:
    """`"3"`, `"three"`, `"a"` → the count; None when it is not one."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _WORD_NUMBERS.get(word)


def ordinal_number(word: str) -> int | None:
    """`"third"`, `"3rd"` → 3."""
    word = word.lower()
    digits = re.match(r"(\d+)(?:st|nd|rd|th)$", word)
    if digits:
        return int(digits.group(1))
    return _ORDINALS.get(word)


def count_of(text: str, nouns: str) -> int | None:
    """`two steps`, `3 iterations`, `a single update`, `first three iterations` → the count."""
    pattern = re.compile(
        rf"(?<![.\d^])(?<![eE^][-+])(?<!\d[eE])\b(?:(?:the\s+)?first\s+)?({WORD_NUMBER})\s+(?:(?:more|full|consecutive|successive|gradient|"
        rf"optimi[sz]ation|update|training|further)\s+)*(?:{nouns})\b",
        re.IGNORECASE,
    )
    counts = [c for m in pattern.finditer(text) if (c := word_number(m.group(1))) is not None]
    return max(counts) if counts else None
