"""Reading binary confusion-matrix data: named counts, 2×2 tables, label lists and short stories.

Works on normalised text. Every reader turns what it finds into `Fact`s (a set of cells and the
count they add up to: `TP = 80` is {tp} = 80, "100 sick patients" is {tp, fn} = 100) or into a
whole `Reading`; `read_confusion` puts them together and refuses (`NotUnderstood`) whenever the
data are missing, contradict each other or could be read two ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from solvers.errors import InputTooLarge, InvalidQuestion, NotUnderstood
from solvers.limits import MAX_DIGITS, MAX_ENTRIES, MAX_TABLE_ROWS

CELLS = ("tp", "fp", "fn", "tn")
ALL = frozenset(CELLS)
Counts = dict[str, Fraction | None]

NUM = r"-?\d+(?:\.\d+)?"
_I = re.IGNORECASE

# ---------------------------------------------------------------- facts and the linear system


@dataclass(frozen=True)
class Fact:
    """The cells in `cells` add up to `value` (one cell for a named count)."""

    cells: frozenset[str]
    value: Fraction
    source: str
    span: tuple[int, int] = (0, 0)


def _fraction(text: str) -> Fraction:
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS:
        raise InputTooLarge(f"a number has {digits} digits; at most {MAX_DIGITS} are read")
    return Fraction(text.strip().rstrip("."))


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

_CELL_NAMES = {
    "tp": r"true[\s-]+positives?|TPs?",
    "fp": r"false[\s-]+positives?|FPs?|false[\s-]+alarms?|type[\s-]+I[\s-]+errors?",
    "fn": r"false[\s-]+negatives?|FNs?|type[\s-]+II[\s-]+errors?",
    "tn": r"true[\s-]+negatives?|TNs?",
}
_SET_NAMES: tuple[tuple[frozenset[str], str, str], ...] = (
    (ALL, r"total(?:\s+number\s+of\s+\w+)?|sample\s+size|(?-i:N|n)", "total"),
    (frozenset({"tp", "fn"}), r"actual(?:ly)?\s+positives?|positives?\s+\(actual\)", "actual positives"),
    (frozenset({"fp", "tn"}), r"actual(?:ly)?\s+negatives?|negatives?\s+\(actual\)", "actual negatives"),
    (frozenset({"tp", "fp"}), r"predicted\s+positives?", "predicted positives"),
    (frozenset({"fn", "tn"}), r"predicted\s+negatives?", "predicted negatives"),
)
_LINK = r"(?:=|:|≈|\bis\b|\bwas\b|\bwere\b|\bare\b|\bof\b|\bequals?\b|\bequal to\b|\bcounts?\b)"
_FILLERS = (
    r"were|are|was|is|correctly|incorrectly|wrongly|cases?|samples?|instances?|predictions?|of|them|the"
)
_NOT_OPERAND_AFTER = r"(?![\w])(?!\s*[+\-*/]\s*(?:[A-Za-z(]|\d))(?!\s+rates?\b)"


def _named_patterns(names: str) -> tuple[re.Pattern[str], ...]:
    before = (
        rf"(?<![\w])(?P<n>{names}){_NOT_OPERAND_AFTER}\s*(?:\([^()]{{0,30}}\)\s*)?"
        rf"(?:{_LINK}\s*){{0,2}}(?P<v>{NUM})(?![\w%]|\.\d)"
    )
    after = rf"(?<![\w.])(?P<v>{NUM})\s+(?:(?:{_FILLERS})\s+){{0,3}}(?:{names})(?![\w])(?!\s+rates?\b)"
    paren = rf"(?<![\w.])(?P<v>{NUM})\s*\(\s*(?:{names})\s*\)"
    return tuple(re.compile(p, _I) for p in (before, paren, after))


_CELL_PATTERNS = {cell: _named_patterns(names) for cell, names in _CELL_NAMES.items()}
_TOTAL_EXTRA = (
    re.compile(rf"(?:a\s+total\s+of|in\s+total,?|total\s+of)\s+(?P<v>{NUM})\b", _I),
    re.compile(rf"(?<![\w.])(?P<v>{NUM})\s+(?:[a-z-]+\s+){{0,2}}(?:in\s+total|overall|altogether)\b", _I),
)


def _is_operand(text: str, start: int) -> bool:
    """The name at `start` follows an arithmetic sign (`TP + FP = 160`), not a bullet (`- TP: 80`)."""
    before = text[max(0, text.rfind("\n", 0, start) + 1) : start].rstrip()
    return bool(before) and before[-1] in "+-*/" and bool(before[:-1].strip())


def named_facts(text: str) -> list[Fact]:
    """`TP = 80`, `80 true positives`, `FP: 5`, `80 (TP)`, `total = 1000`, `actual positives = 100`."""
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []

    def add(cells: frozenset[str], match: re.Match[str], label: str) -> None:
        span = match.span("v")
        if any(s <= span[0] < e for s, e in taken) or (
            "n" in match.groupdict() and _is_operand(text, match.start("n"))
        ):
            return
        taken.append(span)
        facts.append(Fact(cells, _fraction(match.group("v")), f"{label} = {match.group('v')}", span))

    for kind in range(3):  # `name = value` first, so "TP: 45 FP: 5" never reads 45 as FP
        for cell, patterns in _CELL_PATTERNS.items():
            for match in patterns[kind].finditer(text):
                add(frozenset({cell}), match, cell.upper())
    for cells, names, label in _SET_NAMES:
        named = rf"(?<![\w])(?P<n>{names})(?![\w])\s*(?:=|:|\bis\b|\bof\b)\s*(?P<v>{NUM})(?![\w%]|\.\d)"
        for match in re.finditer(named, text, _I):
            add(cells, match, label)
    for pattern in _TOTAL_EXTRA:
        for match in pattern.finditer(text):
            add(ALL, match, "total")
    return facts


# ---------------------------------------------------------------- axis words and class names

_PRED_WORD = re.compile(
    r"\b(?:predicted|predictions?|pred|y_?pred|y_?hat|ŷ|classified(?:\s+as)?|model(?:'s)?\s+(?:output|prediction|says)"
    r"|outputs?|forecast(?:ed)?|test(?:\s+(?:result|outcome))?(?=\s*(?:[+-]|pos|neg|positive|negative|:|$)))(?![\w])",
    _I,
)
_ACTUAL_WORD = re.compile(
    r"\b(?:actual(?:ly)?|ground[\s-]*truth|truth|gold|observed|real|reference|target|y_?true"
    r"|true\s+(?:class(?:es)?|labels?|values?|conditions?|outcomes?|status|diagnosis))(?![\w])",
    _I,
)
_BARE_TRUE = re.compile(r"\btrue\b", _I)
_LABEL_NOISE = re.compile(r"\b(?:class(?:es)?|labels?|values?|is|are)\b|[:=()\[\]{}|/\\↓→←↑*]", _I)


def split_label(label: str) -> tuple[str | None, str]:
    """`Predicted: No Cancer` → ("predicted", "No Cancer"); `Cancer` → (None, "Cancer")."""
    axis: str | None = None
    rest = label
    for word, pattern in (("predicted", _PRED_WORD), ("actual", _ACTUAL_WORD)):
        if pattern.search(rest):
            axis = axis or word
            rest = pattern.sub(" ", rest)
    if axis is None:
        stripped = _BARE_TRUE.sub(" ", rest)
        if _LABEL_NOISE.sub(" ", stripped).strip() and stripped != rest:
            axis, rest = "actual", stripped
    return axis, " ".join(_LABEL_NOISE.sub(" ", rest).split()).strip(" .,;-") or _sign(rest)


def _sign(text: str) -> str:
    signs = re.findall(r"(?<![\w])[+-](?![\w])", text)
    return signs[-1] if len(signs) == 1 else ""


_NEGATED = re.compile(
    r"\b(?:no|not|non|none|without|absent|negative|neg|healthy|benign|normal|ham|legit(?:imate)?|genuine|false"
    r"|clean|n|other|rest)\b|non-|-free\b|^\s*(?:-|0|-1)\s*$",
    _I,
)
_MARKED_POSITIVE = re.compile(
    r"\b(?:yes|y|positive|pos|true|present|spam|fraud\w*|sick|ill|malignant|disease\w*|defective|cancer\w*"
    r"|infected|1)\b|^\s*\+\s*$",
    _I,
)
_STATED_POSITIVE = (
    re.compile(r"positive\s+(?:class|label)\s*(?:is|=|:|being)\s*[\"'“‘]?(?P<c>[\w+-]+(?:\s+[\w+-]+)?)", _I),
    re.compile(r"pos_label\s*=\s*[\"']?(?P<c>[\w+-]+)", _I),
    re.compile(
        r"(?:treat|take|consider|regard|count)\w*\s+[\"'“‘]?(?P<c>[\w+ -]{1,20}?)[\"'”’]?"
        r"\s+as\s+(?:the\s+)?positive",
        _I,
    ),
    re.compile(
        r"[\"'“‘]?(?P<c>[\w+-]+(?:\s+[\w+-]+)?)[\"'”’]?\s+(?:is|as)\s+(?:the\s+)?positive\s+(?:class|label)",
        _I,
    ),
)


def _same_class(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def choose_positive(names: Sequence[str], text: str) -> tuple[int, str]:
    """Which of two class names is the positive one, and how it was decided.

    "stated" (the question says so), "negation" (the other label is negated: No Cancer, not spam),
    "marker" (one label is a usual positive: 1, yes, spam, sick) or "assumed" (the first).
    """
    for pattern in _STATED_POSITIVE:
        for match in pattern.finditer(text):
            stated = match.group("c").strip()
            hits = [
                i for i, n in enumerate(names) if _same_class(n, stated) or _same_class(n, stated.split()[-1])
            ]
            if len(hits) == 1:
                return hits[0], "stated"
    if len(names) != 2:
        return 0, "assumed"
    negated = [bool(_NEGATED.search(n)) for n in names]
    if negated.count(True) == 1:
        return negated.index(False), "negation"
    marked = [bool(_MARKED_POSITIVE.search(n)) for n in names]
    if marked.count(True) == 1:
        return marked.index(True), "marker"
    return 0, "assumed"


def positive_convention(positive: str, how: str) -> str:
    if how == "stated":
        return f"“{positive}” is the positive class, as the question states."
    if how == "negation":
        return f"“{positive}” is taken as the positive class (the label without a negation)."
    if how == "marker":
        return f"“{positive}” is taken as the positive class (the usual positive label)."
    return (
        "The question does not say which class is positive; "
        f"“{positive}” (listed first) is taken as positive. "
        "The other choice is accepted too."
    )


# ---------------------------------------------------------------- 2×2 tables

_TOTAL = re.compile(r"\b(?:total|sum|all|overall)\b|Σ", _I)
_CELL_NUMBER = re.compile(rf"^\s*{NUM}\s*$")


@dataclass(frozen=True)
class Grid:
    """A 2×2 block of counts with whatever labels surround it."""

    values: tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]
    row_labels: tuple[str, str]
    col_labels: tuple[str, str]
    header: str  # column headings and header lines
    corner: str  # the heading above the row labels ("Actual \\ Predicted")
    start: int
    end: int
    size: int = 2  # k for a k×k multi-class matrix (its values are then not kept)


def _number_cell(cell: str) -> Fraction | None:
    return _fraction(cell) if _CELL_NUMBER.match(cell) else None


def _trailing_numbers(cells: Sequence[str]) -> int:
    count = 0
    for cell in reversed(cells):
        if _number_cell(cell) is None:
            break
        count += 1
    return count


def _grid_from_rows(rows: list[list[str]], start: int, end: int) -> Grid | None:
    """Split rows of cells into headings, row labels and a 2×2 block (totals dropped)."""
    if len(rows) > MAX_TABLE_ROWS:
        raise InputTooLarge(f"a table has {len(rows)} rows; at most {MAX_TABLE_ROWS} are read")
    rows = [list(r) for r in rows]
    for row in rows:
        while row and not row[-1].strip():
            row.pop()
    data = [i for i, row in enumerate(rows) if _trailing_numbers(row) >= 2]
    if not data:
        return None
    first = rows[data[0]]
    if len(data) >= 3 and not "".join(first[: len(first) - _trailing_numbers(first)]).strip():
        numbers = {_number_cell(c) for c in first[-2:]}
        if numbers <= {0, 1, -1} and len(numbers) == 2:  # `| | 0 | 1 |`: class labels, not counts
            data = data[1:]
    headers = [rows[i] for i in range(len(rows)) if i < data[0]]
    body = [rows[i] for i in data]
    if len(body) == 3 and _TOTAL.search(" ".join(body[2][: len(body[2]) - _trailing_numbers(body[2])])):
        body = body[:2]
    total_col = any(row and _TOTAL.search(row[-1]) for row in headers)
    width = 3 if total_col else 2
    if len(body) != 2 or any(_trailing_numbers(row) < width for row in body):
        if len(body) >= 3 and all(_trailing_numbers(r) >= len(body) for r in body):
            return _multiclass(len(body), start, end)
        return None
    if total_col:
        body = [row[:-1] for row in body]
        headers = [row[:-1] for row in headers]
    values = tuple(
        (_number_cell(row[-2]) or Fraction(0), _number_cell(row[-1]) or Fraction(0)) for row in body
    )
    labels = tuple(" ".join(c for c in row[:-2] if c.strip()) for row in body)
    last = headers[-1] if headers else []
    col_labels = (last[-2], last[-1]) if len(last) >= 2 else ("", "")
    corner = " ".join(last[:-2]) if len(last) >= 3 else ""
    header = " ".join(
        " ".join(row if row is not last else row[-2:] if len(row) >= 3 else row) for row in headers
    )
    return Grid((values[0], values[1]), (labels[0], labels[1]), col_labels, header, corner, start, end)


_SEPARATOR = re.compile(r"^:?-{2,}:?$")


def _pipe_grids(text: str) -> list[Grid]:
    grids: list[Grid] = []
    offset = 0
    block: list[list[str]] = []
    block_start = 0
    for line in [*text.split("\n"), ""]:
        if line.count("|") >= 2:
            if not block:
                block_start = offset
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(_SEPARATOR.match(c) or not c for c in cells):
                block.append(cells)
        elif block:
            grid = _grid_from_rows(block, block_start, offset)
            if grid is not None:
                grids.append(grid)
            block = []
        offset += len(line) + 1
    return grids


_TABULAR = re.compile(r"\\begin\{(tabular|array)\}(?:\{[^{}]*\})?(.*?)\\end\{\1\}", re.DOTALL)
_MATRIX = re.compile(r"\\begin\{([pbvBV]?matrix)\}(.*?)\\end\{\1\}", re.DOTALL)
# Normalisation turns a LaTeX row break followed by a space (`\\ 5`) into `\ 5`: both split rows.
_ROW_BREAK = re.compile(r"\\\\|\\(?=\s)|\\$")
_SPAN_MACRO = re.compile(r"\\multi(?:column|row)\{[^{}]*\}\{[^{}]*\}\{([^{}]*)\}")
_RULE = re.compile(r"\\(?:hline|toprule|midrule|bottomrule|cline\{[^{}]*\})")


def _latex_rows(body: str) -> list[list[str]]:
    body = _RULE.sub(" ", _SPAN_MACRO.sub(r"\1", body))
    return [[c.strip() for c in row.split("&")] for row in _ROW_BREAK.split(body) if row.strip()]


def _latex_grids(text: str) -> list[Grid]:
    grids: list[Grid] = []
    for pattern in (_TABULAR, _MATRIX):
        for match in pattern.finditer(text):
            grid = _grid_from_rows(_latex_rows(match.group(2)), match.start(), match.end())
            if grid is not None:
                grids.append(grid)
    return grids


_NESTED = re.compile(
    rf"\[\s*\[\s*(?P<a>{NUM})[\s,]+(?P<b>{NUM})\s*\]\s*,?\s*\[\s*(?P<c>{NUM})[\s,]+(?P<d>{NUM})\s*\]\s*\]"
)
_NESTED_BIG = re.compile(r"\[\s*\[[^\[\]]*\](?:\s*,?\s*\[[^\[\]]*\]){2,}\s*\]")


def _list_grids(text: str) -> list[Grid]:
    grids = [
        Grid(
            ((_fraction(m["a"]), _fraction(m["b"])), (_fraction(m["c"]), _fraction(m["d"]))),
            ("", ""),
            ("", ""),
            "",
            "",
            m.start(),
            m.end(),
        )
        for m in _NESTED.finditer(text)
    ]
    for match in _NESTED_BIG.finditer(text):
        rows = re.findall(r"\[([^\[\]]*)\]", match.group(0))
        if {len(re.findall(NUM, row)) for row in rows} == {len(rows)}:
            grids.append(_multiclass(len(rows), match.start(), match.end()))
    return grids


def _multiclass(size: int, start: int, end: int) -> Grid:
    zero = (Fraction(0), Fraction(0))
    return Grid((zero, zero), ("", ""), ("", ""), "", "", start, end, size)


_PLAIN_ROW = re.compile(rf"^(?P<label>.*?)[\s:=]*(?P<nums>{NUM}(?:[\s,]+{NUM}){{1,3}})\s*$")
_HEADER_LINE = re.compile(r"^[^\d.?!:]*(?:\b[01]\b[^\d.?!:]*)*$")


def _plain_grids(text: str) -> list[Grid]:
    """Consecutive lines `label n1 n2` (up to two heading lines above them are kept)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and not re.search(r"[|&\[\\]", lines[j]) and _PLAIN_ROW.match(lines[j].strip()):
            j += 1
        if j - i >= 2:
            heads = [
                lines[k].strip()
                for k in range(max(0, i - 2), i)
                if lines[k].strip() and len(lines[k]) <= 60 and _HEADER_LINE.match(lines[k].strip())
            ]
            rows: list[list[str]] = [[h] for h in heads]
            for k in range(i, j):
                match = _PLAIN_ROW.match(lines[k].strip())
                assert match is not None
                rows.append([match["label"].strip(), *re.findall(NUM, match["nums"])])
            grid = _grid_from_rows(rows, offsets[i], offsets[j] - 1)
            if grid is not None:
                grids.append(grid)
        i = max(j, i + 1)
    return grids


