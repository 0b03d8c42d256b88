"""What one phrase of a story says about the cases it counts: class, prediction, correctness.

"80 healthy patients were flagged" is actual negative, predicted positive; "of which 75 are
actually spam" is actual positive inside the set before it. `Cases.cells` turns that
into the cells the count covers.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass

from solvers.errors import NotUnderstood

ALL = frozenset(("tp", "fp", "fn", "tn"))  # as `confusion_facts.ALL`, which reads class words from here

# Conditions screening questions name: "80 have diabetes", "of the 920 without diabetes".
_CONDITION = (
    r"disease|condition|cancer|illness|infection|tumou?r|diabetes|covid(?:-?19)?|hiv|flu|influenza|tuberculosis"
    r"|malaria|pneumonia|hepatitis|dementia|alzheimer'?s|depression|melanoma|sepsis|glaucoma"
)
_POS_CLASS = (
    rf"sick|ill|diseased|infected|diabetic|(?:ha(?:ve|s|d)|with)\s+(?:the\s+|a\s+)?(?:{_CONDITION})"
    r"|cancerous|cancer|malignant|spam|fraud(?:ulent)?|defective|faulty|positives?|disease"
)
_NEG_CLASS = (
    r"healthy|(?:disease|cancer|tumou?r|infection|fraud)[\s-]*free"
    rf"|without\s+(?:the\s+|a\s+|any\s+)?(?:{_CONDITION})"
    rf"|(?:do|does|did)(?:\s+not|n't)\s+have\s+(?:the\s+|a\s+|any\s+)?(?:{_CONDITION})"
    r"|not\s+(?:sick|ill|infected|diseased|spam|fraud\w*|defective|faulty)"
    r"|non[\s-]?(?:spam|fraud\w*|defective|diseased|infected|cancerous|diabetic)"
    r"|without\s+it|no\s+(?:disease|cancer|tumou?r)|uninfected|benign|ham|legitimate|legit|genuine|normal|negatives?|clean"
)
MASKS = re.compile(
    r"\b(?:spam|fraud|cancer|disease|anomaly|intrusion|malware)[\s-]+(?:filters?|detectors?|detection|classifiers?|models?"
    r"|tests?|screening|systems?|checkers?|scanners?|predictions?)\b(?!\s+(?:positive|negative))|\b(?:screen|test|check)\w*\s+for\s+(?:the\s+|a\s+)?\w+"
    r"|\b(?:positive|negative)\s+class\b|\b(?:true|false)[\s-]+(?:positive|negative)s?\b",
    re.IGNORECASE,
)
_AS_CLASS = re.compile(
    r"\b(?:as|to\s+be|being|predict(?:s|ed)?|diagnos(?:e|es|ed)\s+with|classif(?:y|ies|ied)|label(?:l?ed|s)?)\s+"
    rf"(?:as\s+)?(?:being\s+|having\s+|a\s+|an\s+)?['\"‘“]?(?:(?P<neg>{_NEG_CLASS})|(?P<pos>{_POS_CLASS}))\b",
    re.IGNORECASE,
)
_FALSE_ALARM = re.compile(r"\bfalse\s+alarms?\b|\bfalse\s+positives?\b", re.IGNORECASE)
_TEST_POS = re.compile(
    r"\btest(?:s|ed)?\s+positive\b|\btest\s+(?:is|was|comes\s+back|came\s+back|returns?|returned)\s+positive\b|\bpositive\s+(?:tests?|results?|diagnos\w+|predictions?)\b|\bpositive\s+for\b",
    re.IGNORECASE,
)
_TEST_NEG = re.compile(
    r"\btest(?:s|ed)?\s+negative\b|\btest\s+(?:is|was|comes\s+back|came\s+back|returns?|returned)\s+negative\b|\bnegative\s+(?:tests?|results?|diagnos\w+|predictions?)\b|\bnegative\s+for\b",
    re.IGNORECASE,
)
_PRED_NEG = re.compile(
    r"\b(?:miss(?:es|ed)?|cleared|fail(?:s|ed)?\s+to\s+(?:detect|flag|catch|identify|spot)|not\s+(?:flagged|detected|caught)"
    r"|let\s+through|passed|overlooked)\b",
    re.IGNORECASE,
)
_PRED_POS = re.compile(
    r"\b(?:flag(?:s|ged)?|detect(?:s|ed)?|catch(?:es)?|caught|alert(?:s|ed)?|rais(?:e|es|ed)\s+(?:an\s+)?alarms?|blocked|spotted)\b",
    re.IGNORECASE,
)
_INCORRECT = re.compile(
    r"\b(?:incorrect(?:ly)?|wrong(?:ly)?|mistaken(?:ly)?|falsely|erroneous(?:ly)?|misclassif\w+|in\s+error)\b",
    re.IGNORECASE,
)
_CORRECT = re.compile(r"\b(?:correct(?:ly)?|right(?:ly)?|accurate(?:ly)?|properly)\b", re.IGNORECASE)
_IDENTIFY = re.compile(r"\b(?:identif\w*|recogni[sz]\w*)\b", re.IGNORECASE)
POS_WORD = re.compile(rf"\b(?:{_POS_CLASS})\b", re.IGNORECASE)
NEG_WORD = re.compile(rf"\b(?:{_NEG_CLASS})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Cases:
    """Which cases a phrase counts; None where it does not say."""

    actual: bool | None = None  # True: actually positive
    predicted: bool | None = None  # True: predicted positive
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


def combine(base: Cases, own: Cases, strict: bool) -> Cases:
    """A phrase inside a set: "of which 75 are spam" must agree with the set (`strict`); "out of 200
    frauds, ..." only sets what the later phrases leave open."""
    merged: list[bool | None] = []
    for outer, inner in zip(astuple(base), astuple(own), strict=True):
        if strict and outer is not None and inner is not None and outer != inner:
            raise NotUnderstood("the wording contradicts itself about one of the counts")
        merged.append(outer if inner is None else inner)
    return Cases(*merged)


def cases_in(words: str) -> Cases:
    """Which class, which prediction, and whether it was right, as one phrase of a story says."""
    alarm = bool(_FALSE_ALARM.search(words))
    words = MASKS.sub(" ", _FALSE_ALARM.sub(" ", words))
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
    negative, positive = NEG_WORD.search(words), POS_WORD.search(NEG_WORD.sub(" ", words))
    if negative and positive:
        raise NotUnderstood(f"could not tell which class “{words.strip()}” is about")
    actual = True if positive else False if negative else None
    return Cases(actual, predicted, correct)
