"""Which multi-class metrics a question asks for: accuracy, per-class values, macro, micro, weighted.

Each clause (a sentence or a line) is read on its own: the averaging words in it ("macro",
"weighted", "for each class", "for class dog") apply to the metric names in it ("precision and
F1"). A clause with averages but no metric asks for precision, recall and F1 under them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

METRICS = ("precision", "recall", "f1")
MODES = ("macro", "micro", "weighted")

_METRIC_WORDS: tuple[tuple[str, str], ...] = (
    ("precision", r"precisions?|positive\s+predictive\s+values?|\bPPV\b"),
    ("recall", r"recalls?|sensitivit(?:y|ies)|true\s+positive\s+rates?|\bTPR\b"),
    (
        "f1",
        r"(?<![\w])F[_-]?\{?1\}?(?:[\s-]*(?:scores?|measures?))?(?![\w.])|\bf[\s-]?(?:scores?|measures?)\b",
    ),
    ("support", r"\bsupports?\b"),
    ("accuracy", r"(?<!balanced\s)accuracy"),
)
_MODE_WORDS: tuple[tuple[str, str], ...] = (
    ("macro", r"\bmacro\b|\bmacro[\s-]*(?:averag\w*|avg)|\bunweighted\s+(?:mean|average)"),
    ("micro", r"\bmicro\b|\bmicro[\s-]*(?:averag\w*|avg)"),
    ("weighted", r"(?<!un)\bweighted\b|support[\s-]+weighted"),
)
_PER_CLASS = re.compile(
    r"\bper[\s-]+(?:class|category|label)\b|\bclass[\s-]*wise\b|\b(?:for|of|in)\s+(?:each|every|all)\s+"
    r"(?:(?:of\s+)?(?:the\s+)?(?:\w+\s+)?(?:classes|class|categories|category|labels?))|\beach\s+class(?:'s)?\b"
    r"|\bindividual\s+class(?:es)?\b",
    re.IGNORECASE,
)
_BALANCED_ACCURACY = re.compile(r"balanced\s+accuracy", re.IGNORECASE)
_REPORT = re.compile(r"classification[\s_]+report", re.IGNORECASE)
_BARE_AVERAGE = re.compile(r"\baverage[ds]?\b|\bmean\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[?!;\n]|\.(?!\d)")
AVERAGING = re.compile(
    "|".join(pattern for _, pattern in _MODE_WORDS) + "|" + _PER_CLASS.pattern, re.IGNORECASE
)

DEFAULT_ASKED = ("accuracy", "macro_precision", "macro_recall", "macro_f1")


@dataclass(frozen=True)
class Asked:
    names: tuple[str, ...]
    notes: tuple[str, ...] = ()


def asks_averages(text: str) -> bool:
    """Does the question ask for averaged (macro, micro, weighted) or per-class metrics?"""
    return bool(AVERAGING.search(text) or _REPORT.search(text))


_NEW_PHRASE = re.compile(r"\b(?:the|its|their)\b", re.IGNORECASE)
Token = tuple[str, str, bool]  # kind ("metric" | "mode"), name, whether an article opens a new phrase


def _tokens(clause: str) -> list[Token]:
    """Metric and averaging words in clause order: ("metric", "precision", False), ("mode", "macro", True)."""
    hits = [
        (m.span(), "metric", name) for name, p in _METRIC_WORDS for m in re.finditer(p, clause, re.IGNORECASE)
    ]
    hits += [
        (m.span(), "mode", name) for name, p in _MODE_WORDS for m in re.finditer(p, clause, re.IGNORECASE)
    ]
    tokens: list[Token] = []
    previous_end = 0
    for (start, end), kind, name in sorted(hits):
        tokens.append((kind, name, bool(_NEW_PHRASE.search(clause[previous_end:start]))))
        previous_end = end
    return tokens


def _runs(tokens: list[Token]) -> list[tuple[str, list[str]]]:
    """Consecutive words of one kind: `macro and weighted`, `precision and F1`; "the weighted F1 and
    the precision" is two phrases, so its precision is not weighted."""
    runs: list[tuple[str, list[str]]] = []
    for kind, name, new_phrase in tokens:
        if runs and runs[-1][0] == kind and not (kind == "metric" and new_phrase):
            if name not in runs[-1][1]:
                runs[-1][1].append(name)
        else:
            runs.append((kind, [name]))
    return runs


