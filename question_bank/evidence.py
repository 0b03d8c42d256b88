"""Lexical evidence that one sentence states one criterion (a key point or a misconception).

Two signals, each in 0..1:

* **cues** (:class:`~question_bank.rubric.Cue`): a one-word cue matches that word's own stem
  (:data:`SINGLE_WORD`, less when the question already uses it); a phrase with one content word
  matches word for word; a cue of several content words matches in order within one clause with at
  most :data:`CUE_GAP` other content words between them (1.0), in another order within one clause
  (:data:`CUE_BAG`), or with all but one of three or more words (:data:`CUE_PARTIAL`). Compounds
  match whether written as one word, with a hyphen or with a space.
* **terms**: the weighted share of the criterion's content terms the sentence uses.

Negation (see :func:`question_bank.text.scopes`): a polar cue matched under negation, or terms
whose negation differs from the criterion's, count as a contradiction, not as support.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import cached_property

from question_bank.guards import is_bare, is_instruction, is_keyword_list
from question_bank.lexicon import OPPOSING, raw_stem, stem
from question_bank.rubric import Criterion, Cue, CueKind
from question_bank.text import Segment, Token

CUE_GAP = 2
STRICT_GAP = 2
STRICT_BAG = 0.4
CUE_BAG = 0.6
CUE_PARTIAL = 0.5
SINGLE_WORD = 0.85
SINGLE_WORD_IN_QUESTION = 0.5
ECHO_MIN_WORDS = 3
ECHO_SHARE = 0.9
"""A sentence whose content words come (this share) from the question copies it and earns nothing,
unless it states a result (:func:`states_result`)."""
FLIPPED_SHARE = 0.34
"""Share of the matched term weight found under a different negation than in the criterion that
turns term evidence into a contradiction."""


_SHAPE = re.compile(
    r"\b(?:\d+|[A-Za-z])\s*(?:[×x*]|-by-|\s+by\s+)\s*(?:\d+|[A-Za-z])\b|\[[^\]]*\d[^\]]*\]|\([^)]*\d[^)]*,[^)]*\)"
)


def states_result(segment: Segment, question_stems: frozenset[str]) -> bool:
    """Whether the sentence gives a result of its own: a number the question does not have, a vector
    or a shape ("n × m matrix"); such a sentence is an answer even when its words come from the question."""
    if any(token.word[:1].isdigit() and token.stem not in question_stems for token in segment.tokens):
        return True
    return _SHAPE.search(segment.text) is not None


@dataclass(frozen=True)
class Evidence:
    """How strongly one sentence supports, and contradicts, one criterion."""

    support: float = 0.0
    contradiction: float = 0.0


NONE = Evidence()


class SegmentView:
    """A segment prepared for matching: words in order with their scopes, stem positions, guard flags."""

    def __init__(
        self,
        segment: Segment,
        synonyms: bool = True,
        in_list: bool = False,
        question_stems: frozenset[str] = frozenset(),
    ) -> None:
        self.segment = segment
        self._stem = stem if synonyms else raw_stem
        keep = [index for index, token in enumerate(segment.tokens) if not token.function]
        self.sequence: tuple[Token, ...] = tuple(segment.tokens[index] for index in keep)
        self.negated: tuple[bool, ...] = tuple(segment.negated[index] for index in keep)
        self.clauses: tuple[int, ...] = tuple(segment.clauses[index] for index in keep)
        self.instruction = is_instruction(segment.text)
        self.keyword_list = is_keyword_list(segment) or (in_list and is_bare(segment))
        content = segment.content_stems
        self.echo = (
            len(content) >= ECHO_MIN_WORDS
            and len(content & question_stems) >= ECHO_SHARE * len(content)
            and not states_result(segment, question_stems)
        )
        self.gated = self.instruction or self.keyword_list or self.echo

    @cached_property
    def joined(self) -> tuple[str, ...]:
        """Stem of each word written together with the next one of its clause (``sub network``)."""
        words = self.sequence
        pairs = [
            self._stem(a.word + b.word) if self.clauses[i] == self.clauses[i + 1] else ""
            for i, (a, b) in enumerate(itertools.pairwise(words))
        ]
        return (*pairs, "")

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Where each stem (and each joined pair's stem) occurs in :attr:`sequence`."""
        found: dict[str, list[int]] = {}
        for index, token in enumerate(self.sequence):
            found.setdefault(token.stem, []).append(index)
        for index, joined in enumerate(self.joined):
            if joined:
                found.setdefault(joined, []).append(index)
        return found

    @cached_property
    def raw_positions(self) -> dict[str, list[int]]:
        """Where each word's own stem (no synonyms) occurs, joined pairs included."""
        found: dict[str, list[int]] = {}
        for index, token in enumerate(self.sequence):
            found.setdefault(raw_stem(token.word), []).append(index)
            if self.joined[index]:
                found.setdefault(raw_stem(token.word + self.sequence[index + 1].word), []).append(index)
        return found

    @cached_property
    def all_stems(self) -> tuple[str, ...]:
        return tuple(token.stem for token in self.segment.tokens)