_CONFUSION_WORDS = re.compile(
    r"confusion|contingency|error\s+matrix|classification\s+(?:table|matrix)|\b(?:TP|FP|FN|TN)\b", _I
)


def _same_classes(grid: Grid) -> bool:
    """Rows and columns name the same two classes (`| | Cat | Dog |` over rows Cat, Dog)."""
    rows = {split_label(label)[1].lower() for label in grid.row_labels}
    cols = {split_label(label)[1].lower() for label in grid.col_labels}
    return len(rows) == 2 and "" not in rows and rows == cols


def find_grids(text: str) -> list[Grid]:
    """Every square block of counts (markdown pipes, LaTeX, nested lists, plain rows) that reads as a
    confusion matrix: labelled Predicted/Actual, or called a confusion matrix by the question."""
    found = _pipe_grids(text) + _latex_grids(text) + _list_grids(text) + _plain_grids(text)
    confusion = bool(_CONFUSION_WORDS.search(text) or _SKLEARN.search(text))
    if not confusion:
        found = [g for g in found if g.size == 2 and (grid_axes(g) or caption_axes(text) or _same_classes(g))]
    return sorted(found, key=lambda g: g.start)


# ---------------------------------------------------------------- which axis is actual

_DIMENSION = re.compile(
    r"\b(?P<d>rows?|columns?|cols?|y[\s-]?axis|x[\s-]?axis|vertical\s+axis|horizontal\s+axis)\b", _I
)
_WINDOW_END = re.compile(r"[.;\n,)]|\band\b|\bwhile\b|\bwhereas\b|\brows?\b|\bcolumns?\b", _I)
_CAPTION_WORD = re.compile(rf"{_PRED_WORD.pattern}|{_ACTUAL_WORD.pattern}|\btrue\b", _I)
_SKLEARN = re.compile(r"scikit[\s-]?learn|sklearn|confusion_matrix\s*\(|\.ravel\(\)", _I)


