"""Named quantities in question text: `TP = 80`, `TP: 80`, `80 (TP)`, `80 true positives`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from solvers.errors import InvalidQuestion
from solvers.numbers import NUMBER_PATTERN, Number, parse_number


class Written(IntEnum):
    """How a named quantity is written, the most explicit first."""

    NAME_FIRST = 0  # `TP = 80`, `TP: 80`, `TP (true positives) is 80`
    NAME_IN_BRACKETS = 1  # `80 (TP)`
    NAME_AFTER = 2  # `80 true positives`, `80 cases were true positives`


@dataclass(frozen=True)
class Quantity:
    number: Number
    start: int  # where the number is written
    end: int
    written: Written


_LINKS = r"=|:|≈|\bis\b|\bwas\b|\bwere\b|\bare\b|\bof\b|\bequals?\b|\bequal\s+to\b|\bset\s+to\b|\bcounts?\b"
_FILLERS = (
    r"were|are|was|is|correctly|incorrectly|wrongly|cases?|samples?|examples?|instances?|items?"
    r"|predictions?|of|them|the"
)
_VALUE = rf"(?P<v>{NUMBER_PATTERN})(?<!\.)(?!\w|\.\d)"
_TERM_AFTER = r"(?!\s*[+\-*/]\s*(?:[A-Za-z(]|\d))"  # `TP + FP = 160`: TP is a term of a sum


_EXPRESSION_AFTER = re.compile(r"\s*(?:\*\*|\^|!)")  # `TP = 9**9`, `2^10`, `20!`: a formula, not a value


def _check_not_expression(text: str, match: re.Match[str]) -> None:
    if _EXPRESSION_AFTER.match(text, match.end("v")):
        written = text[match.start() : min(match.end("v") + 20, len(text))].split("\n")[0]
        raise InvalidQuestion(
            f"{written!r} is a formula where a value is expected; write the value as a number"
        )


def _after_operator(text: str, start: int) -> bool:
    """The name at `start` follows an arithmetic sign (`TP + FP = 160`), not a bullet (`- TP: 80`)."""
    before = text[text.rfind("\n", 0, start) + 1 : start].rstrip()
    return bool(before) and before[-1] in "+-*/" and bool(before[:-1].strip())


def find_quantities(text: str, names: str, strict: bool = False) -> list[Quantity]:
    """Every value given a name: `TP = 80`, `TP: 80`, `80 (TP)`, `80 true positives`, in text order.

    `names` is a regular-expression alternation (`true positives?|TP`). A name inside a sum
    (`TP + FP = 160`) names nothing. `strict` reads only `name = value` with a sign or a linking
    word between them, for names that are short or common words (`n`, `total`).
    """
    links = "{1,2}" if strict else "{0,2}"
    patterns = {
        Written.NAME_FIRST: rf"(?<![\w])(?P<n>{names})(?![\w]){_TERM_AFTER}\s*(?:\([^()]{{0,30}}\)\s*)?"
        rf"(?:(?:{_LINKS})\s*){links}{_VALUE}",
        Written.NAME_IN_BRACKETS: rf"(?<![\w.]){_VALUE}\s*\(\s*(?:{names})\s*\)",
        Written.NAME_AFTER: rf"(?<![\w.]){_VALUE}\s+(?:(?:{_FILLERS})\s+){{0,3}}(?:{names})(?![\w])",
    }
    found: list[Quantity] = []
    for written, pattern in patterns.items():
        if strict and written != Written.NAME_FIRST:
            continue
        for match in re.finditer(pattern, text, re.IGNORECASE):
            _check_not_expression(text, match)
            number = parse_number(match["v"])
            if number is None or ("n" in match.groupdict() and _after_operator(text, match.start("n"))):
                continue
            found.append(Quantity(number, match.start("v"), match.end("v"), written))
    return sorted(found, key=lambda q: q.start)
