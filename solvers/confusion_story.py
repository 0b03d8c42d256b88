"""Counts told in a short story: "it correctly flags 80 of the 100 sick patients", "80 healthy ones test
positive".

A sentence is cut into phrases at commas and conjunctions, one number each; `cases_in` says which
cells a phrase counts, and the sets a sentence opens ("out of 900 negatives, ...", "of which ...")
carry over to the phrases inside them. Any number that cannot be placed is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from solvers.confusion_facts import COUNT, Fact, exact
from solvers.confusion_phrases import MASKS, POS_WORD, Cases, cases_in, combine
from solvers.errors import NotUnderstood

_POPULATION = re.compile(
    r"\b(?:patients|people|persons|individuals|subjects|e-?mails|messages|transactions|samples|examples|instances|cases"
    r"|images|pictures|photos|items|records|observations|points|customers|users|documents|products|units|parts|applicants"
    r"|reviews|tests|predictions|texts|files|accounts|scans|objects|participants|men|women|children|adults|animals|claims"
    r"|loans|tweets|posts|visitors|students|devices|machines|events|calls|orders|payments|components|specimens|tumou?rs"
    r"|lesions|x-rays|mammograms|biopsies|ones)\b|\bin\s+total\b|\btotal\b|\boverall\b|\baltogether\b",
    re.IGNORECASE,
)
# Where the noun phrase after "80 of the 100 ..." ends: the main verb, not one in "who have the disease".
_MAIN_VERB = re.compile(
    r"(?<!who )(?<!that )(?<!which )\b(?:is|are|was|were|have|has|had|test\w*|flag\w*|detect\w*|predict\w*"
    r"|classif\w*|identif\w*|label\w*|mark\w*|miss\w*|clear\w*|by|as)\b",
    re.IGNORECASE,
)
_VERB = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did)\b", re.IGNORECASE)
_ELLIPSIS = re.compile(rf"^\s*(?:(?:for|in|on|among|with)\b|{COUNT}\s+of\b)", re.IGNORECASE)
# "80 of them", "of which 75": the set counted just before. Not "95 of those with HIV": a qualified
# "those" is a new set of people.
_BACK_REFERENCE = re.compile(
    r"\b(?:of|among(?:st)?)\s+(?:which|whom|them|these|those)\b"
    r"(?!\s+(?:with|without|who|that|having|not|in|on)\b)",
    re.IGNORECASE,
)
_SCOPE = re.compile(
    rf"^\s*(?:out\s+of|of|among(?:st)?|from)\s+(?:the\s+|all\s+|these\s+|those\s+)?(?P<n>{COUNT})\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_SEGMENT_END = re.compile(
    r",\s*(?:and\s+|but\s+|while\s+|whereas\s+)?|\s+(?:and|but|while|whereas)\s+", re.IGNORECASE
)
_STORY_NUMBER = re.compile(r"(?<![\w.^_{])\d+(?:\.\d+)?%?(?![\w]|\.\d)")
_IGNORABLE = re.compile(
    r"\(\s*\d+\s*marks?\s*\)|\[\s*\d+\s*(?:marks?|pts?|points?)?\s*\]|\d+\s+(?:decimal\s+places?|d\.?p\.?|significant\s+(?:figures|digits)|s\.?f\.?|marks?|points?\b(?=\s*\)))"
    r"|(?:β|beta)\s*(?:=|:|of|is)\s*\d+(?:\.\d+)?|\b(?:question|q|part|exercise|problem|task)\s*\d+(?:\.\d+)*|^\s*#*\s*\d+[.)]",
    re.IGNORECASE | re.MULTILINE,
)


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
    rf"\b(?:it|they|the\s+(?:model|classifier|test|system|filter|detector|algorithm)|{COUNT})\b",
    re.IGNORECASE,
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


def _carried_over(own: Cases, words: str, previous: Cases | None) -> Cases:
    """ "... and for 95 of the others": a phrase without a verb keeps the prediction before it."""
    if (
        own.predicted is None
        and own.correct is None
        and _ELLIPSIS.match(words)
        and not _VERB.search(words)
        and previous is not None
        and (previous.predicted, previous.correct) != (None, None)
    ):
        return Cases(own.actual, previous.predicted, previous.correct)
    return own


def _whole_set(words: str, values: list[str], base: Cases, strict: bool) -> Cases:
    """What the 100 of "80 of the 100 sick patients" counts."""
    pair = re.search(
        rf"{values[0]}\s+(?:out\s+)?of\s+(?:the\s+|all\s+|these\s+|those\s+)?{values[1]}\b", words
    )
    # "40 fraudulent transactions (in total) among 1000": the 40 are named before the whole
    among = re.search(
        rf"{values[0]}\s+(?P<inner>[^.;\d]{{0,60}}?)\s*\b(?:among(?:st)?|out\s+of|in\s+a\s+total\s+of)\s+"
        rf"(?:the\s+|all\s+)?{values[1]}\b",
        words,
    )
    found = pair or among
    if found is None:
        raise NotUnderstood(f"could not tell what the numbers in “{words.strip()}” count")
    noun = _MAIN_VERB.split(words[found.end() :], maxsplit=1)[0]
    whole = combine(base, Cases(cases_in(noun).actual, None, None), strict)
    if pair is None and whole == Cases() and among is not None and _POPULATION.search(among["inner"]):
        return whole  # "40 fraudulent transactions among 1000": the 1000 are all the transactions
    if whole == Cases() and not _POPULATION.search(noun):
        raise NotUnderstood(f"could not tell what {values[1]} counts in “{words.strip()}”")
    return whole


def read_story(text: str, skip: Sequence[tuple[int, int]] = ()) -> Story:
    """Counts told in words: "it correctly flags 80 of the 100 sick patients", "80 healthy ones test
    positive". Refuses (`NotUnderstood`) any number it cannot place; `skip` spans are read already."""
    facts: list[Fact] = []
    counted: list[Cases] = []  # what each fact counts, for "of which ..." to refer back to
    position = 0
    for sentence in _SENTENCE_END.split(text):
        offset = text.find(sentence, position)
        position = offset + len(sentence)
        scope, previous = Cases(), None
        for words, values in _split_scopes(_segments(sentence, offset, skip)):
            phrase = words.strip()
            if any("%" in v or "." in v for v in values):
                raise NotUnderstood(f"“{phrase}” gives a percentage or a decimal, not a count")
            refers_back = bool(_BACK_REFERENCE.search(words)) and bool(counted)
            base = counted[-1] if refers_back else scope
            own = _carried_over(cases_in(words), words, previous)
            if len(values) == 2:
                base = _whole_set(words, values, base, refers_back)
                facts.append(Fact(base.cells(), exact(values[1]), phrase))
                counted.append(base)
            elif len(values) != 1:
                raise NotUnderstood(f"could not tell what the numbers in “{phrase}” count")
            cases = combine(base, own, refers_back)
            if cases == Cases() and not _POPULATION.search(words):
                raise NotUnderstood(f"could not tell what {values[0]} counts in “{phrase}”")
            if not cases.cells():
                raise NotUnderstood(f"“{phrase}” contradicts itself")
            facts.append(Fact(cases.cells(), exact(values[0]), phrase))
            counted.append(cases)
            previous = cases
            if _SCOPE.match(words) and own.predicted is None and own.correct is None and len(values) == 1:
                scope = cases
    named = POS_WORD.search(MASKS.sub(" ", text))
    positive = named.group(0).split()[-1].lower() if named else "positive"
    return Story(tuple(facts), "positive" if positive.startswith("positive") else positive)
