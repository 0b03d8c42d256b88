"""What a response is graded against: weighted key points and named misconceptions.

A :class:`Rubric` comes from a bank entry (:func:`rubric_from_entry`, the authored key points,
cues and misconceptions) or, for any subject, from a reference answer
(:func:`rubric_from_reference`: its clauses become key points weighted by their content, their
salient content words and word pairs become the cues; there are no misconceptions).

Each :class:`Criterion` keeps its cues as stem sequences and its content terms with weights: a
term the question already uses, or that several key points share, or that every answer in the
field uses, says little about which idea a sentence states and weighs less.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from question_bank.lexicon import OPPOSING, raw_stem, stem
from question_bank.models import QuestionEntry
from question_bank.text import CLAUSE_WORDS, Segment, segments, stems_of, tokenize

QUESTION_TERM_WEIGHT = 0.4
"""Share of its weight that a term kept when the question itself uses it."""

GENERIC_TERM_WEIGHT = 0.5
"""Share kept by words that any answer in the field uses."""

GENERIC_WORDS = ("model", "train", "learn", "data", "value", "function", "layer", "time")

MAX_REFERENCE_POINTS = 8
"""A reference answer yields at most this many key points; shorter clauses are merged first."""

MIN_POINT_TERMS = 2
"""A clause of a reference answer with fewer content words is merged into its neighbour."""


class RubricSource(StrEnum):
    BANK = "bank"
    REFERENCE = "reference"


class CueKind(StrEnum):
    WORD = "word"
    """One word, matched on its own stem (no synonyms): ``averaging``, ``co-adaptation``."""
    PHRASE = "phrase"
    """At most one content word among function words, matched word for word: ``useful on their own``."""
    TERMS = "terms"
    """Several content words, matched in order with small gaps: ``set activations to zero``."""


@dataclass(frozen=True)
class Cue:
    """A phrase that states a criterion, compiled for matching.

    ``polar``: a denied match ("does not set activations to zero") contradicts the criterion.
    Cues naming something the criterion argues against ("co-adaptation" in "units cannot rely on
    partners") are not polar: "cannot co-adapt" still states the criterion.
    """

    text: str
    kind: CueKind
    stems: tuple[str, ...]
    polar: bool = True
    links: frozenset[str] = frozenset()
    """The cue's own linking words ("applied during training and at test time"): its words may lie
    in clauses that such a word opens."""


@dataclass(frozen=True)
class Criterion:
    """A key point (``weight`` > 0) or a misconception (with its ``feedback``)."""

    id: str
    text: str
    weight: float
    cues: tuple[Cue, ...]
    terms: Mapping[str, float]
    negated_terms: frozenset[str] = frozenset()
    feedback: str = ""

    @property
    def term_weight(self) -> float:
        return sum(self.terms.values())


@dataclass(frozen=True)
class Rubric:
    """Key points and misconceptions of one question; ``key`` identifies it for caches."""

    key: str
    question: str
    points: tuple[Criterion, ...]
    misconceptions: tuple[Criterion, ...] = ()
    source: RubricSource = RubricSource.BANK
    question_stems: frozenset[str] = field(default_factory=frozenset)
    """The question's stems, each word both as its synonym group's stem and as its own."""
    synonyms: bool = True
    """Whether the field's synonyms are folded (bank rubrics); reference rubrics use plain stems."""

    @property
    def total_weight(self) -> float:
        return sum(point.weight for point in self.points)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The stems the question and its key points use (terms and cues): what an answer is about."""
        found = set(self.question_stems)
        for point in self.points:
            found.update(point.terms)
            for cue in point.cues:
                found.update(cue.stems)
                found.update(stem(item) for item in cue.stems)
        return frozenset(found)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Key points, then misconceptions (the row order of cached embeddings)."""
        return self.points + self.misconceptions


def _opposed_stems(text: str, synonyms: bool) -> tuple[frozenset[str], bool]:
    """Content stems the text states after a negator or an opposing word, up to the next linking word
    ("and", "but", "which"...); and whether the text has any such word at all."""
    opposed: set[str] = set()
    any_opposing = False
    for piece in segments(text, synonyms=synonyms):
        active = False
        for token in piece.tokens:
            if token.word in CLAUSE_WORDS:
                active = False
            elif token.negator or raw_stem(token.word) in OPPOSING:
                active = any_opposing = True
            elif active and token.content:
                opposed.add(token.stem)
    return frozenset(opposed), any_opposing


def compile_cue(text: str, context: str = "", synonyms: bool = True) -> Cue | None:
    """A cue as matched; ``context`` is the criterion's text, which decides its polarity."""
    return _compile_cue(
        text, _opposed_stems(context, synonyms), frozenset(stems_of(context, synonyms)), synonyms
    )


def _compile_cue(
    text: str, opposing: tuple[frozenset[str], bool], context_stems: frozenset[str], synonyms: bool
) -> Cue | None:
    tokens = tokenize(text, synonyms=synonyms)
    content = [token for token in tokens if token.content]
    if not content:
        if len(tokens) < 2:
            return None
        return Cue(text, CueKind.PHRASE, tuple(token.stem for token in tokens), True)
    opposed, _ = opposing
    mentioned = [token.stem for token in content if token.stem in context_stems]
    if any(token.negator for token in tokens):
        polar = False
    elif any(raw_stem(token.word) in OPPOSING for token in tokens):
        polar = True
    else:
        polar = not mentioned or not all(stem_ in opposed for stem_ in mentioned)
    if len(tokens) == 1 or (len(content) == 1 and len({t.start for t in tokens}) == 1):
        return Cue(text, CueKind.WORD, tuple(raw_stem(token.word) for token in content), polar)
    if len(content) == 1:
        return Cue(text, CueKind.PHRASE, tuple(token.stem for token in tokens), polar)
    links = frozenset(token.word for token in tokens if token.word in CLAUSE_WORDS)
    return Cue(text, CueKind.TERMS, tuple(token.stem for token in tokens if not token.function), polar, links)


def _negated_terms(text: str, synonyms: bool) -> frozenset[str]:
    negated: set[str] = set()
    for piece in segments(text, synonyms=synonyms):
        negated.update(token.stem for token, flag in zip(piece.tokens, piece.negated, strict=True) if flag)
    return frozenset(negated)


def _term_weights(
    texts: Sequence[str], question_stems: frozenset[str], synonyms: bool
) -> list[dict[str, float]]:
    """Weighted content terms of each text."""
    stem_sets = [frozenset(stems_of(text, synonyms)) for text in texts]
    shared = Counter(term for stems in stem_sets for term in stems)
    generic = frozenset((stem if synonyms else raw_stem)(word) for word in GENERIC_WORDS)
    weighted: list[dict[str, float]] = []
    for stems in stem_sets:
        terms: dict[str, float] = {}
        for term in stems:
            weight = 1.0 / shared[term]
            if term in question_stems:
                weight *= QUESTION_TERM_WEIGHT
            if term in generic:
                weight *= GENERIC_TERM_WEIGHT
            terms[term] = weight
        weighted.append(terms)
    return weighted


def _criteria(
    items: Sequence[tuple[str, str, float, Sequence[str], str]],
    question_stems: frozenset[str],
    synonyms: bool,
) -> tuple[Criterion, ...]:
    cue_lists = []
    for item in items:
        opposing, context_stems = _opposed_stems(item[1], synonyms), frozenset(stems_of(item[1], synonyms))
        cue_lists.append(
            [cue for text in item[3] if (cue := _compile_cue(text, opposing, context_stems, synonyms))]
        )
    weights = _term_weights([item[1] for item in items], question_stems, synonyms)
    return tuple(
        Criterion(
            id=item_id,
            text=text,
            weight=weight,
            cues=tuple(cues),
            terms=MappingProxyType(terms),
            negated_terms=_negated_terms(text, synonyms),
            feedback=feedback,
        )
        for (item_id, text, weight, _, feedback), cues, terms in zip(items, cue_lists, weights, strict=True)
    )


def rubric_from_entry(entry: QuestionEntry) -> Rubric:
    """The rubric of a bank entry: its key points, cues and misconceptions as authored."""
    question = f"{entry.title} {entry.prompt}"
    question_stems = frozenset(stems_of(question)) | frozenset(stems_of(question, synonyms=False))
    points = _criteria(
        [(point.id, point.text, point.weight, point.cues, "") for point in entry.key_points],
        question_stems,
        True,
    )
    misconceptions = _criteria(
        [(item.id, item.text, 0.0, item.cues, item.feedback) for item in entry.misconceptions],
        question_stems,
        True,
    )
    return Rubric(f"bank:{entry.id}", entry.prompt, points, misconceptions, RubricSource.BANK, question_stems)


def _merge_short(pieces: list[Segment]) -> list[list[Segment]]:
    groups: list[list[Segment]] = []
    for piece in pieces:
        content = len(piece.content_stems)
        if groups and (
            content < MIN_POINT_TERMS or sum(len(p.content_stems) for p in groups[-1]) < MIN_POINT_TERMS
        ):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    while len(groups) > MAX_REFERENCE_POINTS:
        sizes = [sum(len(p.content_stems) for p in group) for group in groups]
        smallest = min(range(1, len(groups)), key=lambda index: sizes[index] + sizes[index - 1])
        groups[smallest - 1].extend(groups.pop(smallest))
    return groups


def _reference_cues(pieces: Iterable[Segment], question_stems: frozenset[str]) -> list[str]:
    """Salient content pairs of a clause (not both words from the question), as cue texts."""
    cues: list[str] = []
    for piece in pieces:
        content = [token for token in piece.tokens if token.content]
        for first, second in itertools.pairwise(content):
            if first.stem in question_stems and second.stem in question_stems:
                continue
            cues.append(f"{first.word} {second.word}")
    return list(dict.fromkeys(cues))


def rubric_from_reference(question: str, reference_answer: str) -> Rubric:
    """A rubric derived from a reference answer: one key point per clause, weighted by its content."""
    question_stems = frozenset(stems_of(question, synonyms=False))
    pieces = [piece for piece in segments(reference_answer, synonyms=False) if piece.content_stems]
    groups = _merge_short(pieces)
    items: list[tuple[str, str, float, Sequence[str], str]] = []
    for index, group in enumerate(groups, start=1):
        text = reference_answer[group[0].start : group[-1].end]
        novel = set().union(*(p.content_stems for p in group)) - question_stems
        weight = float(max(1, len(novel)))
        items.append((f"point-{index}", text, weight, _reference_cues(group, question_stems), ""))
    digest = hashlib.sha256(f"{question}\x00{reference_answer}".encode()).hexdigest()[:20]
    points = _criteria(items, question_stems, False) if items else ()
    return Rubric(f"reference:{digest}", question, points, (), RubricSource.REFERENCE, question_stems, False)