def _axis_of(word: str) -> str:
    return "predicted" if _PRED_WORD.fullmatch(word.strip()) else "actual"


def caption_axes(text: str) -> set[str]:
    """What the sentences say the rows hold ("rows are actual classes", "predictions in columns")."""
    claims: set[str] = set()
    for match in _DIMENSION.finditer(text):
        is_rows = match["d"].lower().startswith(("row", "y", "vert"))
        after = text[match.end() : match.end() + 60]
        cut = _WINDOW_END.search(after)
        after = after[: cut.start()] if cut else after
        found = _CAPTION_WORD.search(after)
        if found is None:
            before = text[max(0, match.start() - 60) : match.start()]
            before = re.split(r"[.;\n,(]|\band\b", before)[-1]
            if re.search(r"\b(?:in|along|on|down|across|as|by|over|label)\s+(?:the\s+)?$", before, _I):
                words = list(_CAPTION_WORD.finditer(before))
                found = words[-1] if words else None
        if found is not None:
            axis = _axis_of(found.group(0))
            claims.add(axis if is_rows else _other(axis))
    return claims


def _other(axis: str) -> str:
    return "actual" if axis == "predicted" else "predicted"


def _corner_axis(corner: str) -> str | None:
    words = [(m.start(), _axis_of(m.group(0))) for m in _CAPTION_WORD.finditer(corner)]
    if not words:
        return None
    for pos, axis in words:
        arrow = corner[pos : pos + 30]
        if "↓" in arrow.split("→")[0]:
            return axis
        if "→" in arrow.split("↓")[0]:
            return _other(axis)
    return words[0][1]