def _in_order(cue: Cue, view: SegmentView, gap: int) -> list[tuple[int, int]]:
    """Spans ``(first, stop)`` of :attr:`SegmentView.sequence` where the cue's stems occur in order."""
    stems = cue.stems
    sequence, joined, clauses = view.sequence, view.joined, view.clauses
    spans: list[tuple[int, int]] = []
    for start in view.positions.get(stems[0], ()):
        cursor = start + (1 if sequence[start].stem == stems[0] else 2)
        for wanted in stems[1:]:
            found = False
            for position in range(cursor, min(len(sequence), cursor + gap + 1)):
                if clauses[position] != clauses[start]:
                    break
                if sequence[position].stem == wanted:
                    found, cursor = True, position + 1
                    break
                if joined[position] == wanted:
                    found, cursor = True, position + 2
                    break
            if not found:
                break
        else:
            spans.append((start, cursor))
    return spans


def _denied(view: SegmentView, first: int, stop: int, strict: bool = False) -> bool:
    """Whether a negator inside the span, or in front of it, denies it; ``strict``: also one just after
    it in the same clause ("large rotations are not captured")."""
    if any(view.sequence[i].negator or view.negated[i] for i in range(first, stop)):
        return True
    if not strict:
        return False
    after = range(stop, min(len(view.sequence), stop + 2))
    return any(view.sequence[i].negator and view.clauses[i] == view.clauses[stop - 1] for i in after)


def _bag(cue: Cue, view: SegmentView) -> tuple[bool, bool]:
    """Whether all stems occur in one clause (in any order), and whether all such matches are denied."""
    by_clause: dict[int, set[str]] = {}
    denied: dict[int, bool] = {}
    for wanted in cue.stems:
        for index in view.positions.get(wanted, ()):
            clause = view.clauses[index]
            by_clause.setdefault(clause, set()).add(wanted)
            denied[clause] = denied.get(clause, False) or view.negated[index]
    full = [clause for clause, found in by_clause.items() if len(found) == len(set(cue.stems))]
    return bool(full), bool(full) and all(denied[clause] for clause in full)


def _phrase(cue: Cue, view: SegmentView) -> tuple[bool, bool]:
    stems, tokens = cue.stems, view.all_stems
    width = len(stems)
    own_negator = any(stem_ in ("not", "without", "nor") for stem_ in stems)
    for start in range(len(tokens) - width + 1):
        if tokens[start : start + width] == stems:
            if own_negator:
                return True, start > 0 and view.segment.negated[start]
            return True, any(view.segment.negated[start : start + width])
    return False, False


