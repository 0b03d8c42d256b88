"""Reading a dropout question: the activations, the mask, the probability, the convention, the parts asked.

Works on normalised text. Each reader is a small function returning what it found (or None);
`solvers.dropout` puts them together and decides what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.extract import find_arrays, find_tables
from solvers.numbers import NUMBER_PATTERN, parse_number

Row = tuple[float, ...]
Grid = tuple[Row, ...]  # a vector is one row; a scalar is one row of one entry

NUM = rf"(?P<v>{NUMBER_PATTERN})(?!\d)(?!\s*[-+*/×]\s*[A-Za-z(])"  # not the 1 of "1 - p = 0.8"
_CONTEXT_CHARS = 80


def number(text: str) -> float:
    """A number matched by `NUM` (a sentence's full stop may trail it)."""
    parsed = parse_number(text.rstrip("."))
    if parsed is None:
        raise NotUnderstood(f"could not read the number {text!r}")
    return parsed.value


# ---------------------------------------------------------------- arrays and their roles

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
_BOOLS = r"[\[(]\s*(?:true|false)(?:\s*[,;\s]\s*(?:true|false))*\s*[\])]"
_BOOL_LIST = re.compile(rf"\[\s*{_BOOLS}(?:\s*,?\s*{_BOOLS})+\s*\]|{_BOOLS}", re.IGNORECASE)
_BARE_RUN = re.compile(
    rf"(?P<label>\b[A-Za-z][\w ]{{0,30}}?)\s*[=:]\s*"
    rf"(?P<nums>{NUMBER_PATTERN}(?:\s*[,;]\s*{NUMBER_PATTERN}|\s+{NUMBER_PATTERN})+)(?=\s*(?:$|[^\d\s.]|\.(?!\d)))"
)
_MATRIX_ENV = re.compile(r"\\begin\{([pbvBV]?matrix|array)\}.*?\\end\{\1\}", re.DOTALL)
_LONE_BACKSLASH = re.compile(r"(?<!\\)\\\s")


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


def _grid(values: list[float] | list[list[float]]) -> tuple[Grid, bool]:
    if values and isinstance(values[0], list):
        return tuple(tuple(row) for row in values), True
    return (tuple(values),), False  # type: ignore[arg-type]


def is_binary(grid: Grid) -> bool:
    return all(x in (0.0, 1.0) for row in grid for x in row)


def _restore_row_breaks(text: str) -> str:
    """Normalisation turns a LaTeX row break followed by a space into one backslash; restore it.

    The space becomes the second backslash, so the text keeps its length and every offset holds.
    """
    return _MATRIX_ENV.sub(lambda m: _LONE_BACKSLASH.sub(r"\\\\", m.group(0)), text)


def _bool_grid(written: str) -> Grid:
    rows = re.findall(r"[\[(]([^\[\]()]*)[\])]", written)
    return tuple(
        tuple(
            1.0 if flag.lower() == "true" else 0.0 for flag in re.findall(r"true|false", row, re.IGNORECASE)
        )
        for row in rows
    )


def _raw_arrays(text: str) -> list[tuple[Grid, bool, int, int, str]]:
    """Every list of numbers: (grid, is_matrix, start, end, label override or "")."""
    arrays = find_arrays(_restore_row_breaks(text))
    # a nested list of words ([[True, False]]) reads as rows of no numbers: leave it to _BOOL_LIST
    found = [(*_grid(a.values), a.start, a.end, "") for a in arrays if all(_grid(a.values)[0])]
    for match in _BOOL_LIST.finditer(text):
        grid = _bool_grid(match.group(0))
        found.append((grid, len(grid) > 1, match.start(), match.end(), ""))
    for table in find_tables(text):
        found.extend(_table_arrays(table.header, table.rows, table.start))
    taken = [(s, e) for _, _, s, e, _ in found]
    for match in _BARE_RUN.finditer(text):
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        values = [number(n.group(0)) for n in re.finditer(NUMBER_PATTERN, match.group("nums"))]
        found.append((((*values,),), False, match.start("nums"), match.end(), match.group("label")))
    return sorted(found, key=lambda item: item[2])


def _table_arrays(
    header: tuple[str, ...], rows: tuple[tuple[str, tuple[float, ...]], ...], start: int
) -> list[tuple[Grid, bool, int, int, str]]:
    """Rows (or columns) of a table labelled as activations or a mask."""
    out: list[tuple[Grid, bool, int, int, str]] = []
    for offset, (label, values) in enumerate(rows):
        if label and _label_role(label.lower()):
            out.append((((*values,),), False, start + offset, start + offset, label))
    if out or not header or len(header) != len(rows[0][1]):
        return out
    for column, name in enumerate(header):
        if _label_role(name.lower()):
            values = tuple(row[column] for _, row in rows)
            out.append(((values,), False, start + column, start + column, name))
    return out


_INDEX_LABEL = re.compile(r"(?:units?|neurons?|nodes?|index|indices|positions?|i|j|#|no\.?)")


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
    for grid, is_matrix, start, end, label in _raw_arrays(text):
        context = (
            label.lower() + " =" if label else text[max(previous_end, start - _CONTEXT_CHARS) : start].lower()
        )
        act, mask, draws = _scores(context, grid)
        out.append(Candidate(grid, is_matrix, start, end, act, mask, draws))
        previous_end = max(previous_end, end)
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


# ---------------------------------------------------------------- a single activation value

_SCALAR_ACTIVATION = re.compile(
    rf"(?:\bactivation(?:\s+value)?|\boutput\s+value)(?:\s+of\s+(?:the\s+|a\s+|this\s+)?(?:unit|neuron|node))?"
    rf"(?:\s*(?:\bis\b|\bof\b|\bequals?\b|=|:)\s*|\s+)(?:[ahxz]\s*=\s*)?{NUM}"
    rf"|(?<![\w'])[ahxyz](?:_\{{?\w{{1,3}}\}}?)?\s*=\s*(?P<w>{NUMBER_PATTERN})(?!\d)",
    re.IGNORECASE,
)


def scalar_activation(text: str) -> float | None:
    """ "a neuron with activation 3.0", "a = 3": one activation value, or None."""
    match = _SCALAR_ACTIVATION.search(text)
    if match is None:
        return None
    return number(match.group("v") or match.group("w"))


_UNIT_COUNT = re.compile(
    r"\b(?P<n>\d{1,6})[\s-]*(?:hidden\s+)?(?:neurons?|units?|nodes?)\b(?!\s*\d)", re.IGNORECASE
)


def unit_count(text: str) -> int | None:
    """ "100 neurons", "a 256-unit layer": how many units a layer has, when no vector is given."""
    match = _UNIT_COUNT.search(text)
    return None if match is None or int(match.group("n")) == 0 else int(match.group("n"))


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
_ORD = r"(?:\d{1,3}(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + ")"
_DIG = r"(?:#\s*)?\d{1,3}(?:st|nd|rd|th)?"
_SEP = r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|or\s+)"
_NOUN = (
    r"(?:hidden\s+)?(?:units?|neurons?|nodes?|elements?|entries|entry|components?|positions?"
    r"|activations?|indices|index|features?)"
)
_SYM = r"[ahxyz]_?\{?\d{1,3}\}?"
_DIG_LIST = rf"{_DIG}(?:{_SEP}(?:(?:the\s+)?{_NOUN}\s+)?{_DIG}){{0,30}}"
_ORD_LIST = rf"{_ORD}(?:{_SEP}(?:the\s+)?{_ORD}){{0,30}}"
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
_ITEM = re.compile(rf"{_ORD}|\d{{1,3}}", re.IGNORECASE)