def _pairs(runs: list[tuple[str, list[str]]]) -> tuple[list[str], list[str], list[str]]:
    """Averages asked ("macro_f1"), metrics left without an average, metrics averaged by words after them.

    Averaging words apply to the metrics right after them ("the macro and weighted F1"), or else to
    the metrics right before them ("precision and recall, macro-averaged").
    """
    used = [False] * len(runs)
    averaged: list[str] = []
    after: list[str] = []
    for first, second in ((0, 1), (1, 0)):
        for i in range(len(runs) - 1):
            (kind_a, a), (kind_b, b) = runs[i + first], runs[i + second]
            if used[i] or used[i + 1] or kind_a != "mode" or kind_b != "metric":
                continue
            scored = [m for m in b if m in METRICS]
            if scored:
                averaged += [f"{mode}_{m}" for mode in a for m in scored]
                after += scored if first else []
                used[i] = used[i + 1] = True
    left = [
        name
        for (kind, names), u in zip(runs, used, strict=True)
        if kind == "metric" and not u
        for name in names
    ]
    bare_mode = [names for (kind, names), u in zip(runs, used, strict=True) if kind == "mode" and not u]
    averaged += [f"{mode}_{m}" for names in bare_mode for mode in names for m in METRICS]
    return averaged, left, after


def _labels_named(clause: str, labels: Sequence[str]) -> list[str]:
    """Classes a clause names: `for dog`, `the 'cat' class`, `class 2` (numbers only after "class")."""
    named = []
    for label in labels:
        word = re.escape(label)
        if label.lstrip("-").isdigit():
            pattern = rf"\b(?:class|label|category)\s+[\"'“‘]?{word}(?![\w.])"
        else:
            pattern = rf"(?<![\w-])[\"'“‘]?{word}[\"'”’]?(?![\w-])"
        if re.search(pattern, clause, re.IGNORECASE):
            named.append(label)
    return named


def per_class_name(metric: str, label: str) -> str:
    return f"{metric}[{label}]"


def _clause_names(clause: str, labels: Sequence[str]) -> tuple[list[str], str]:
    """The parts one clause asks for, and a note when an unqualified average was read as macro."""
    averaged, left, after = _pairs(_runs(_tokens(clause)))
    names: list[str] = ["accuracy"] if "accuracy" in left else []
    scored = [m for m in left if m in METRICS]
    per_class = bool(_PER_CLASS.search(clause))
    named = _labels_named(clause, labels) if left else []
    note = ""
    if scored and not averaged and not per_class and not named and _BARE_AVERAGE.search(clause):
        averaged, note = (
            [f"macro_{m}" for m in scored],
            "An average without a kind is read as the macro average.",
        )
        scored = []
    names += averaged
    wanted = [*scored, *(after if per_class else []), *(["support"] if "support" in left else [])]
    if wanted:
        names += [per_class_name(metric, label) for metric in wanted for label in (named or labels)]
    return names, note


def read_asked(text: str, labels: Sequence[str]) -> Asked:
    """The parts asked, in the order of `ORDER`; the default set (stated in a note) when none is named."""
    text = _BALANCED_ACCURACY.sub("macro-averaged recall", text)
    if _REPORT.search(text):
        names = ["accuracy"]
        names += [per_class_name(m, label) for m in METRICS for label in labels]
        names += [f"{mode}_{m}" for mode in ("macro", "weighted") for m in METRICS]
        return Asked(tuple(names), ("A classification report: per-class, macro and weighted values.",))
    found: list[str] = []
    notes: list[str] = []
    for clause in _CLAUSE_END.split(text):
        names, note = _clause_names(clause, labels)
        found += names
        notes += [note] if note else []
    if not found:
        return Asked(
            DEFAULT_ASKED,
            ("No metric is named; accuracy and the macro-averaged precision, recall and F1 are given.",),
        )
    return Asked(tuple(sorted(dict.fromkeys(found), key=order_key(labels))), tuple(dict.fromkeys(notes)))


def order_key(labels: Sequence[str]) -> Callable[[str], tuple[int, int]]:
    """Accuracy, the per-class values (metric by metric, classes in order), then macro, micro, weighted."""
    index = {label: i for i, label in enumerate(labels)}
    families = ("accuracy", *METRICS, "support", *MODES)

    def key(name: str) -> tuple[int, int]:
        if "[" in name:
            metric, label = name[:-1].split("[", 1)
            return 1 + families.index(metric), index.get(label, 0)
        if name == "accuracy":
            return 0, 0
        mode, metric = name.split("_", 1)
        return 10 + MODES.index(mode), METRICS.index(metric)

    return key
