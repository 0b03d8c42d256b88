"""What labels and captions say: which axis holds the actual classes, and which class is positive.

`split_label` separates an axis word from a class name ("Predicted: No Cancer"); `caption_axes`
reads sentences such as "rows are actual classes"; `choose_positive` picks the positive one of
two class names and says how it decided.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PRED_WORD = re.compile(
    r"\b(?:predicted|predictions?|pred|y_?pred|y_?hat|ŷ|classified(?:\s+as)?|model(?:'s)?\s+(?:output|prediction|says)"
    r"|outputs?|forecast(?:ed)?|test(?:\s+(?:result|outcome))?(?=\s*(?:[+-]|pos|neg|positive|negative|:|$)))(?![\w])",
    re.IGNORECASE,
)
_ACTUAL_WORD = re.compile(
    r"\b(?:actual(?:ly)?|ground[\s-]*truth|truth|gold|observed|real|reference|target|y_?true"
    r"|true\s+(?:class(?:es)?|labels?|values?|conditions?|outcomes?|status|diagnosis))(?![\w])",
    re.IGNORECASE,
)
_BARE_TRUE = re.compile(r"\btrue\b", re.IGNORECASE)
_LABEL_NOISE = re.compile(r"\b(?:class(?:es)?|labels?|values?|is|are)\b|[:=()\[\]{}|/\\↓→←↑*]", re.IGNORECASE)
SKLEARN = re.compile(r"scikit[\s-]?learn|sklearn|confusion_matrix\s*\(|\.ravel\(\)", re.IGNORECASE)


def split_label(label: str) -> tuple[str | None, str]:
    """`Predicted: No Cancer` → ("predicted", "No Cancer"); `Cancer` → (None, "Cancer")."""
    axis: str | None = None
    rest = label
    for word, pattern in (("predicted", PRED_WORD), ("actual", _ACTUAL_WORD)):
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


def other_axis(axis: str) -> str:
    return "actual" if axis == "predicted" else "predicted"


# ---------------------------------------------------------------- which axis is actual

_DIMENSION = re.compile(
    r"\b(?P<d>rows?|columns?|cols?|y[\s-]?axis|x[\s-]?axis|vertical\s+axis|horizontal\s+axis)\b",
    re.IGNORECASE,
)
_WINDOW_END = re.compile(r"[.;\n,)]|\band\b|\bwhile\b|\bwhereas\b|\brows?\b|\bcolumns?\b", re.IGNORECASE)
_CAPTION_WORD = re.compile(rf"{PRED_WORD.pattern}|{_ACTUAL_WORD.pattern}|\btrue\b", re.IGNORECASE)


def _axis_of(word: str) -> str:
    return "predicted" if PRED_WORD.fullmatch(word.strip()) else "actual"


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
            if re.search(
                r"\b(?:in|along|on|down|across|as|by|over|label)\s+(?:the\s+)?$", before, re.IGNORECASE
            ):
                words = list(_CAPTION_WORD.finditer(before))
                found = words[-1] if words else None
        if found is not None:
            axis = _axis_of(found.group(0))
            claims.add(axis if is_rows else other_axis(axis))
    return claims


def corner_axis(corner: str) -> str | None:
    """What the rows hold, from a table's corner cell: `Actual \\ Predicted`, `Predicted →`."""
    words = [(m.start(), _axis_of(m.group(0))) for m in _CAPTION_WORD.finditer(corner)]
    if not words:
        return None
    for pos, axis in words:
        arrow = corner[pos : pos + 30]
        if "↓" in arrow.split("→")[0]:
            return axis
        if "→" in arrow.split("↓")[0]:
            return other_axis(axis)
    return words[0][1]


def table_axes(row_labels: Sequence[str], col_labels: Sequence[str], header: str, corner: str) -> set[str]:
    """What a table's own labels say the rows hold ("actual" / "predicted")."""
    claims = {a for a in (split_label(label)[0] for label in row_labels) if a}
    col_axes = {split_label(label)[0] for label in (*col_labels, header)}
    claims |= {other_axis(a) for a in col_axes if a}
    corner_claim = corner_axis(corner)
    if corner_claim:
        claims.add(corner_claim)
    return claims


# ---------------------------------------------------------------- which class is positive

NEGATED = re.compile(
    r"\b(?:no|not|non|none|without|absent|negative|neg|healthy|benign|normal|ham|legit(?:imate)?|genuine|false"
    r"|clean|n|other|rest)\b|non-|-free\b|^\s*(?:-|0|-1)\s*$",
    re.IGNORECASE,
)
_MARKED_POSITIVE = re.compile(
    r"\b(?:yes|y|positive|pos|true|present|spam|fraud\w*|sick|ill|malignant|disease\w*|defective|cancer\w*"
    r"|infected|1)\b|^\s*\+\s*$",
    re.IGNORECASE,
)
_STATED_POSITIVE = (
    re.compile(
        r"positive\s+(?:class|label)\s*(?:is|=|:|being)\s*[\"'“‘]?(?P<c>[\w+-]+(?:\s+[\w+-]+)?)",
        re.IGNORECASE,
    ),
    re.compile(r"pos_label\s*=\s*[\"']?(?P<c>[\w+-]+)", re.IGNORECASE),
    re.compile(
        r"(?:treat|take|consider|regard|count)\w*\s+[\"'“‘]?(?P<c>[\w+ -]{1,20}?)[\"'”’]?"
        r"\s+as\s+(?:the\s+)?positive",
        re.IGNORECASE,
    ),
    re.compile(
        r"[\"'“‘]?(?P<c>[\w+-]+(?:\s+[\w+-]+)?)[\"'”’]?\s+(?:is|as)\s+(?:the\s+)?positive\s+(?:class|label)",
        re.IGNORECASE,
    ),
)


def same_class(a: str, b: str) -> bool:
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
                i for i, n in enumerate(names) if same_class(n, stated) or same_class(n, stated.split()[-1])
            ]
            if len(hits) == 1:
                return hits[0], "stated"
    if len(names) != 2:
        return 0, "assumed"
    negated = [bool(NEGATED.search(n)) for n in names]
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
