"""Lexical evidence that one sentence states one criterion (a key point or a misconception).

Two signals, each in 0..1:

* **cues**: see :mod:`question_bank.cue_match`;
* **terms**: the weighted share of the criterion's content terms the sentence uses.

Negation (see :func:`question_bank.text.scopes`): a polar cue matched under negation, or terms
whose negation differs from the criterion's, count as a contradiction, not as support.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from question_bank.cue_match import cue_evidence
from question_bank.guards import is_bare, is_instruction, is_keyword_list
from question_bank.lexicon import raw_stem, stem
from question_bank.rubric import Criterion
from question_bank.text import Segment, Token

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
    def openers(self) -> dict[int, str]:
        """The first word of each clause (a linking word such as "and", "but", "which", or any other)."""
        found: dict[int, str] = {}
        for token, clause in zip(self.segment.tokens, self.segment.clauses, strict=True):
            found.setdefault(clause, token.word)
        return found

    @cached_property
    def all_stems(self) -> tuple[str, ...]:
        return tuple(token.stem for token in self.segment.tokens)


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
