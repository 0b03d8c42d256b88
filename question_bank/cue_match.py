"""Whether one sentence states one cue (:class:`~question_bank.rubric.Cue`), and how strongly.

A one-word cue matches that word's own stem (:data:`SINGLE_WORD`, less when the question already uses
it); a phrase with one content word matches word for word; a cue of several content words matches in
order within one clause with at most :data:`CUE_GAP` other content words between them (1.0), in
another order within one clause (:data:`CUE_BAG`), or with all but one of three or more words
(:data:`CUE_PARTIAL`). Compounds match whether written as one word, with a hyphen or with a space.
A match may go on into a clause opened by a relative word ("who", "which", "when") or by a linking
word of the cue's own ("and" in "applied during training and at test time").

Misconceptions are matched strictly: words in order, nothing less; a comparison between the words
("saddles are more common than local minima") is no match, and the subject may stand in an earlier
clause when the rest of the cue opens a later one ("we clip the gradient, which ... also prevents it
from vanishing").

A polar cue matched under negation is a contradiction, not support.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from question_bank.lexicon import OPPOSING, raw_stem
from question_bank.rubric import Cue, CueKind

if TYPE_CHECKING:
    from question_bank.evidence import SegmentView

CUE_GAP = 2
STRICT_GAP = 2
STRICT_BAG = 0.4
CUE_BAG = 0.6
CUE_PARTIAL = 0.5
SINGLE_WORD = 0.85
SINGLE_WORD_IN_QUESTION = 0.5


@dataclass(frozen=True)
class Evidence:
    """How strongly one sentence supports, and contradicts, one criterion."""

    support: float = 0.0
    contradiction: float = 0.0


NONE = Evidence()


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
                if clauses[position] != clauses[start] and not _linked(cue, view, clauses[start], position):
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


RELATIVE_WORDS = frozenset(("who", "which", "that", "when", "where", "whereby"))
"""Words that open a clause about something just named ("a false positive is when a patient who has
the disease ..."): the statement goes on across them."""


def _linked(cue: Cue, view: SegmentView, clause: int, position: int) -> bool:
    """Whether every clause from the one after ``clause`` up to that of ``position`` opens with a
    relative word or with one of the cue's own linking words."""
    joins = RELATIVE_WORDS | cue.links
    return all(view.openers.get(later) in joins for later in range(clause + 1, view.clauses[position] + 1))


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
        in_question = cue.stems[0] in question_stems
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
        if strict:
            spans = [span for span in spans if not _compares(cue, view, *span)]
            if not spans and implied and _continues_subject(cue, view):
                return Evidence(ELIDED_SUBJECT)
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


COMPARATIVES = frozenset(("than", "unlike", "versus", "vs"))
"""Words that set two things side by side: "saddles are more common than local minima" does not say
that saddles are local minima."""


def _compares(cue: Cue, view: SegmentView, first: int, stop: int) -> bool:
    """Whether a comparative the cue does not have stands between the words of a match."""
    low, high = view.sequence[first].start, view.sequence[stop - 1].start
    return any(
        low < token.start < high and token.word in COMPARATIVES and token.word not in cue.stems
        for token in view.segment.tokens
    )


ELIDED_SUBJECT = 0.9
"""Strength of a strict cue whose subject stands in an earlier clause (:func:`_continues_subject`)."""


def _continues_subject(cue: Cue, view: SegmentView) -> bool:
    """Whether the sentence names the cue's subject in one clause and states the rest of the cue (two
    words or more) at the very start of a later clause, where only a pronoun or nothing stands for
    the subject: "we clip the gradient, which stops it growing and also prevents it from vanishing"
    states "clipping prevents vanishing"; "clipping caps large gradients and ReLU prevents vanishing"
    does not, its last clause having a subject of its own."""
    subject, rest = cue.stems[0], cue.stems[1:]
    places = view.positions.get(subject)
    if len(rest) < 2 or not places:
        return False
    for first, stop in _in_order(replace(cue, stems=rest), view, STRICT_GAP):
        clause = view.clauses[first]
        opens = first == 0 or view.clauses[first - 1] != clause
        if (
            opens
            and any(view.clauses[place] < clause for place in places)
            and not _denied(view, first, stop, strict=True)
            and not _compares(cue, view, first, stop)
        ):
            return True
    return False


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