def cue_evidence(
    cue: Cue,
    view: SegmentView,
    question_stems: frozenset[str],
    polar: bool,
    strict: bool = False,
    implied: bool = True,
) -> Evidence:
    """Support of the cue in the sentence; a denied match of a polar cue is a contradiction.

    ``strict`` (misconceptions): words in order with at most one word between them, nothing less;
    with ``implied``, the question's words of the cue may be left out (:func:`_implied_subject`).
    """
    if cue.kind is CueKind.WORD:
        places = view.raw_positions.get(cue.stems[0])
        if not places:
            return NONE
        in_question = cue.stems[0] in question_stems or stem(cue.stems[0]) in question_stems
        strength = SINGLE_WORD_IN_QUESTION if in_question else SINGLE_WORD
        denied = all(_denied(view, i, i + 1, strict) for i in places)
    elif cue.kind is CueKind.PHRASE:
        found, denied = _phrase(cue, view)
        if not found:
            return NONE
        strength = 1.0
    else:
        if strict and implied and (reduced := _implied_subject(cue, view, question_stems)) is not cue:
            whole = cue_evidence(cue, view, question_stems, polar, strict, implied=False)
            part = cue_evidence(reduced, view, question_stems, polar, strict, implied=False)
            return (
                whole if (whole.support, whole.contradiction) >= (part.support, part.contradiction) else part
            )
        present = sum(1 for wanted in cue.stems if wanted in view.positions)
        if present < len(cue.stems):
            partial = not strict and len(cue.stems) >= 3 and present == len(cue.stems) - 1
            return Evidence(CUE_PARTIAL) if partial else NONE
        spans = _in_order(cue, view, STRICT_GAP if strict else CUE_GAP)
        if spans:
            strength = 1.0
            negators = any(stem_ in ("not", "without", "nor") for stem_ in cue.stems)
            denied = not negators and all(_denied(view, first, stop, strict) for first, stop in spans)
        else:
            found, denied = _bag(cue, view)
            if not found:
                return NONE
            strength = STRICT_BAG if strict else CUE_BAG
    if denied:
        if polar or _opposes(view):
            return Evidence(0.0, strength)
        return Evidence(strength * 0.9)
    return Evidence(strength)


IMPLIED_REST = 3
"""A cue whose subject is left implicit must still match this many words."""


def _implied_subject(cue: Cue, view: SegmentView, question_stems: frozenset[str]) -> Cue:
    """The cue without its subject when that is the question's word and the sentence names it in an
    earlier clause ("dropout works because it sets random weights to zero" states "dropout sets random
    weights to zero"), at least :data:`IMPLIED_REST` words remaining; otherwise the cue itself."""
    subject = cue.stems[0]
    if subject not in question_stems or len(cue.stems) <= IMPLIED_REST or subject not in view.positions:
        return cue
    return replace(cue, stems=cue.stems[1:])


def _opposes(view: SegmentView) -> bool:
    """Whether the sentence denies an opposing word ("does not prevent", "does nothing against")."""
    return any(
        flag and raw_stem(token.word) in OPPOSING
        for token, flag in zip(view.segment.tokens, view.segment.negated, strict=True)
    ) or any(token.word == "against" for token in view.segment.tokens)


def term_evidence(criterion: Criterion, view: SegmentView) -> tuple[float, float]:
    """The weighted share of the criterion's terms in the sentence, and the share of that matched
    under a negation the criterion does not have (or without one it has)."""
    total = criterion.term_weight
    if total <= 0:
        return 0.0, 0.0
    matched = 0.0
    flipped = 0.0
    for term, weight in criterion.terms.items():
        places = view.positions.get(term)
        if not places:
            continue
        matched += weight
        if any(view.negated[i] for i in places) != (term in criterion.negated_terms):
            flipped += weight
    return matched / total, (flipped / matched if matched else 0.0)


@dataclass(frozen=True)
class Signals:
    """The lexical signals of one sentence for one criterion, before calibration."""

    cue_support: float
    cue_contradiction: float
    term_share: float
    term_flipped: float


def lexical_signals(
    criterion: Criterion, view: SegmentView, question_stems: frozenset[str], strict: bool
) -> Signals:
    """Cue support and contradiction, and (unless ``strict``: misconceptions) term share and flipped share.

    ``strict``: every cue is polar and matched strictly, and terms are not used: a misconception
    shares most of its words with the correct statement it distorts.
    """
    support = 0.0
    contradiction = 0.0
    for cue in criterion.cues:
        found = cue_evidence(cue, view, question_stems, cue.polar or strict, strict)
        support = max(support, found.support)
        contradiction = max(contradiction, found.contradiction)
    if strict:
        return Signals(support, contradiction, 0.0, 0.0)
    share, flipped = term_evidence(criterion, view)
    return Signals(support, contradiction, share, flipped)