def grid_axes(grid: Grid) -> set[str]:
    """What the table's own labels say the rows hold ("actual" / "predicted")."""
    claims: set[str] = set()
    row_axes = {split_label(label)[0] for label in grid.row_labels} - {None}
    claims |= {a for a in row_axes if a}
    col_axes = {split_label(label)[0] for label in (*grid.col_labels, grid.header)} - {None}
    claims |= {_other(a) for a in col_axes if a}
    corner = _corner_axis(grid.corner)
    if corner:
        claims.add(corner)
    return claims


# ---------------------------------------------------------------- reading a grid


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


_LAYOUT_NAMES = r"(TP|FP|FN|TN)"
_LAYOUTS = (
    re.compile(
        rf"\[\s*\[\s*{_LAYOUT_NAMES}\s*,\s*{_LAYOUT_NAMES}\s*\]\s*,?\s*\[\s*{_LAYOUT_NAMES}\s*,\s*{_LAYOUT_NAMES}\s*\]\s*\]",
        _I,
    ),
    re.compile(
        rf"\\begin\{{[pbvBV]?matrix\}}\s*{_LAYOUT_NAMES}\s*&\s*{_LAYOUT_NAMES}\s*\\\\?\s*{_LAYOUT_NAMES}\s*&"
        rf"\s*{_LAYOUT_NAMES}\s*\\\\?\s*\\end",
        _I,
    ),
)


def stated_layout(text: str) -> tuple[str, str, str, str] | None:
    """A layout written with cell names: `[[TN, FP], [FN, TP]]`, or scikit-learn's."""
    for pattern in _LAYOUTS:
        match = pattern.search(text)
        if match and len({g.lower() for g in match.groups()}) == 4:
            a, b, c, d = (g.lower() for g in match.groups())
            return a, b, c, d
    if _SKLEARN.search(text):
        labels = re.search(r"labels\s*=\s*\[\s*(\S+?)\s*,\s*(\S+?)\s*\]", text)
        positive = re.search(r"pos_label\s*=\s*[\"']?([\w-]+)", text)
        first = labels.group(1).strip("'\"") if labels else "0"
        wanted = positive.group(1) if positive else "1"
        if first == wanted:
            return "tp", "fn", "fp", "tn"
        return "tn", "fp", "fn", "tp"
    return None


def _layout_rows(layout: tuple[str, str, str, str]) -> str:
    """What a layout's rows hold: TP and FN share a row when rows are actual classes."""
    return "actual" if {layout[0], layout[1]} in ({"tp", "fn"}, {"fp", "tn"}) else "predicted"


def _cells_for(orientation: str, pos_row: int, pos_col: int) -> dict[tuple[int, int], str]:
    """Which cell each table position holds, given the orientation and where the positive class is."""
    neg_row, neg_col = 1 - pos_row, 1 - pos_col
    if orientation == "rows_actual":
        return {
            (pos_row, pos_col): "tp",
            (pos_row, neg_col): "fn",
            (neg_row, pos_col): "fp",
            (neg_row, neg_col): "tn",
        }
    return {
        (pos_row, pos_col): "tp",
        (pos_row, neg_col): "fp",
        (neg_row, pos_col): "fn",
        (neg_row, neg_col): "tn",
    }


def _counts_of(grid: Grid, cells: dict[tuple[int, int], str]) -> Counts:
    return {cells[(i, j)]: grid.values[i][j] for i in range(2) for j in range(2)}


def _class_order(grid: Grid) -> tuple[list[str], tuple[int, int] | None]:
    """The two class names and, for each axis, where the first name sits (None: no names)."""
    rows = [split_label(label)[1] for label in grid.row_labels]
    cols = [split_label(label)[1] for label in grid.col_labels]
    if all(rows) and not _same_class(*rows):
        if all(cols) and not _same_class(*cols):
            matches = [i for i, c in enumerate(cols) if _same_class(c, rows[0])]
            return rows, (0, matches[0] if matches else 0)
        header = grid.header.lower()
        spots = [_find_word(header, name) for name in rows]
        if all(s >= 0 for s in spots) and spots[0] != spots[1]:
            return rows, (0, 0 if spots[0] < spots[1] else 1)
        return rows, (0, 0)
    if all(cols) and not _same_class(*cols):
        return cols, (0, 0)
    return [], None


def _find_word(text: str, word: str) -> int:
    """Where `word` stands alone in `text` (longer labels such as "no cancer" win over "cancer")."""
    match = re.search(rf"(?<![\w-])(?<!no )(?<!not ){re.escape(word.lower())}(?![\w-])", text)
    return match.start() if match else -1


ORIENTATION_WORDS = {
    "rows_actual": "Rows are actual classes and columns predicted classes",
    "rows_predicted": "Rows are predicted classes and columns actual classes",
}