@dataclass(frozen=True)
class Positions:
    """Units named in words: which are dropped, which kept, and how they are counted."""

    dropped: frozenset[int]  # as written
    kept: frozenset[int]
    zero_based: bool
    base_stated: bool  # False: "index 2" without saying 0- or 1-based


def _items(listed: str) -> list[int]:
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
            (kept if keep else dropped).update(_items(listed))
            index_words = index_words or (groups.get("noun") or "").lower().startswith("ind")
    if not dropped and not kept:
        return None
    stated = bool(_ZERO_BASED.search(text))
    zero = stated or 0 in dropped | kept
    return Positions(frozenset(dropped), frozenset(kept), zero, stated or zero or not index_words)


def mask_from_positions(found: Positions, size: int, zero_based: bool) -> Row:
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
        return tuple(0.0 if i in dropped else 1.0 for i in range(size))
    return tuple(1.0 if i in kept else 0.0 for i in range(size))


# ---------------------------------------------------------------- the probability

_FILL = r"(?:\s*(?:\bis\b|\bof\b|\bequals?\b|\bequal\s+to\b|\bset\s+to\b|=|:|,|\bp\b|\bq\b|ρ|\(|\))\s*){0,4}"
_UNIT = r"(?:\s+(?:a|each|any|every|the)\s+(?:hidden\s+)?(?:unit|neuron|node|activation))?"
_KEEP_NAMES = (
    r"keep[_\s-]?prob(?:ability)?|p[_\s]?keep|keep[_\s-]?rate|retain(?:ed)?[_\s-]?prob(?:ability)?"
    r"|retention[_\s-]?(?:probability|rate)|survival[_\s-]?probability"
    rf"|probability\s+of\s+(?:keeping|retaining){_UNIT}"
    r"|probability\s+(?:that\s+)?(?:a|each|any|every)\s+(?:hidden\s+)?(?:unit|neuron|node)\s+is\s+(?:kept|retained)"
)
_DROP_NAMES = (
    r"drop(?:out)?[_\s-]?(?:rate|prob(?:ability)?|ratio|fraction)|p[_\s]?drop"
    rf"|probability\s+of\s+(?:dropping|zeroing)(?:\s+out)?{_UNIT}|dropping\s+probability"
    r"|probability\s+(?:that\s+)?(?:a|each|any|every)\s+(?:hidden\s+)?(?:unit|neuron|node)\s+is\s+(?:dropped|zeroed)"
    r"(?:\s+out)?|dropout\s+(?:rate\s+)?of"
)
_PROBABILITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (meaning, re.compile(pattern, re.IGNORECASE))
    for meaning, pattern in (
        ("keep", rf"(?:{_KEEP_NAMES})\b{_FILL}\s*{NUM}"),
        ("drop", rf"(?:{_DROP_NAMES})\b{_FILL}\s*{NUM}"),
        (
            "keep",
            rf"\b(?:kept|retained|keeps?|retains?|preserved)(?:{_UNIT})?\s+with\s+(?:a\s+)?probability"
            rf"\s+(?:of\s+)?(?:[pq]\s*=\s*)?{NUM}",
        ),
        (
            "drop",
            rf"\b(?:dropped|zeroed|drops?|removed|deactivated|switched\s+off|turned\s+off|set\s+to\s+(?:zero|0))"
            rf"(?:\s+out)?(?:{_UNIT})?\s+with\s+(?:a\s+)?probability\s+(?:of\s+)?(?:[pq]\s*=\s*)?{NUM}",
        ),
        ("drop", rf"dropout\(\s*(?:(?:p|rate)\s*=\s*)?{NUM}"),
        ("keep", rf"bernoulli\s*\(\s*(?:p\s*=\s*)?{NUM}\s*\)"),
        ("drop", rf"\b(?:with|at)\s+(?:a\s+)?(?:dropout\s+)?rate\s+(?:of\s+)?(?:p\s*=\s*)?{NUM}"),
        (
            "percent",
            rf"{NUM}\s+of\s+(?:the\s+|all\s+|its\s+)?(?:hidden\s+)?(?:units|neurons|nodes|activations|outputs)"
            rf"(?:\s+(?:in|of)\s+[\w\s]{{0,25}}?)?\s+(?:are|is|get|gets|will\s+be|were|being)\s+"
            rf"(?:randomly\s+)?(?P<verb>dropped|zeroed|removed|deactivated|switched\s+off|kept|retained)",
        ),
        (
            "percent",
            rf"\b(?P<verb>drop(?:s|ping)?|zero(?:es|ing)?|keep(?:s|ing)?|retain(?:s|ing)?)(?:\s+out)?"
            rf"\s+(?:only\s+)?(?:randomly\s+)?{NUM}\s*(?=of\b)",
        ),
        (
            "bare",
            rf"dropout\s+(?:layer\s+)?(?:with|at|using)\s+(?:a\s+)?(?:probability|rate)\s+(?:of\s+)?"
            rf"(?:p\s*=\s*)?{NUM}",
        ),
        ("keep", rf"(?<![\w.])\(?\s*1\s*-\s*p\s*\)?\s*=\s*{NUM}"),
        ("bare", rf"(?<![\w.'])p\s*=\s*{NUM}"),
    )
)
# what a bare `p = 0.8` is said to be, just after it: "(the probability of keeping a unit)"
_P_MEANING = re.compile(
    r"^\s*[,(:;-]?\s*(?:(?:is|as|being|denotes|denoting|i\.e\.|which\s+is|here)\s+)*(?:the\s+|a\s+)?"
    r"(?:(?P<keep>keep|retain|retention|survival)\w*\s+(?:probability|rate)|(?:drop|dropout|dropping)\w*\s+"
    r"(?:probability|rate)|(?:probability|chance)\s+(?:of|that|to)\s+(?:\w+\s+){0,4}?"
    r"(?:(?P<keep2>keep|retain|kept|surviv|stay|be\s+kept)|drop|zero|be\s+dropped|is\s+dropped))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Probability:
    drop: float
    stated_as: str  # "drop", "keep" or "bare" (a p whose meaning the question does not say)
    text: str  # as written: "p = 0.5", "keep_prob = 0.8"


def _hit(meaning: str, match: re.Match[str], text: str) -> tuple[float, str]:
    """(drop probability, how it was stated) for one match."""
    value = number(match.group("v"))
    raw = match.group("v")
    if meaning == "percent":
        if "%" not in raw and "/" not in raw:
            raise _NotAProbability
        meaning = "keep" if re.match(r"ke|kept|ret", match.group("verb"), re.IGNORECASE) else "drop"
    if meaning == "bare":
        said = _P_MEANING.search(text[match.end() : match.end() + 80])
        if said is not None:
            meaning = "keep" if said.group("keep") or said.group("keep2") else "drop"
        else:
            meaning = p_defined(text) or "bare"
    if not 0.0 <= value <= 1.0:
        raise InvalidQuestion(
            f"a probability must lie between 0 and 1; the question gives {raw.strip().rstrip('.')}"
        )
    return (round(1.0 - value, 15) if meaning == "keep" else value), meaning  # 1 − 0.8 is 0.19999999999999996


class _NotAProbability(Exception):
    """A count such as "2 of the units are dropped", not a rate."""


_P_DEFINED_KEEP = re.compile(
    r"(?:kept|retained|present|keeps?|retains?|surviv\w*)(?:\s+\w+){0,3}?\s+with\s+probability\s+p\b(?!\s*=)"
    r"|\bp\s+(?:is|denotes|=)\s+the\s+(?:keep|retain\w*|survival)\s+probability|\bp\s+is\s+the\s+probability\s+"
    r"(?:of|that)\s+(?:\w+\s+){0,3}?(?:keep|retain|kept|retained)|(?:multipl\w*|scal\w*)\s+by\s+p\s+at\s+test"
    r"|1\s*/\s*p\b",
    re.IGNORECASE,
)
_P_DEFINED_DROP = re.compile(
    r"(?:dropped|zeroed|removed|drops?)(?:\s+\w+){0,3}?\s+with\s+probability\s+p\b(?!\s*=)"
    r"|\bp\s+(?:is|denotes|=)\s+the\s+(?:drop\w*|dropout)\s+(?:probability|rate)|\bp\s+is\s+the\s+probability\s+"
    r"(?:of|that)\s+(?:\w+\s+){0,3}?(?:drop|dropped|zero)|1\s*/\s*\(\s*1\s*-\s*p\s*\)",
    re.IGNORECASE,
)


def p_defined(text: str) -> str | None:
    """What the question says its symbol p stands for ("retained with probability p"), if it says."""
    keep, drop = _P_DEFINED_KEEP.search(text), _P_DEFINED_DROP.search(text)
    if keep and not drop:
        return "keep"
    if drop and not keep:
        return "drop"
    return None


def probability(text: str) -> Probability | None:
    """The drop probability, however the question states it; None when it gives none."""
    hits: dict[int, tuple[float, str, str]] = {}
    for meaning, pattern in _PROBABILITY_PATTERNS:
        for match in pattern.finditer(text):
            if match.start("v") in hits:
                continue
            try:
                drop, stated = _hit(meaning, match, text)
            except _NotAProbability:
                continue
            hits[match.start("v")] = (drop, stated, match.group(0).strip().rstrip("."))
    if not hits:
        return None
    explicit = [h for _, h in sorted(hits.items()) if h[1] != "bare"]
    chosen = explicit or [h for _, h in sorted(hits.items())]
    values = sorted({round(h[0], 12) for h in chosen})
    if len(values) > 1:
        raise NotUnderstood(
            "the question gives several dropout probabilities ("
            + ", ".join(h[2] for h in chosen)
            + "); ask about one layer with one probability"
        )
    drop, stated, written = chosen[0]
    if drop >= 1.0:
        raise InvalidQuestion(
            f"{written}: every unit would be dropped; the drop probability must lie in [0, 1)"
        )
    return Probability(drop, stated, written)


# ---------------------------------------------------------------- the convention

_PLAIN = re.compile(
    r"(?:without|\bno\b|\bnot\b|n't|never|do\s+not)\s+(?:any\s+|the\s+|apply\s+|use\s+|using\s+)?(?:re-?)?scal"
    r"|\bunscaled\b|non-?inverted|not\s+inverted|original\s+dropout|standard\s+dropout|vanilla\s+dropout"
    r"|srivastava|only\s+(?:apply\s+)?the\s+mask|mask\s+only",
    re.IGNORECASE,
)
_INVERTED = re.compile(
    r"invert(?:ed)?\s+(?:dropout|scaling)|inverse\s+dropout|\(\s*inverted\s*\)|\b(?:re-?)?scal(?:e|ed|es|ing)\b"
    r"|1\s*/\s*\(\s*1\s*-\s*p\s*\)|1\s*/\s*keep|/\s*keep_?prob|divid\w*\s+(?:\w+\s+)?by\s+(?:the\s+)?(?:keep|1\s*-\s*p|\(1\s*-\s*p\))"
    r"|pytorch|\btorch\b|nn\.dropout|keras|tensorflow|tf\.nn\.dropout",
    re.IGNORECASE,
)
_AT_TEST = re.compile(r"^\W*(?:\w+\s+){0,3}(?:at|during|in)\s+(?:test|inference|evaluation)", re.IGNORECASE)
_TEST_BEFORE = re.compile(r"(?:test|inference|evaluation)[^.?!\n]*$", re.IGNORECASE)


def convention(text: str) -> bool | None:
    """True for inverted dropout, False for plain masking, None when the question does not say."""
    if _PLAIN.search(text):
        return False
    for match in _INVERTED.finditer(text):
        if match.group(0).lower().startswith(("scal", "rescal", "re-scal")) and (
            _AT_TEST.search(text[match.end() : match.end() + 40])
            or _TEST_BEFORE.search(text[max(0, match.start() - 50) : match.start()])
        ):
            continue  # "scaled at test time" describes the original method
        return True
    return None


# ---------------------------------------------------------------- the parts asked

_SENTENCE = re.compile(r"(?<=[?!])|\n|(?<=\.)(?=\s)")
_CLAUSE = re.compile(r",|;|\(|\)|\band\b(?!\s+(?:\d|the\s+\w+\s+(?:unit|neuron)))|\bthen\b|\balso\b")
_ASKS = re.compile(
    r"\b(?:what|which|how|compute|calculate|find|give|determine|show|write|list|report|derive|(?<!hidden\s)state|apply"
    r"|evaluate|work\s+out|obtain|predict)\b",
    re.IGNORECASE,
)
_PART_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "dropped_count",
            r"how\s+many[^.?]{0,40}?(?:dropped|zeroed|switched\s+off|deactivated|removed|inactive"
            r"|set\s+to\s+(?:zero|0))|number\s+of\s+(?:dropped|zeroed|inactive|deactivated)",
        ),
        (
            "kept_count",
            r"how\s+many[^.?]{0,40}?(?:kept|retained|surviv|active|remain|non-?zero)"
            r"|number\s+of\s+(?:kept|surviving|active|retained)",
        ),
        (
            "dropped_fraction",
            r"(?:fraction|proportion|percentage|percent|share)\b[^.?]{0,40}?"
            r"(?:dropped|zeroed|switched\s+off|inactive|removed)",
        ),
        (
            "kept_fraction",
            r"(?:fraction|proportion|percentage|percent|share)\b[^.?]{0,40}?"
            r"(?:kept|retained|surviv|active|remain)",
        ),
        (
            "test_output",
            r"test(?:ing)?[\s-]*time|\bat\s+test|during\s+test|\btesting\b|inference|evaluation"
            r"|\beval\b|deployment|prediction\s+time|not\s+training",
        ),
        ("expected_value", r"expect(?:ed|ation)|\bE\s*\[|\bmean\b|on\s+average|\baverage\b"),
        (
            "scale",
            r"(?:scal(?:e|ing)|multiplicative)\s+(?:factor|constant|value)|by\s+what\s+(?:factor|number|value)"
            r"|what\s+(?:factor|constant)|\bfactor\b|scaled\s+by\s+what"
            r"|(?:multiplied|scaled)\s+by\s*(?:\?|$|what\b|at\b|during\b|in\b|when\b)",
        ),
        (
            "output",
            r"output|activation|result|vector|\b[ahxyz]\s*['′]|after\s+(?:applying\s+)?(?:the\s+)?"
            r"(?:dropout|mask)|\bapply|masked|values|\bnew\b|\bfinal\b|matrix",
        ),
    )
)
_PATTERN = dict(_PART_PATTERNS)
_UNIT_NAMED = re.compile(
    rf"(?:unit|neuron|node|element|entry|component)\s*#?\s*(?P<n>\d{{1,3}})\b|(?P<o>{_ORD})\s+(?:hidden\s+)?"
    rf"(?:unit|neuron|node|element|entry|component|activation)|\b[ahyz]_\{{?(?P<s>\d{{1,3}})\}}?",
    re.IGNORECASE,
)


