"""Which metrics a question asks for (accuracy, precision, F2, MCC, ...), and the β of an F-beta score."""

from __future__ import annotations

import re
from fractions import Fraction

from solvers.confusion_facts import ALL, exact
from solvers.errors import InvalidQuestion, NotUnderstood

# The cells each metric is computed from.
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
        # `F1`, `F_2`, `F-beta`, scikit-learn's `f1_score` and `fbeta_score(..., beta=2)`
        r"(?<![\w])F[_-]?\{?\s*(?:\d+(?:\.\d+)?|\.\d+|β|beta)\s*\}?(?:_score\b|(?![\w]|\.\d))"
        r"|\bf[\s-]?(?:scores?|measures?)\b",
    ),
)
_NOT_ASKED = re.compile(
    r"harmonic\s+mean\s+of\s+(?:the\s+)?precision\s+and\s+recall|precision[\s-]+recall\s+(?:curves?|trade[\s-]?offs?)"
    r"|trade[\s-]?offs?\s+between\s+precision\s+and\s+recall|balanc\w*\s+(?:between\s+)?(?:the\s+)?precision\s+and\s+recall",
    re.IGNORECASE,
)
_BETA = re.compile(
    r"(?:β|beta)\s*(?:=|:|of|is|equal\s+to|equals)\s*(?P<v>\d+(?:\.\d+)?|\.\d+)", re.IGNORECASE
)
_F_INDEX = re.compile(r"F[_-]?\{?\s*(?P<b>\d+(?:\.\d+)?|\.\d+|β|beta)", re.IGNORECASE)


def read_asked(text: str) -> tuple[tuple[str, ...], Fraction | None, bool]:
    """The metrics named in the question, in order; β for an F-beta score; False when none is named."""
    masked = _NOT_ASKED.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, str]] = []
    betas: set[Fraction] = set()
    stated_beta = _BETA.search(text)
    for name, pattern in _METRIC_NAMES:
        for match in re.finditer(pattern, masked, re.IGNORECASE):
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
            beta = exact(beta_text)
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