def grid_readings(grid: Grid, text: str) -> list[Reading]:
    """The reading of a table (plus the transposed one when the orientation had to be assumed)."""
    names, order = _class_order(grid)
    labelled, stated = grid_axes(grid), caption_axes(text)
    claims = labelled | stated
    source = "as the table's labels say" if labelled else "as the question states"
    if len(claims) > 1:
        raise NotUnderstood(
            "the table's labels and the question disagree about which axis holds the actual classes; "
            "label the rows and columns as Predicted or Actual"
        )
    layout = stated_layout(text) if not names else None
    if layout is not None and claims <= {_layout_rows(layout)}:
        counts: Counts = {cell: grid.values[i // 2][i % 2] for i, cell in enumerate(layout)}
        shown = f"[[{layout[0]}, {layout[1]}], [{layout[2]}, {layout[3]}]]".upper()
        sklearn = bool(_SKLEARN.search(text))
        how = "scikit-learn's layout" if sklearn else "the stated layout"
        return [
            Reading(
                counts,
                "rows_" + _layout_rows(layout),
                "1" if sklearn else "positive",
                (f"The matrix is read in {how}: {shown}.",),
                f"Reading the matrix in {how} {shown}",
            )
        ]
    assumed = not claims
    orientation = "rows_" + (claims.pop() if claims else "actual")
    if names and order is not None:
        index, how = choose_positive(names, text)
        positive = names[index]
        pos_row, pos_col = (order[0], order[1]) if index == 0 else (1 - order[0], 1 - order[1])
        class_note = positive_convention(positive, how)
    else:
        positive, how, pos_row, pos_col = "positive", "first", 0, 0
        class_note = (
            "The table has no class names; the positive class is taken to be the first row and column."
        )
    if assumed:
        orientation_note = (
            "The table does not say which axis holds the actual classes; rows are taken as actual "
            "classes and columns as predicted ones (the common convention, also scikit-learn's). "
            "Read the other way, FP and FN swap; that reading is accepted too."
        )
    else:
        orientation_note = f"{ORIENTATION_WORDS[orientation]}, {source}."
    readings: list[Reading] = []
    for option in (orientation, "rows_predicted" if orientation == "rows_actual" else "rows_actual"):
        counts = _counts_of(grid, _cells_for(option, pos_row, pos_col))
        words = (
            ORIENTATION_WORDS[option]
            .lower()
            .replace("rows are", "rows =")
            .replace(" and columns", ", columns =")
        )
        readings.append(
            Reading(
                counts,
                option,
                positive,
                (orientation_note, class_note),
                f"Reading the table with {words} and “{positive}” as the positive class",
                orientation_assumed=assumed,
                positive_assumed=how == "assumed",
            )
        )
    return readings


# ---------------------------------------------------------------- lists of true and predicted labels

_LIST_NAME_PRED = re.compile(r"pred|ŷ|y_?hat|\\hat|output|classifier|model|forecast", _I)
_LIST_NAME_TRUE = re.compile(r"true|actual|truth|gold|target|label|observed|\by\b|^y$|real", _I)
_BRACKET_LIST = re.compile(
    r"(?P<name>[^\n\[\]=:;]{1,40}?)\s*(?:=|:|\bis\b|\bare\b)\s*[\[(](?P<body>[^\[\]()\n]*)[\])]"
)
_TOKEN = r"[\w'\"+-]+(?:\.\d+)?"
_PLAIN_LIST = re.compile(
    rf"(?:^|(?<=[;\n]))\s*(?P<name>[^\n\[\]=:;\d]{{1,40}}?)\s*[:=]\s*"
    rf"(?P<body>(?:{_TOKEN}[ \t,]+){{2,}}{_TOKEN})"
    r"\s*(?=$|[;\n]|\.(?:\s|$))",
    re.MULTILINE,
)


def _list_items(body: str) -> list[str] | None:
    """Class labels: integers (`1`, `1.0`, `-1`) or short words; None for anything else."""
    items = [item.strip().strip("'\"").strip() for item in re.split(r"[,\s]+", body.strip()) if item.strip()]
    if len(items) > MAX_ENTRIES:
        raise InputTooLarge(f"a list has {len(items)} entries; at most {MAX_ENTRIES} are read")
    if all(_CELL_NUMBER.match(i) for i in items):
        numbers = [_fraction(i) for i in items]
        return [str(n) for n in numbers] if all(n.denominator == 1 for n in numbers) else None
    return items if all(len(i) <= 20 and not _CELL_NUMBER.match(i) for i in items) else None


def label_lists(text: str) -> tuple[list[str], list[str]] | None:
    """`y_true = [1, 0, 1]` with `y_pred = [1, 1, 0]`, or `actual: 1 0 1; predicted: 1 1 0`."""
    found: dict[str, list[list[str]]] = {"actual": [], "predicted": []}
    for pattern in (_BRACKET_LIST, _PLAIN_LIST):
        for match in pattern.finditer(text):
            name = match["name"].strip().lower()
            role = (
                "predicted"
                if _LIST_NAME_PRED.search(name)
                else "actual"
                if _LIST_NAME_TRUE.search(name)
                else None
            )
            items = _list_items(match["body"]) if role else None
            if role and items and len(items) >= 2:
                found[role].append(items)
    actual = {tuple(x) for x in found["actual"]}
    predicted = {tuple(x) for x in found["predicted"]}
    if not actual or not predicted:
        return None
    if len(actual) > 1 or len(predicted) > 1:
        raise NotUnderstood(
            "the question has more than one list of true or predicted labels; give one of each"
        )
    y_true, y_pred = list(actual.pop()), list(predicted.pop())
    if len(y_true) != len(y_pred):
        raise InvalidQuestion(
            f"the true labels ({len(y_true)}) and the predictions ({len(y_pred)}) "
            "must be lists of the same length"
        )
    return y_true, y_pred


def list_reading(y_true: list[str], y_pred: list[str], text: str) -> Reading:
    classes = list(dict.fromkeys(y_true + y_pred))
    if len(classes) > 2:
        raise NotUnderstood(
            f"the labels have {len(classes)} classes ({', '.join(classes)}); this solver reads binary ones"
        )
    numeric = all(_CELL_NUMBER.match(c) for c in classes)
    index, how = choose_positive(classes, text)
    positive = classes[index]
    if how != "stated" and numeric and ("1" in classes or len(classes) == 1):
        positive, how = "1", "marker"
    elif how != "stated" and len(classes) == 1 and _NEGATED.search(positive):
        raise NotUnderstood(f"only the class “{positive}” appears; say which class is the positive one")
    counts: Counts = dict.fromkeys(CELLS, Fraction(0))
    for t, p in zip(y_true, y_pred, strict=True):
        cell = ("t" if (t == p) else "f") + ("p" if p == positive else "n")
        counts[cell] = (counts[cell] or Fraction(0)) + 1
    note = (
        f"Label {positive} is the positive class."
        if numeric and how != "stated"
        else positive_convention(positive, how)
    )
    return Reading(
        counts,
        "labels",
        positive,
        ("Each pair (true, predicted) is counted into the four cells.", note),
        f"Counting the {len(y_true)} pairs of true and predicted labels, "
        f"with {positive} as the positive class",
        positive_assumed=how == "assumed",
    )


# ---------------------------------------------------------------- short stories

_POS_CLASS = (
    r"sick|ill|diseased|infected|(?:ha(?:ve|s|d)|with)\s+(?:the\s+|a\s+)?(?:disease|condition|cancer|illness|infection|tumou?r)"
    r"|cancerous|cancer|malignant|spam|fraud(?:ulent)?|defective|faulty|positives?|disease"
)
_NEG_CLASS = (
    r"healthy|(?:disease|cancer|tumou?r|infection|fraud)[\s-]*free"
    r"|without\s+(?:the\s+|a\s+|any\s+)?(?:disease|condition|cancer|illness|infection|tumou?r)"
    r"|(?:do|does|did)(?:\s+not|n't)\s+have\s+(?:the\s+|a\s+|any\s+)?(?:disease|condition|cancer|illness|infection)"
    r"|not\s+(?:sick|ill|infected|diseased|spam|fraud\w*|defective|faulty)|non[\s-]?(?:spam|fraud\w*|defective|diseased|infected|cancerous)"
    r"|without\s+it|no\s+(?:disease|cancer|tumou?r)|uninfected|benign|ham|legitimate|legit|genuine|normal|negatives?|clean"
)
_MASKS = re.compile(
    r"\b(?:spam|fraud|cancer|disease|anomaly|intrusion|malware)[\s-]+(?:filters?|detectors?|detection|classifiers?|models?"
    r"|tests?|screening|systems?|checkers?|scanners?|predictions?)\b(?!\s+(?:positive|negative))|\b(?:screen|test|check)\w*\s+for\s+(?:the\s+|a\s+)?\w+"
    r"|\b(?:positive|negative)\s+class\b|\b(?:true|false)[\s-]+(?:positive|negative)s?\b",
    _I,
)
_AS_CLASS = re.compile(
    r"\b(?:as|to\s+be|being|predict(?:s|ed)?|diagnos(?:e|es|ed)\s+with|classif(?:y|ies|ied)|label(?:l?ed|s)?)\s+"
    rf"(?:as\s+)?(?:being\s+|having\s+|a\s+|an\s+)?(?:(?P<neg>{_NEG_CLASS})|(?P<pos>{_POS_CLASS}))\b",
    _I,
)
_FALSE_ALARM = re.compile(r"\bfalse\s+alarms?\b|\bfalse\s+positives?\b", _I)
_TEST_POS = re.compile(
    r"\btest(?:s|ed)?\s+positive\b|\bpositive\s+(?:tests?|results?|diagnos\w+|predictions?)\b|\bpositive\s+for\b",
    _I,
)
_TEST_NEG = re.compile(
    r"\btest(?:s|ed)?\s+negative\b|\bnegative\s+(?:tests?|results?|diagnos\w+|predictions?)\b|\bnegative\s+for\b",
    _I,
)
_PRED_NEG = re.compile(
    r"\b(?:miss(?:es|ed)?|cleared|fail(?:s|ed)?\s+to\s+(?:detect|flag|catch|identify|spot)|not\s+(?:flagged|detected|caught)"
    r"|let\s+through|passed|overlooked)\b",
    _I,
)
_PRED_POS = re.compile(
    r"\b(?:flag(?:s|ged)?|detect(?:s|ed)?|catch(?:es)?|caught|alert(?:s|ed)?|rais(?:e|es|ed)\s+(?:an\s+)?alarms?|blocked|spotted)\b",
    _I,
)
_INCORRECT = re.compile(
    r"\b(?:incorrect(?:ly)?|wrong(?:ly)?|mistaken(?:ly)?|falsely|erroneous(?:ly)?|misclassif\w+|in\s+error)\b",
    _I,
)
_CORRECT = re.compile(r"\b(?:correct(?:ly)?|right(?:ly)?|accurate(?:ly)?|properly)\b", _I)
_IDENTIFY = re.compile(r"\b(?:identif\w*|recogni[sz]\w*)\b", _I)
_POS_WORD = re.compile(rf"\b(?:{_POS_CLASS})\b", _I)
_NEG_WORD = re.compile(rf"\b(?:{_NEG_CLASS})\b", _I)
_POPULATION = re.compile(
    r"\b(?:patients|people|persons|individuals|subjects|e-?mails|messages|transactions|samples|examples|instances|cases"
    r"|images|pictures|photos|items|records|observations|points|customers|users|documents|products|units|parts|applicants"
    r"|reviews|tests|predictions|texts|files|accounts|scans|objects|participants|men|women|children|adults|animals|claims"
    r"|loans|tweets|posts|visitors|students|devices|machines|events|calls|orders|payments|components|specimens|tumou?rs"
    r"|lesions|x-rays|mammograms|biopsies|ones)\b|\bin\s+total\b|\btotal\b|\boverall\b|\baltogether\b",
    _I,
)
# Where the noun phrase after "80 of the 100 ..." ends: the main verb, not one in "who have the disease".
_MAIN_VERB = re.compile(
    r"(?<!who )(?<!that )(?<!which )\b(?:is|are|was|were|have|has|had|test\w*|flag\w*|detect\w*|predict\w*"
    r"|classif\w*|identif\w*|label\w*|mark\w*|miss\w*|clear\w*|by|as)\b",
    _I,
)
_VERB = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did)\b", _I)
_ELLIPSIS = re.compile(rf"^\s*(?:(?:for|in|on|among|with)\b|{NUM}\s+of\b)", _I)
_BACK_REFERENCE = re.compile(r"\b(?:of|among(?:st)?)\s+(?:which|whom|them|these|those)\b", _I)
_SCOPE = re.compile(
    rf"^\s*(?:out\s+of|of|among(?:st)?|from)\s+(?:the\s+|all\s+|these\s+|those\s+)?(?P<n>{NUM})\b", _I
)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_SEGMENT_END = re.compile(r",\s*(?:and\s+|but\s+|while\s+|whereas\s+)?|\s+(?:and|but|while|whereas)\s+", _I)
_STORY_NUMBER = re.compile(r"(?<![\w.^_{])\d+(?:\.\d+)?%?(?![\w]|\.\d)")
_IGNORABLE = re.compile(
    r"\(\s*\d+\s*marks?\s*\)|\d+\s+(?:decimal\s+places?|d\.?p\.?|significant\s+(?:figures|digits)|s\.?f\.?|marks?|points?\b(?=\s*\)))"
    r"|(?:β|beta)\s*(?:=|:|of|is)\s*\d+(?:\.\d+)?|\b(?:question|q|part)\s*\d+|^\s*#*\s*\d+[.)]",
    _I | re.MULTILINE,
)


@dataclass(frozen=True)
class _Attrs:
    actual: bool | None = None  # True: the positive class
    predicted: bool | None = None
    correct: bool | None = None

    def cells(self) -> frozenset[str]:
        cells = set(ALL)
        for flag, yes, no in (
            (self.actual, {"tp", "fn"}, {"fp", "tn"}),
            (self.predicted, {"tp", "fp"}, {"fn", "tn"}),
            (self.correct, {"tp", "tn"}, {"fp", "fn"}),
        ):
            if flag is not None:
                cells &= yes if flag else no
        return frozenset(cells)


def _merge(base: _Attrs, own: _Attrs) -> _Attrs:
    merged = []
    for a, b in ((base.actual, own.actual), (base.predicted, own.predicted), (base.correct, own.correct)):
        if a is not None and b is not None and a != b:
            raise NotUnderstood("the wording contradicts itself about one of the counts")
        merged.append(a if b is None else b)
    return _Attrs(*merged)


def _combine(base: _Attrs, own: _Attrs, strict: bool) -> _Attrs:
    """A phrase inside a set: "of which 75 are spam" must agree with the set; "out of 200 frauds, ..." only
    sets what the later phrases leave open."""
    if strict:
        return _merge(base, own)
    return _Attrs(
        *(
            b if o is None else o
            for b, o in zip(
                (base.actual, base.predicted, base.correct),
                (own.actual, own.predicted, own.correct),
                strict=True,
            )
        )
    )


def _attrs(words: str) -> _Attrs:
    """Which class, which prediction, and whether it was right, as one phrase of a story says."""
    alarm = bool(_FALSE_ALARM.search(words))
    words = _MASKS.sub(" ", _FALSE_ALARM.sub(" ", words))
    predicted: bool | None = True if alarm else None
    for pattern, value in ((_TEST_NEG, False), (_TEST_POS, True), (_PRED_NEG, False), (_PRED_POS, True)):
        if pattern.search(words):
            predicted = value if predicted is None else predicted
            words = pattern.sub(" ", words)
    as_class = _AS_CLASS.search(words)
    if as_class:
        predicted = as_class["pos"] is not None
        words = _AS_CLASS.sub(" ", words)
    correct: bool | None = False if alarm else None
    if _INCORRECT.search(words):
        correct, words = False, _INCORRECT.sub(" ", words)
    elif _CORRECT.search(words) or (_IDENTIFY.search(words) and not as_class):
        correct = True
    negative, positive = _NEG_WORD.search(words), _POS_WORD.search(_NEG_WORD.sub(" ", words))
    if negative and positive:
        raise NotUnderstood(f"could not tell which class “{words.strip()}” is about")
    actual = True if positive else False if negative else None
    return _Attrs(actual, predicted, correct)


def _segments(sentence: str, offset: int, skip: Sequence[tuple[int, int]]) -> list[tuple[str, list[str]]]:
    """Split a sentence at commas and conjunctions; phrases without a number join a neighbour."""
    blocked = [*skip, *((m.start() + offset, m.end() + offset) for m in _IGNORABLE.finditer(sentence))]
    pieces: list[tuple[str, list[str]]] = []
    bounds = [(m.start(), m.end()) for m in _SEGMENT_END.finditer(sentence)] + [
        (len(sentence), len(sentence))
    ]
    last, pending = 0, ""
    for start, end in bounds:
        piece = sentence[last:start]
        values = [
            m.group(0)
            for m in _STORY_NUMBER.finditer(piece)
            if not any(s <= m.start() + last + offset < e for s, e in blocked)
        ]
        if values:
            pieces.append(((pending + " " + piece).strip(), values))
            pending = ""
        elif pieces:
            pieces[-1] = (pieces[-1][0] + " " + piece, pieces[-1][1])
        else:
            pending = (pending + " " + piece).strip()
        last = end
    return pieces


_SUBJECT = re.compile(
    rf"\b(?:it|they|the\s+(?:model|classifier|test|system|filter|detector|algorithm)|{NUM})\b", _I
)


def _split_scopes(pieces: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """`out of 900 negatives it predicted 850 correctly` → the set, then what happened inside it."""
    split: list[tuple[str, list[str]]] = []
    for words, values in pieces:
        scope = _SCOPE.match(words)
        if scope and len(values) == 2 and scope["n"] == values[0]:
            cut = _SUBJECT.search(words, scope.end())
            if cut is not None:
                split += [(words[: cut.start()], values[:1]), (words[cut.start() :], values[1:])]
                continue
        split.append((words, values))
    return split


@dataclass(frozen=True)
class Story:
    facts: tuple[Fact, ...]
    positive_class: str


def read_story(text: str, skip: Sequence[tuple[int, int]] = ()) -> Story:
    """Counts told in words: "it correctly flags 80 of the 100 sick patients", "80 healthy ones test
    positive". Refuses (`NotUnderstood`) any number it cannot place."""
    facts: list[Fact] = []
    kinds: list[_Attrs] = []
    position = 0
    for sentence in [*_SENTENCE_END.split(text)]:
        offset = text.find(sentence, position)
        position = offset + len(sentence)
        scope = _Attrs()
        previous: _Attrs | None = None
        for words, values in _split_scopes(_segments(sentence, offset, skip)):
            if any("%" in v or "." in v for v in values):
                raise NotUnderstood(f"“{words.strip()}” gives a percentage or a decimal, not a count")
            refers_back = bool(_BACK_REFERENCE.search(words)) and bool(kinds)
            base = kinds[-1] if refers_back else scope
            own = _attrs(words)
            if (
                own.predicted is None
                and own.correct is None
                and _ELLIPSIS.match(words)
                and not _VERB.search(words)
                and previous is not None
                and (previous.predicted, previous.correct) != (None, None)
            ):
                own = _Attrs(
                    own.actual, previous.predicted, previous.correct
                )  # "... and for 95 of the others"
            if len(values) == 2:
                pair = re.search(
                    rf"{values[0]}\s+(?:out\s+)?of\s+(?:the\s+|all\s+|these\s+|those\s+)?{values[1]}\b", words
                )
                if pair is None:
                    raise NotUnderstood(f"could not tell what the numbers in “{words.strip()}” count")
                noun = _MAIN_VERB.split(words[pair.end() :], maxsplit=1)[0]
                noun_attrs = _combine(base, _Attrs(_attrs(noun).actual, None, None), refers_back)
                if noun_attrs == _Attrs() and not _POPULATION.search(noun):
                    raise NotUnderstood(f"could not tell what {values[1]} counts in “{words.strip()}”")
                facts.append(Fact(noun_attrs.cells(), _fraction(values[1]), words.strip()))
                kinds.append(noun_attrs)
                base = noun_attrs
            elif len(values) != 1:
                raise NotUnderstood(f"could not tell what the numbers in “{words.strip()}” count")
            attrs = _combine(base, own, refers_back)
            is_scope = (
                _SCOPE.match(words) and own.predicted is None and own.correct is None and len(values) == 1
            )
            if attrs == _Attrs() and not _POPULATION.search(words):
                raise NotUnderstood(f"could not tell what {values[0]} counts in “{words.strip()}”")
            cells = attrs.cells()
            if not cells:
                raise NotUnderstood(f"“{words.strip()}” contradicts itself")
            facts.append(Fact(cells, _fraction(values[0]), words.strip()))
            kinds.append(attrs)
            previous = attrs
            if is_scope:
                scope = attrs
    named = _POS_WORD.search(_MASKS.sub(" ", text))
    positive = named.group(0).split()[-1].lower() if named else "positive"
    return Story(tuple(facts), "positive" if positive.startswith("positive") else positive)


# ---------------------------------------------------------------- which metrics are asked

METRIC_NEEDS: dict[str, frozenset[str]] = {
    "accuracy": ALL,
    "precision": frozenset({"tp", "fp"}),
    "recall": frozenset({"tp", "fn"}),
    "specificity": frozenset({"tn", "fp"}),
    "f1": frozenset({"tp", "fp", "fn"}),
    "npv": frozenset({"tn", "fn"}),
    "fpr": frozenset({"fp", "tn"}),
    "fnr": frozenset({"fn", "tp"}),
    "mcc": ALL,
    "balanced_accuracy": ALL,
    "f_beta": frozenset({"tp", "fp", "fn"}),
    "error_rate": ALL,
}
DEFAULT_ASKED = ("accuracy", "precision", "recall", "specificity", "f1")

_METRIC_NAMES: tuple[tuple[str, str], ...] = (
    ("balanced_accuracy", r"balanced[\s-]+accuracy|\bBACC\b"),
    ("npv", r"negative[\s-]+predictive[\s-]+values?|\bNPV\b"),
    ("precision", r"positive[\s-]+predictive[\s-]+values?|\bPPV\b|precision"),
    (
        "fpr",
        r"false[\s-]+positive[\s-]+rates?|\bFPR\b|fall[\s-]?out|false[\s-]+alarm[\s-]+rates?|type[\s-]+I[\s-]+error[\s-]+rates?",
    ),
    ("fnr", r"false[\s-]+negative[\s-]+rates?|\bFNR\b|miss[\s-]+rates?|type[\s-]+II[\s-]+error[\s-]+rates?"),
    ("recall", r"recall|sensitivity|true[\s-]+positive[\s-]+rates?|\bTPR\b|hit[\s-]+rates?"),
    ("specificity", r"specificity|true[\s-]+negative[\s-]+rates?|\bTNR\b|selectivity"),
    ("mcc", r"matthews(?:'s?)?(?:[\s-]+correlation(?:[\s-]+coefficient)?)?|\bMCC\b|phi[\s-]+coefficient"),
    ("error_rate", r"misclassification[\s-]+(?:rate|error)|error[\s-]+rate"),
    ("accuracy", r"accuracy"),
    (
        "f",
        r"(?<![\w])F[_-]?\{?\s*(?:\d+(?:\.\d+)?|\.\d+|β|beta)\s*\}?(?![\w]|\.\d)|\bf[\s-]?(?:scores?|measures?)\b",
    ),
)
_NOT_ASKED = re.compile(
    r"harmonic\s+mean\s+of\s+(?:the\s+)?precision\s+and\s+recall|precision[\s-]+recall\s+(?:curves?|trade[\s-]?offs?)"
    r"|trade[\s-]?offs?\s+between\s+precision\s+and\s+recall|balanc\w*\s+(?:between\s+)?(?:the\s+)?precision\s+and\s+recall",
    _I,
)
_BETA = re.compile(r"(?:β|beta)\s*(?:=|:|of|is|equal\s+to|equals)\s*(?P<v>\d+(?:\.\d+)?|\.\d+)", _I)
_F_INDEX = re.compile(r"F[_-]?\{?\s*(?P<b>\d+(?:\.\d+)?|\.\d+|β|beta)", _I)


def read_asked(text: str) -> tuple[tuple[str, ...], Fraction | None, bool]:
    """The metrics named in the question, in order; β for an F-beta score; False when none is named."""
    masked = _NOT_ASKED.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, str]] = []
    betas: set[Fraction] = set()
    stated_beta = _BETA.search(text)
    for name, pattern in _METRIC_NAMES:
        for match in re.finditer(pattern, masked, _I):
            masked = masked[: match.start()] + " " * (match.end() - match.start()) + masked[match.end() :]
            if name != "f":
                found.append((match.start(), name))
                continue
            index = _F_INDEX.match(match.group(0))
            beta_text = index["b"] if index else ("β" if stated_beta else "1")
            if beta_text.lower() in ("β", "beta"):
                if stated_beta is None:
                    raise NotUnderstood("the question asks for an F-beta score but does not give β")
                beta_text = stated_beta["v"]
            beta = _fraction(beta_text)
            if beta <= 0:
                raise InvalidQuestion("β of an F-beta score must be positive")
            if beta == 1:
                found.append((match.start(), "f1"))
            else:
                betas.add(beta)
                found.append((match.start(), "f_beta"))
    if len(betas) > 1:
        raise NotUnderstood("the question asks for F-scores with two different β; ask for one at a time")
    asked = tuple(dict.fromkeys(name for _, name in sorted(found)))
    return (asked or DEFAULT_ASKED), (betas.pop() if betas else None), bool(asked)