_BRACKETS = re.compile(r"\[[^\[\]]*\]|\[(?:\s*\[[^\[\]]*\]\s*,?)*\s*\]")


def asked_parts(text: str) -> tuple[list[str], dict[str, int]]:
    """The parts asked, in the question's order, and the unit (as written) named for a part."""
    asked: list[str] = []
    units: dict[str, int] = {}
    for sentence in _SENTENCE.split(_BRACKETS.sub("[]", text)):
        verb = _ASKS.search(sentence)
        if verb is None and not sentence.strip().endswith("?"):
            continue
        question = sentence[verb.start() :] if verb else sentence  # skip "Given a = [...]," before it
        if not any(p.search(question) for _, p in _PART_PATTERNS):
            question = sentence
        for clause in _CLAUSE.split(question):
            name = _clause_part(clause)
            if name is None:
                continue
            if name not in asked:
                asked.append(name)
            unit = _UNIT_NAMED.search(clause)
            if unit and name in ("expected_value", "test_output"):
                units[name] = _items(unit.group(0))[0]
    return asked, units


def _clause_part(clause: str) -> str | None:
    """The one part a clause asks for; a factor asked "at test time" is the test-time factor."""
    name = next((name for name, pattern in _PART_PATTERNS if pattern.search(clause)), None)
    if name == "scale" and _PATTERN["test_output"].search(clause):
        return "test_scale"
    if name == "test_output" and _PATTERN["scale"].search(clause):
        return "test_scale"
    return name


