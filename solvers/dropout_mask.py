"""The dropout mask: given as a 0/1 list, thresholded from random draws, or units named in words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.dropout_problem import Grid
from solvers.dropout_vectors import Candidate, is_binary
from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.numbers import format_number


@dataclass(frozen=True)
class MaskReading:
    """The mask, how it was read, and the mask under another reading the question leaves open."""

    mask: Grid | None
    note: str = ""  # how the mask was read, when not given as a list
    other: Grid | None = None
    other_note: str = ""  # that other reading: "counting unit positions from 0"


# ---------------------------------------------------------------- units named by position

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
    "last": -1,
}
ORDINAL = r"(?:\d{1,3}(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + ")"
_DIG = r"(?:#\s*)?\d{1,3}(?:st|nd|rd|th)?"
_SEP = r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|or\s+)"
_NOUN = (
    r"(?:hidden\s+)?(?:units?|neurons?|nodes?|elements?|entries|entry|components?|positions?"
    r"|activations?|indices|index|features?)"
)
_SYM = r"[ahxyz]_?\{?\d{1,3}\}?"
_DIG_LIST = rf"{_DIG}(?:{_SEP}(?:(?:the\s+)?{_NOUN}\s+)?{_DIG}){{0,30}}"
_ORD_LIST = rf"{ORDINAL}(?:{_SEP}(?:the\s+)?{ORDINAL}){{0,30}}"
_SYM_LIST = rf"{_SYM}(?:{_SEP}{_SYM}){{0,30}}"
_BE = (
    r"(?:(?:are|is|were|was|get|gets|got|have\s+been|has\s+been|will\s+be|being)\s+)?(?:(?:randomly|all)\s+)?"
)
_DROP_V = (
    r"(?:dropped|zeroed|set\s+to\s+(?:zero|0)|switched\s+off|turned\s+off|shut\s+off|deactivated"
    r"|removed|masked|disabled|knocked\s+out|inactive)(?:\s+out)?"
)
_KEEP_V = r"(?:kept|retained|preserved|active|not\s+dropped|survives?|surviving)"
_POSITION_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b(?P<noun>{_NOUN})\s+(?:at\s+positions?\s+|numbers?\s+|numbered\s+|no\.?\s*)?(?P<list>{_DIG_LIST})"
        rf"\s+{_BE}(?P<verb>{_DROP_V}|{_KEEP_V})\b",
        rf"\b(?P<list>{_ORD_LIST})\s+(?P<noun>{_NOUN})\s+{_BE}(?P<verb>{_DROP_V}|{_KEEP_V})\b",
        rf"\b(?P<list>{_SYM_LIST})\s+{_BE}(?P<verb>{_DROP_V}|{_KEEP_V})\b",
        rf"\b(?P<verb>drop(?:s|ping)?(?:\s+out)?|zero(?:es|s|ing)?(?:\s+out)?|deactivat(?:e|es|ing)"
        rf"|switch(?:es|ing)?\s+off|keep(?:s|ing)?|retain(?:s|ing)?)\s+(?:only\s+)?(?:the\s+)?"
        rf"(?:(?P<noun>{_NOUN})\s+(?P<list>{_DIG_LIST})|(?P<olist>{_ORD_LIST})\s+{_NOUN}|(?P<slist>{_SYM_LIST}))"
        rf"(?!\w)",
    )
)
_ZERO_BASED = re.compile(r"\b(?:0|zero)[- ]?(?:based|indexed)|python\s+index", re.IGNORECASE)
_ITEM = re.compile(rf"{ORDINAL}|\d{{1,3}}", re.IGNORECASE)


@dataclass(frozen=True)
class Positions:
    """Units named in words: which are dropped, which kept, and how they are counted."""

    dropped: frozenset[int]  # as written
    kept: frozenset[int]
    zero_based: bool
    base_stated: bool  # False: "index 2" without saying 0- or 1-based


def listed_positions(listed: str) -> list[int]:
    """The positions in "2 and 3", "the second and last", "h_1, h_4", as written (last is -1)."""
    out: list[int] = []
    for token in _ITEM.findall(re.sub(r"[ahxyz]_?\{?(?=\d)", " ", listed.lower())):
        word = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", token)
        out.append(_ORDINALS[word] if word in _ORDINALS else int(word))
    return out


def positions(text: str) -> Positions | None:
    """ "units 2 and 3 are dropped", "the second and third neurons are dropped", "h_1 and h_4 are kept"."""
    dropped: set[int] = set()
    kept: set[int] = set()
    index_words = False
    for pattern in _POSITION_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            listed = groups.get("list") or groups.get("olist") or groups.get("slist") or ""
            verb = match.group("verb").lower()
            keep = bool(re.match(r"keep|kept|retain|preserved|active|not|surviv", verb))
            (kept if keep else dropped).update(listed_positions(listed))
            index_words = index_words or (groups.get("noun") or "").lower().startswith("ind")
    if not dropped and not kept:
        return None
    stated = bool(_ZERO_BASED.search(text))
    zero = stated or 0 in dropped | kept
    return Positions(frozenset(dropped), frozenset(kept), zero, stated or zero or not index_words)


def _positions_mask(found: Positions, size: int, zero_based: bool) -> Grid:
    """A 0/1 mask of `size` units from the positions named (1-based unless `zero_based`)."""

    def index(position: int) -> int:
        i = size - 1 if position == -1 else position - (0 if zero_based else 1)
        if not 0 <= i < size:
            raise InvalidQuestion(
                f"unit {position} is named, but the activation vector has only {size} units"
                f" (positions counted from {0 if zero_based else 1})"
            )
        return i

    dropped = {index(p) for p in found.dropped}
    kept = {index(p) for p in found.kept}
    if dropped & kept:
        raise InvalidQuestion("the same unit is said to be both dropped and kept")
    if dropped:
        return (tuple(0.0 if i in dropped else 1.0 for i in range(size)),)
    return (tuple(1.0 if i in kept else 0.0 for i in range(size)),)


# ---------------------------------------------------------------- random draws

_LESS = r"(?:<|less\s+than|below|smaller\s+than|under)"
_DRAWS_KEEP_BELOW = re.compile(
    rf"{_LESS}\s*(?:the\s+)?(?:keep|p_keep|1\s*-\s*p)|(?:keep|kept|retain)\w*[^.]{{0,50}}?{_LESS}",
    re.IGNORECASE,
)
_DRAWS_DROP_BELOW = re.compile(
    rf"(?:drop|zero)\w*[^.]{{0,50}}?{_LESS}\s*(?:the\s+)?(?:p\b|drop|dropout\s+rate|rate)", re.IGNORECASE
)


def _draws_rule(text: str) -> str | None:
    """How draws become a mask: `keep_below` (kept when u < keep_prob), `drop_below` (dropped when u < p)."""
    if _DRAWS_KEEP_BELOW.search(text):
        return "keep_below"
    if _DRAWS_DROP_BELOW.search(text):
        return "drop_below"
    return None


def _threshold(draws: Grid, drop: float, rule: str) -> Grid:
    """Threshold uniform draws into a 0/1 mask."""
    keep = 1.0 - drop
    if rule == "keep_below":
        return tuple(tuple(1.0 if u < keep else 0.0 for u in row) for row in draws)
    return tuple(tuple(0.0 if u < drop else 1.0 for u in row) for row in draws)


# ---------------------------------------------------------------- the mask, however it is given


def _from_draws(text: str, draws: Grid, drop: float | None) -> MaskReading:
    if drop is None:
        raise NotUnderstood("random draws are given but no dropout probability to compare them with")
    stated = _draws_rule(text)
    chosen = stated or "keep_below"
    note = (
        f"A unit is kept when its random draw is below the keep probability {format_number(1 - drop)} "
        "(d = rand < keep_prob)."
        if chosen == "keep_below"
        else f"A unit is dropped when its random draw is below the drop probability {format_number(drop)}."
    )
    other = None if stated else _threshold(draws, drop, "drop_below")
    reading = f"dropping a unit when its draw is below the drop probability {format_number(drop)}"
    return MaskReading(_threshold(draws, drop, chosen), note, other, reading)


def _from_positions(named: Positions, size: int) -> MaskReading:
    mask = _positions_mask(named, size, named.zero_based)
    note = f"Unit positions are counted from {0 if named.zero_based else 1}."
    if named.base_stated:
        return MaskReading(mask, note)
    try:
        other = _positions_mask(named, size, zero_based=True)
    except InvalidQuestion:
        return MaskReading(mask, note)
    return MaskReading(mask, note, other, "counting unit positions from 0")


def read_mask(
    text: str, found: Candidate | None, activations: Grid | None, form: str, drop: float | None
) -> MaskReading:
    """The mask from a 0/1 list, from random draws or from units named in words."""
    if found is not None and found.draws and not is_binary(found.grid):
        return _from_draws(text, found.grid, drop)
    if found is not None:
        bad = next((x for row in found.grid for x in row if x not in (0.0, 1.0)), None)
        if bad is not None:
            raise InvalidQuestion(
                f"a dropout mask holds only 0 (dropped) and 1 (kept); this one contains {format_number(bad)}"
            )
        return MaskReading(found.grid)
    named = positions(text)
    if named is None:
        return MaskReading(None)
    if activations is None or form != "vector":
        raise NotUnderstood("units are named by position, but no activation vector is given to apply them to")
    return _from_positions(named, len(activations[0]))
