"""Lists of true and predicted labels (`y_true = [1, 0, 1]`, `actual: spam ham spam`), counted into cells."""

from __future__ import annotations

import re
from fractions import Fraction

from solvers.confusion_facts import CELLS, COUNT, Counts, Reading, exact
from solvers.confusion_labels import NEGATED, choose_positive, positive_convention
from solvers.errors import InputTooLarge, InvalidQuestion, NotUnderstood
from solvers.limits import MAX_ENTRIES

_LIST_NAME_PRED = re.compile(r"pred|ŷ|y_?hat|\\hat|output|classifier|model|forecast", re.IGNORECASE)
_LIST_NAME_TRUE = re.compile(r"true|actual|truth|gold|target|label|observed|\by\b|^y$|real", re.IGNORECASE)
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
_NUMERIC = re.compile(rf"^\s*{COUNT}\s*$")


def _list_items(body: str) -> list[str] | None:
    """Class labels: integers (`1`, `1.0`, `-1`) or short words; None for anything else."""
    items = [item.strip().strip("'\"").strip() for item in re.split(r"[,\s]+", body.strip()) if item.strip()]
    if len(items) > MAX_ENTRIES:
        raise InputTooLarge(f"a list has {len(items)} entries; at most {MAX_ENTRIES} are read")
    if all(_NUMERIC.match(i) for i in items):
        numbers = [exact(i) for i in items]
        return [str(n) for n in numbers] if all(n.denominator == 1 for n in numbers) else None
    return items if all(len(i) <= 20 and not _NUMERIC.match(i) for i in items) else None


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
    """Count each (true, predicted) pair into its cell, with the positive class chosen from the labels."""
    classes = list(dict.fromkeys(y_true + y_pred))
    if len(classes) > 2:
        raise NotUnderstood(
            f"the labels have {len(classes)} classes ({', '.join(classes)}); this solver reads binary ones"
        )
    numeric = all(_NUMERIC.match(c) for c in classes)
    index, how = choose_positive(classes, text)
    positive = classes[index]
    if how != "stated" and numeric and ("1" in classes or len(classes) == 1):
        positive, how = "1", "marker"
    elif how != "stated" and len(classes) == 1 and NEGATED.search(positive):
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