# ---------------------------------------------------------------- putting it together


@dataclass(frozen=True)
class Parsed:
    reading: Reading
    asked: tuple[str, ...]
    beta: Fraction | None
    notes: tuple[str, ...] = ()


def _normalised_per_class(grid: Grid) -> bool:
    (a, b), (c, d) = grid.values
    if all(v.denominator == 1 for v in (a, b, c, d)):
        return False
    return (a + b == 1 and c + d == 1) or (a + c == 1 and b + d == 1)


def _distinct(grids: Sequence[Grid]) -> list[Grid]:
    seen: dict[tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]], Grid] = {}
    for grid in grids:
        seen.setdefault(grid.values, grid)
    return list(seen.values())


def _grid_reading(grid: Grid, text: str, facts: Sequence[Fact]) -> Reading:
    readings = grid_readings(grid, text)
    if not facts:
        return readings[0]
    agreeing = [r for r in readings if agrees(r.counts, facts)]
    if not readings[0].orientation_assumed:
        agreeing = agreeing[:1] if agreeing and agreeing[0] is readings[0] else []
    if not agreeing:
        listed = "; ".join(f.source for f in facts)
        raise NotUnderstood(f"the table and the counts stated in the text ({listed}) disagree")
    chosen = agreeing[0]
    if chosen.orientation_assumed and len(agreeing) == 1:
        note = (
            f"{ORIENTATION_WORDS[chosen.orientation]}: "
            "the reading that agrees with the counts the question states."
        )
        return Reading(
            chosen.counts,
            chosen.orientation,
            chosen.positive_class,
            (note, *chosen.conventions[1:]),
            chosen.description,
            positive_assumed=chosen.positive_assumed,
        )
    return chosen


