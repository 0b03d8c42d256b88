"""Lists of numbers in a dropout question, each scored as activations and as a mask.

Lists come from brackets and LaTeX matrices (`extract.find_arrays`), True/False lists, tables
(`tables.find_tables`) and unbracketed runs (`Mask: 1, 0, 1`). Also a lone activation value and
the size of a layer given only by its number of units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.dropout_probability import NUM, value_of
from solvers.dropout_problem import Grid
from solvers.extract import Array, find_arrays
from solvers.numbers import NUMBER_PATTERN, find_numbers
from solvers.tables import Table, find_tables

_CONTEXT_CHARS = 80
_MASK_WORDS = re.compile(
    r"mask|bernoulli|keep\s+(?:vector|pattern)|dropout\s+(?:pattern|vector)|retained|kept"
)
_ACT_WORDS = re.compile(
    r"activation|hidden|outputs?\b|inputs?\b|neurons?|units?\b|layer|features|pre-?dropout"
)
_DRAW_WORDS = re.compile(r"random|uniform|\brand\b|draws?\b|drawn|sampled|samples")
_SYMBOL = re.compile(
    r"(?:^|[^\w])(?P<sym>[A-Za-z])(?P<prime>['′])?(?:_\{?\w{1,3}\}?|\^\{?[(\[]?\w{1,3}[)\]]?\}?|\d{1,2})?"
    r"\s*(?:∈[^=:]{0,25})?[=:]\s*$"
)
_MASK_SYMBOLS = frozenset("mrdkMRDK")
_ACT_SYMBOLS = frozenset("ahxyzAHXYZ")
_INDEX_LABEL = re.compile(r"(?:units?|neurons?|nodes?|index|indices|positions?|i|j|#|no\.?)")
_BOOLS = r"[\[(]\s*(?:true|false)(?:\s*[,;\s]\s*(?:true|false))*\s*[\])]"
_BOOL_LIST = re.compile(rf"\[\s*{_BOOLS}(?:\s*,?\s*{_BOOLS})+\s*\]|{_BOOLS}", re.IGNORECASE)
_BARE_RUN = re.compile(
    rf"(?P<label>\b[A-Za-z][\w ]{{0,30}}?)\s*[=:]\s*"
    rf"(?P<nums>{NUMBER_PATTERN}(?:\s*[,;]\s*{NUMBER_PATTERN}|\s+{NUMBER_PATTERN})+)(?=\s*(?:$|[^\d\s.]|\.(?!\d)))"
)


@dataclass(frozen=True)
class Listed:
    """A list of numbers as found, before scoring; `label` names it when the words before it cannot."""

    grid: Grid
    is_matrix: bool
    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class Candidate:
    """A list of numbers in the question and how much it looks like activations or a mask."""

    grid: Grid
    is_matrix: bool
    start: int
    end: int
    act_score: int
    mask_score: int
    draws: bool  # labelled as random draws (compared with the keep probability)


def is_binary(grid: Grid) -> bool:
    return all(x in (0.0, 1.0) for row in grid for x in row)


def _bool_grid(written: str) -> Grid:
    rows = re.findall(r"[\[(]([^\[\]()]*)[\])]", written)
    return tuple(
        tuple(
            1.0 if flag.lower() == "true" else 0.0 for flag in re.findall(r"true|false", row, re.IGNORECASE)
        )
        for row in rows
    )


def _label_role(label: str) -> str:
    """The role ("mask", "activations" or "") a short label such as a table row name gives."""
    label = label.strip().strip(":=").strip()
    if _INDEX_LABEL.fullmatch(label):
        return ""  # a row of unit numbers
    if label in ("m", "r", "d", "k") or _MASK_WORDS.search(label):
        return "mask"
    if label in ("a", "h", "x", "y", "z") or _ACT_WORDS.search(label):
        return "activations"
    return ""


def _table_lists(table: Table) -> list[Listed]:
    """Rows (or else columns) of a table labelled as activations or a mask."""
    out: list[Listed] = []
    for offset, (label, values) in enumerate(table.rows):
        if label and _label_role(label.lower()):
            out.append(Listed((values,), False, table.start + offset, table.start + offset, label))
    if out or not table.header or len(table.header) != len(table.rows[0][1]):
        return out
    for column, name in enumerate(table.header):
        if _label_role(name.lower()):
            values = tuple(row[column] for _, row in table.rows)
            out.append(Listed((values,), False, table.start + column, table.start + column, name))
    return out


def _grid(array: Array) -> Grid:
    if not array.is_matrix:
        return (tuple(array.flat),)
    return tuple(tuple(row) for row in array.values if isinstance(row, list))


def _listed(text: str) -> list[Listed]:
    """Every list of numbers in `text`, in order."""
    found: list[Listed] = []
    for array in find_arrays(text):
        grid = _grid(array)
        # a nested list of words ([[True, False]]) reads as rows of no numbers: left to _BOOL_LIST
        if all(grid):
            found.append(Listed(grid, array.is_matrix, array.start, array.end))
    for match in _BOOL_LIST.finditer(text):
        grid = _bool_grid(match.group(0))
        found.append(Listed(grid, len(grid) > 1, match.start(), match.end()))
    for table in find_tables(text):
        found.extend(_table_lists(table))
    taken = [(item.start, item.end) for item in found]
    for match in _BARE_RUN.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        values = tuple(number.value for number, _, _ in find_numbers(match.group("nums")))
        found.append(Listed((values,), False, match.start("nums"), match.end(), match.group("label")))
    return sorted(found, key=lambda item: item.start)


def _scores(context: str, grid: Grid) -> tuple[int, int, bool]:
    """(activation score, mask score, labelled as draws) from the words just before a list."""
    act = mask = 0
    symbol = _SYMBOL.search(context)
    if symbol and symbol.group("prime"):
        return -10, -10, False  # a′ = [...] is a result, not data
    if symbol and symbol.group("sym") in _MASK_SYMBOLS:
        mask += 4
    elif symbol and symbol.group("sym") in _ACT_SYMBOLS:
        act += 4
    mask_hits = [m.end() for m in _MASK_WORDS.finditer(context)]
    act_hits = [m.end() for m in _ACT_WORDS.finditer(context)]
    draws = bool(_DRAW_WORDS.search(context))
    mask += 2 if mask_hits or draws else 0
    act += 2 if act_hits else 0
    if mask_hits and act_hits:
        if max(mask_hits) > max(act_hits):
            mask += 1
        else:
            act += 1
    if is_binary(grid):
        mask += 1
    else:
        act += 1
        mask -= 0 if draws else 1
    return act, mask, draws


def candidates(text: str) -> list[Candidate]:
    """The lists of numbers in `text`, each scored as activations and as a mask."""
    out: list[Candidate] = []
    previous_end = 0
    for item in _listed(text):
        if item.label:
            context = item.label.lower() + " ="
        else:
            context = text[max(previous_end, item.start - _CONTEXT_CHARS) : item.start].lower()
        act, mask, draws = _scores(context, item.grid)
        out.append(Candidate(item.grid, item.is_matrix, item.start, item.end, act, mask, draws))
        previous_end = max(previous_end, item.end)
    return out


def pick_pair(found: list[Candidate]) -> tuple[Candidate | None, Candidate | None]:
    """The likeliest (activations, mask) pair; either may be None when no list fits the role."""
    best: tuple[int, Candidate | None, Candidate | None] = (0, None, None)
    # the best pair of distinct lists uses one of the two best of each role (stable sort: earliest first)
    top_acts = sorted((c for c in found if c.act_score > 0), key=lambda c: -c.act_score)[:2]
    top_masks = sorted((c for c in found if c.mask_score > 0), key=lambda c: -c.mask_score)[:2]
    for act in top_acts:
        for mask in top_masks:
            if act is mask:
                continue
            score = act.act_score + mask.mask_score
            if score > best[0]:
                best = (score, act, mask)
    if best[1] is not None:
        return best[1], best[2]
    acts = [c for c in found if c.act_score > 0 and c.act_score >= c.mask_score]
    masks = [c for c in found if c.mask_score > 0 and c.mask_score > c.act_score]
    return (acts[0] if acts else None), (masks[0] if masks else None)


_SCALAR_ACTIVATION = re.compile(
    rf"(?:\bactivation(?:\s+value)?|\boutput\s+value)(?:\s+of\s+(?:the\s+|a\s+|this\s+)?(?:unit|neuron|node))?"
    rf"(?:\s*(?:\bis\b|\bof\b|\bequals?\b|=|:)\s*|\s+)(?:[ahxz]\s*=\s*)?{NUM}"
    rf"|(?<![\w'])[ahxyz](?:_\{{?\w{{1,3}}\}}?)?\s*=\s*(?P<w>{NUMBER_PATTERN})(?!\d)",
    re.IGNORECASE,
)
_UNIT_COUNT = re.compile(
    r"\b(?P<n>\d{1,6})[\s-]*(?:hidden\s+)?(?:neurons?|units?|nodes?)\b(?!\s*\d)", re.IGNORECASE
)


def scalar_activation(text: str) -> float | None:
    """ "a neuron with activation 3.0", "a = 3": one activation value, or None."""
    match = _SCALAR_ACTIVATION.search(text)
    if match is None:
        return None
    return value_of(match.group("v") or match.group("w"))


def unit_count(text: str) -> int | None:
    """ "100 neurons", "a 256-unit layer": how many units a layer has, when no vector is given."""
    match = _UNIT_COUNT.search(text)
    return None if match is None or int(match.group("n")) == 0 else int(match.group("n"))