# ---------------------------------------------------------------- random draws as a mask

_LESS = r"(?:<|less\s+than|below|smaller\s+than|under)"
_DRAWS_KEEP_BELOW = re.compile(
    rf"{_LESS}\s*(?:the\s+)?(?:keep|p_keep|1\s*-\s*p)|(?:keep|kept|retain)\w*[^.]{{0,50}}?{_LESS}",
    re.IGNORECASE,
)
_DRAWS_DROP_BELOW = re.compile(
    rf"(?:drop|zero)\w*[^.]{{0,50}}?{_LESS}\s*(?:the\s+)?(?:p\b|drop|dropout\s+rate|rate)", re.IGNORECASE
)


def draws_rule(text: str) -> str | None:
    """How draws become a mask: `keep_below` (kept when u < keep_prob), `drop_below` (dropped when u < p)."""
    if _DRAWS_KEEP_BELOW.search(text):
        return "keep_below"
    if _DRAWS_DROP_BELOW.search(text):
        return "drop_below"
    return None


def mask_from_draws(draws: Grid, drop: float, rule: str) -> Grid:
    """Threshold uniform draws into a 0/1 mask."""
    keep = 1.0 - drop
    if rule == "keep_below":
        return tuple(tuple(1.0 if u < keep else 0.0 for u in row) for row in draws)
    return tuple(tuple(0.0 if u < drop else 1.0 for u in row) for row in draws)