def _counts_reading(text: str, facts: Sequence[Fact], needed: frozenset[str]) -> Reading:
    counts = solve_facts(facts) if facts else dict.fromkeys(CELLS)
    if any(counts[c] is None for c in needed):
        try:
            story = read_story(text, [f.span for f in facts])
        except NotUnderstood as reason:
            if facts:
                return Reading(
                    counts,
                    "counts",
                    "positive",
                    ("The counts TP, FP, FN and TN are read as stated.",),
                    "Reading the counts stated in the question",
                )
            raise NotUnderstood(
                "could not read confusion-matrix counts from the question: "
                f"{reason.message}. Give TP, FP, FN and TN, a 2×2 table labelled Predicted/Actual, "
                "or lists of true and predicted labels",
                suggestions=["TP = 80, FP = 80, FN = 20, TN = 820. Compute precision and recall."],
            ) from None
        counts = solve_facts([*facts, *story.facts])
        if story.facts:
            return Reading(
                counts,
                "counts",
                story.positive_class,
                (
                    "The counts are read from the wording, "
                    f"with “{story.positive_class}” as the positive class.",
                ),
                "Reading the counts from the wording: " + "; ".join(f.source for f in story.facts),
                told_in_words=True,
            )
    return Reading(
        counts,
        "counts",
        "positive",
        ("The counts TP, FP, FN and TN are read as stated.",),
        "Reading the counts stated in the question",
    )


