"""Counts a question names (`TP = 80`, `actual positives = 100`) and the linear system they form.

A `Fact` says that some cells add up to a count: `TP = 80` is {tp} = 80, "100 sick patients" is
{tp, fn} = 100. `solve_facts` finds the cells the facts determine. A `Reading` is the four counts
however they were found (facts, a table, label lists), with the conventions it took.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from solvers.confusion_phrases import NEG_WORD, POS_WORD
from solvers.errors import NotUnderstood
from solvers.numbers import Number, parse_number
from solvers.quantities import Written, find_quantities

CELLS = ("tp", "fp", "fn", "tn")
ALL = frozenset(CELLS)
Counts = dict[str, Fraction | None]

COUNT = r"-?\d+(?:\.\d+)?"  # a count or a class label as written in a story or a list


@dataclass(frozen=True)
class Fact:
    """The cells in `cells` add up to `value` (one cell for a named count)."""

    cells: frozenset[str]
    value: Fraction
    source: str
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Reading:
    """The four counts and how they were read."""

    counts: Counts
    orientation: str  # "rows_predicted" | "rows_actual" | "counts" | "labels"
    positive_class: str
    conventions: tuple[str, ...]
    description: str
    orientation_assumed: bool = False
    positive_assumed: bool = False
    told_in_words: bool = False  # read from a story rather than from named counts or a table


def exact(written: str) -> Fraction:
    """A plain number as written, exactly (`0.1` is 1/10); the digit limit is `parse_number`'s."""
    if parse_number(written.rstrip(".")) is None:
        raise NotUnderstood(f"could not read the number “{written}”")
    return Fraction(written.strip().rstrip("."))


def count_of(number: Number) -> Fraction | None:
    """The count a number states; None for a percentage or a fraction, which are not counts."""
    if number.percent or number.fraction or not math.isfinite(number.value):
        return None
    try:
        return Fraction(number.text.replace(" ", ""))
    except ValueError:  # `8 × 10^2`
        return Fraction(repr(number.value))


def solve_facts(facts: Sequence[Fact]) -> Counts:
    """The cells the facts determine (None for the others); `NotUnderstood` when they contradict."""
    for a in facts:
        for b in facts:
            if a.cells == b.cells and a.value != b.value:
                raise NotUnderstood(
                    f"the question gives two different values for the same count ({a.source}; {b.source}); "
                    "ask about one classifier at a time"
                )
    rows = [[Fraction(int(c in f.cells)) for c in CELLS] + [f.value] for f in facts]
    pivots: list[int] = []
    for col in range(len(CELLS)):
        r = len(pivots)
        pick = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pick is None:
            continue
        rows[r], rows[pick] = rows[pick], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for i, row in enumerate(rows):
            if i != r and row[col] != 0:
                rows[i] = [a - row[col] * b for a, b in zip(row, rows[r], strict=True)]
        pivots.append(col)
    if any(row[-1] != 0 for row in rows[len(pivots) :]):
        listed = "; ".join(f.source for f in facts)
        raise NotUnderstood(f"the counts in the question contradict each other ({listed})")
    counts: Counts = dict.fromkeys(CELLS)
    free = [c for c in range(len(CELLS)) if c not in pivots]
    for i, col in enumerate(pivots):
        if all(rows[i][c] == 0 for c in free):
            counts[CELLS[col]] = rows[i][-1]
    return counts


def agrees(counts: Counts, facts: Iterable[Fact]) -> bool:
    """True when `counts` (all four known) satisfy every fact."""
    return all(sum(counts[c] or 0 for c in f.cells) == f.value for f in facts)


# ---------------------------------------------------------------- counts named in words

_NOT_A_RATE = r"(?!\s+rates?\b)"  # "false positive rate = 0.1" names no count
_CELL_NAMES = {
    "tp": rf"(?:true[\s-]+positives?|TPs?){_NOT_A_RATE}",
    "fp": rf"(?:false[\s-]+positives?|FPs?|false[\s-]+alarms?|type[\s-]+I[\s-]+errors?){_NOT_A_RATE}",
    "fn": rf"(?:false[\s-]+negatives?|FNs?|type[\s-]+II[\s-]+errors?){_NOT_A_RATE}",
    "tn": rf"(?:true[\s-]+negatives?|TNs?){_NOT_A_RATE}",
}
_SET_NAMES: tuple[tuple[frozenset[str], str, str], ...] = (
    (ALL, r"total(?:\s+number\s+of\s+\w+)?|sample\s+size|(?-i:N|n)", "total"),
    (frozenset({"tp", "fn"}), r"actual(?:ly)?\s+positives?|positives?\s+\(actual\)", "actual positives"),
    (frozenset({"fp", "tn"}), r"actual(?:ly)?\s+negatives?|negatives?\s+\(actual\)", "actual negatives"),
    (frozenset({"tp", "fp"}), r"predicted\s+positives?", "predicted positives"),
    (frozenset({"fn", "tn"}), r"predicted\s+negatives?", "predicted negatives"),
)
_TOTAL_PHRASES = (
    re.compile(rf"(?:a\s+total\s+of|in\s+total,?|total\s+of)\s+(?P<v>{COUNT})\b", re.IGNORECASE),
    re.compile(
        rf"(?<![\w.])(?P<v>{COUNT})\s+(?:[a-z-]+\s+){{0,2}}(?:in\s+total|overall|altogether)\b", re.IGNORECASE
    ),
)
_SET_RANK = len(Written)  # sets are read after every way of naming a single cell


class _Hit(NamedTuple):
    rank: tuple[int, int, int]  # how it is written, which name, where: the order facts are taken in
    cells: frozenset[str]
    value: Fraction | None  # None: not a count (a percentage, a fraction)
    label: str
    span: tuple[int, int]


def _hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for order, (cell, names) in enumerate(_CELL_NAMES.items()):
        for q in find_quantities(text, names):
            rank = (int(q.written), order, q.start)
            hits.append(_Hit(rank, frozenset({cell}), count_of(q.number), cell.upper(), (q.start, q.end)))
    for order, (cells, names, label) in enumerate(_SET_NAMES):
        for q in find_quantities(text, names, strict=True):
            hits.append(_Hit((_SET_RANK, order, q.start), cells, count_of(q.number), label, (q.start, q.end)))
    for order, pattern in enumerate(_TOTAL_PHRASES):
        for match in pattern.finditer(text):
            named = text[match.end("v") : match.end()]
            if POS_WORD.search(named) or NEG_WORD.search(named):
                continue  # "40 fraudulent transactions in total": one class, not the total
            rank = (_SET_RANK + 1, order, match.start())
            hits.append(_Hit(rank, ALL, exact(match["v"]), "total", match.span("v")))
    return hits


def named_facts(text: str) -> list[Fact]:
    """`TP = 80`, `80 true positives`, `FP: 5`, `80 (TP)`, `total = 1000`, `actual positives = 100`.

    `name = value` forms are read first, so "TP: 45 FP: 5" never reads 45 as FP; a number is
    read once.
    """
    facts: list[Fact] = []
    for hit in sorted(_hits(text), key=lambda hit: hit.rank):
        if hit.value is None or any(f.span[0] <= hit.span[0] < f.span[1] for f in facts):
            continue
        facts.append(Fact(hit.cells, hit.value, f"{hit.label} = {text[hit.span[0] : hit.span[1]]}", hit.span))
    return facts