def read_confusion(text: str) -> Parsed:
    """Counts, orientation, positive class and the metrics asked; refuses what it cannot read for sure."""
    asked, beta, explicit = read_asked(text)
    needed = frozenset().union(*(METRIC_NEEDS[m] for m in asked))
    facts = named_facts(text)
    lists = label_lists(text)
    grids = _distinct(find_grids(text)) if lists is None else []
    if any(g.size > 2 for g in grids):
        size = max(g.size for g in grids)
        raise NotUnderstood(
            f"this is a {size}×{size} (multi-class) confusion matrix; this solver reads binary (2×2) ones"
        )
    if len(grids) > 1:
        raise NotUnderstood(
            f"the question has {len(grids)} different confusion matrices; ask about one at a time"
        )
    if lists is not None:
        reading = list_reading(*lists, text)
        if facts and not agrees(reading.counts, facts):
            raise NotUnderstood("the label lists and the counts stated in the text disagree")
    elif grids:
        if _normalised_per_class(grids[0]):
            raise NotUnderstood(
                "the matrix is normalised per class (each row or column sums to 1); precision and accuracy "
                "need the counts, or the number of examples in each class"
            )
        reading = _grid_reading(grids[0], text, facts)
    else:
        reading = _counts_reading(text, facts, needed)
    counts = reading.counts
    if any(v is not None and v < 0 for v in counts.values()):
        raise InvalidQuestion("confusion-matrix counts cannot be negative")
    known = frozenset(c for c in CELLS if counts[c] is not None)
    notes: tuple[str, ...] = ()
    if not needed <= known:
        missing = ", ".join(c.upper() for c in CELLS if c in needed - known)
        if explicit or not {"tp", "fp", "fn"} <= known:
            lacking = [m.replace("_", " ") for m in asked if not METRIC_NEEDS[m] <= known]
            names = " and ".join(filter(None, (", ".join(lacking[:-1]), lacking[-1])))
            raise NotUnderstood(
                f"the question does not give {missing}, which {names} need{'s' if len(lacking) == 1 else ''}"
                if explicit
                else f"the question does not give {missing}: the confusion matrix needs TP, FP, FN and TN"
            )
        asked = tuple(m for m in asked if METRIC_NEEDS[m] <= known)
        notes = (f"{missing} is not given, so only {', '.join(asked)} can be computed.",)
    if all(counts[c] == 0 for c in known):
        raise InvalidQuestion("every count is zero: there is nothing to evaluate")
    return Parsed(reading, asked, beta, notes)
