"""Grade a free-text response against a :class:`~question_bank.rubric.Rubric`, key point by key point.

Two steps. :meth:`KeyPointGrader.observe` cuts the response into sentences and clauses and
measures, for every sentence and criterion, the lexical signals (:mod:`question_bank.evidence`)
and, with the hybrid backend, the cosine of the sentence's embedding with the criterion's text
(all sentences of a response in one batch; criterion embeddings cached per rubric).
:func:`judge` turns those measurements into a grade with a :class:`Calibration`:

* evidence = cue strength or the term share mapped through ``terms_low..terms_high``
  (lexical), blended with the cosine mapped through ``cosine_low..cosine_high`` (hybrid);
  a sentence aimed at the grader or listing terms earns nothing; a sentence mostly about something
  else (:data:`ON_TOPIC_SHARE`) covers a key point at most partly, unless a whole cue phrase matched;
  a sentence that states a misconception earns no key-point credit; a sentence fully covers at most
  one key point per :data:`WORDS_PER_POINT` content words, first those no other sentence covers;
* a key point is covered (full credit), partly covered (half) or missing by its best sentence;
  a misconception is found when its best sentence reaches ``misconception_found``;
* score = covered weight / total weight − ``misconception_penalty`` for each misconception found,
  clipped to 0..1.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from question_bank.evidence import FLIPPED_SHARE, SegmentView, lexical_signals
from question_bank.grade_result import Backend, GradeResult
from question_bank.guards import is_term_list
from question_bank.models import QuestionEntry
from question_bank.rubric import Rubric, RubricSource, rubric_from_entry
from question_bank.text import segments
from question_bank.verdict import Calibration, verdict

if TYPE_CHECKING:
    from question_bank.semantic import Embedder

Matrix = npt.NDArray[np.float32]

WORDS_PER_POINT = 4
"""A sentence may fully cover one key point per this many content words (at least one)."""


@dataclass(frozen=True)
class Observation:
    """Per sentence (rows) and criterion (columns: key points, then misconceptions) measurements."""

    response: str
    views: tuple[SegmentView, ...]
    cue_support: Matrix
    cue_contradiction: Matrix
    term_share: Matrix
    term_flipped: Matrix
    cosine: Matrix | None


def _ramp(values: Matrix, low: float, high: float) -> Matrix:
    ramped: Matrix = np.clip((values - low) / (high - low), 0.0, 1.0).astype(np.float32)
    return ramped


def _blend(lexical: Matrix, semantic: Matrix, share: float, how: str) -> Matrix:
    mean = share * lexical + (1.0 - share) * semantic
    if how == "max":
        return np.maximum(mean, np.maximum(lexical, semantic) * share).astype(np.float32)
    if how == "noisy_or":
        return (1.0 - (1.0 - lexical) * (1.0 - semantic * (1.0 - share))).astype(np.float32)
    return mean.astype(np.float32)


def _budget(support: Matrix, views: tuple[SegmentView, ...], share: Matrix, cal: Calibration) -> None:
    """Halve the evidence of a sentence beyond one key point per :data:`WORDS_PER_POINT` content words.

    The key points a sentence keeps are those no other sentence covers, then the best supported, then
    those whose words it shares most ("precision and recall are calculated from these counts" keeps
    the metrics point when another sentence already states the table of counts)."""
    covering = (support >= cal.covered).sum(axis=0)
    for row, view in enumerate(views):
        content = sum(1 for token in view.sequence if token.content)
        allowed = max(1, content // WORDS_PER_POINT)
        strong = [col for col in range(support.shape[1]) if support[row, col] >= cal.partly]
        if len(strong) <= allowed:
            continue
        elsewhere = covering - (support[row] >= cal.covered)
        strong.sort(key=lambda col: (bool(elsewhere[col]), -support[row, col], -share[row, col]))
        for col in strong[allowed:]:
            support[row, col] *= 0.5


ON_TOPIC_SHARE = 0.5
"""A sentence with fewer of its content words from the question and key points is about something else."""


def _off_topic(
    support: Matrix,
    views: tuple[SegmentView, ...],
    vocabulary: frozenset[str],
    cap: float,
    phrase_matched: Matrix,
) -> None:
    """Cap at ``cap`` (partly) the evidence of sentences mostly about something else ("Adam keeps
    running averages of gradients" shares only "averages" with dropout as an ensemble), except where
    a cue of several words matched whole and in order (``phrase_matched``): a sentence in the
    student's own words ("happens with very large models trained on only a small amount of data")
    still states what that phrase says."""
    for row, view in enumerate(views):
        content = view.segment.content_stems
        if content and len(content & vocabulary) < ON_TOPIC_SHARE * len(content):
            capped = np.minimum(support[row], cap)
            support[row] = np.where(phrase_matched[row] >= 1.0, support[row], capped)


def evidence(rubric: Rubric, seen: Observation, cal: Calibration) -> tuple[Matrix, Matrix, Matrix]:
    """Support and denial of every key point, and evidence of every misconception, per sentence."""
    points = len(rubric.points)
    gated = np.array([view.gated for view in seen.views], dtype=bool)
    mapped = _ramp(seen.term_share, cal.terms_low, cal.terms_high)
    flipped = seen.term_flipped >= FLIPPED_SHARE
    lexical = np.maximum(seen.cue_support, np.where(flipped, 0.0, mapped))
    denial = np.maximum(seen.cue_contradiction, np.where(flipped, mapped, 0.0))
    if seen.cosine is not None:
        semantic_p = _ramp(seen.cosine[:, :points], cal.cosine_low, cal.cosine_high)
        semantic_m = _ramp(
            seen.cosine[:, points:], cal.misconception_cosine_low, cal.misconception_cosine_high
        )
        support_p = _blend(lexical[:, :points], semantic_p, cal.lexical_share, cal.blend)
        found_m = _blend(lexical[:, points:], semantic_m, cal.misconception_lexical_share, cal.blend)
    else:
        support_p = lexical[:, :points].copy()
        found_m = lexical[:, points:].copy()
    denied = (denial[:, :points] > 0) & (denial[:, :points] >= lexical[:, :points])
    support_p[denied] = 0.0
    found_m[denial[:, points:] > np.maximum(lexical[:, points:], 0.0)] = 0.0
    found_m[gated] = 0.0
    support_p[gated] = 0.0
    if found_m.shape[1]:
        support_p[found_m.max(axis=1) >= cal.misconception_found] = 0.0
    _off_topic(support_p, seen.views, rubric.vocabulary, cal.partly, seen.cue_support[:, :points])
    _budget(support_p, seen.views, seen.term_share[:, :points], cal)
    return support_p, np.where(denied, denial[:, :points], 0.0).astype(np.float32), found_m


def judge(rubric: Rubric, seen: Observation, cal: Calibration, backend: Backend) -> GradeResult:
    """The grade of an observed response under a calibration."""
    support, denial, found = evidence(rubric, seen, cal)
    return verdict(rubric, seen.response, seen.views, support, denial, found, cal, backend)


class KeyPointGrader:
    """Grades responses against rubrics.

    Bank rubrics are built once per entry (:meth:`rubric_for`); with an embedder, criterion
    embeddings are cached per rubric (bank rubrics for good, reference rubrics up to
    :attr:`CACHE_SIZE`). ``calibration`` overrides the shipped calibration for every rubric source.
    """

    CACHE_SIZE = 512

    def __init__(self, embedder: Embedder | None = None, calibration: Calibration | None = None) -> None:
        self.embedder = embedder
        self._calibration = calibration
        self._cache: OrderedDict[str, Matrix] = OrderedDict()
        self._pinned: set[str] = set()
        self._rubrics: dict[str, Rubric] = {}
        self._lock = threading.Lock()

    @property
    def backend(self) -> Backend:
        return Backend.LEXICAL if self.embedder is None else Backend.HYBRID

    def calibration(self, rubric: Rubric) -> Calibration:
        """The thresholds used for this rubric (per backend and rubric source)."""
        if self._calibration is not None:
            return self._calibration
        return CALIBRATIONS[self.backend, rubric.source]

    def rubric_for(self, entry: QuestionEntry) -> Rubric:
        """The rubric of a bank entry, built once."""
        rubric = self._rubrics.get(entry.id)
        if rubric is None:
            rubric = self._rubrics.setdefault(entry.id, rubric_from_entry(entry))
        return rubric

    def prepare(self, entries: Iterable[QuestionEntry]) -> None:
        """Build the rubrics of these entries and embed their criteria now (at start-up), for good."""
        for entry in entries:
            rubric = self.rubric_for(entry)
            if self.embedder is not None:
                self._pinned.add(rubric.key)
                self._criterion_embeddings(rubric)

    def _criterion_embeddings(self, rubric: Rubric) -> Matrix:
        assert self.embedder is not None
        with self._lock:
            cached = self._cache.get(rubric.key)
            if cached is not None:
                self._cache.move_to_end(rubric.key)
                return cached
        matrix = self.embedder.embed([criterion.text for criterion in rubric.criteria])
        with self._lock:
            self._cache[rubric.key] = matrix
            unpinned = [key for key in self._cache if key not in self._pinned]
            if len(unpinned) > self.CACHE_SIZE:
                del self._cache[unpinned[0]]
        return matrix

    def observe(self, rubric: Rubric, response: str) -> Observation:
        """Measure every sentence of the response against every criterion of the rubric."""
        pieces = segments(response, synonyms=rubric.synonyms)
        in_list = is_term_list(pieces)
        views = tuple(
            SegmentView(segment, rubric.synonyms, in_list, rubric.question_stems) for segment in pieces
        )
        criteria = rubric.criteria
        shape = (len(views), len(criteria))
        measures = [np.zeros(shape, np.float32) for _ in range(4)]
        strict_from = len(rubric.points)
        for row, view in enumerate(views):
            if view.gated:
                continue
            for col, criterion in enumerate(criteria):
                signals = lexical_signals(criterion, view, rubric.question_stems, col >= strict_from)
                measures[0][row, col] = signals.cue_support
                measures[1][row, col] = signals.cue_contradiction
                measures[2][row, col] = signals.term_share
                measures[3][row, col] = signals.term_flipped
        cosine = None
        if self.embedder is not None:
            cosine = np.zeros(shape, np.float32)
            rows = [index for index, view in enumerate(views) if not view.gated]
            if rows and criteria:
                embedded = self.embedder.embed([views[index].segment.text for index in rows])
                cosine[rows] = embedded @ self._criterion_embeddings(rubric).T
        cue_support, cue_contradiction, term_share, term_flipped = measures
        return Observation(response, views, cue_support, cue_contradiction, term_share, term_flipped, cosine)

    def grade(self, rubric: Rubric, response: str) -> GradeResult:
        """Grade one response (any text: empty, 20 KB, markup, other languages)."""
        return judge(rubric, self.observe(rubric, response), self.calibration(rubric), self.backend)


DEFAULT_BACKEND = Backend.LEXICAL
"""Chosen by measurement (``python -m question_bank.evaluate_grading --backend lexical|hybrid``):
own set ordering 30/30 lexical (even 15/15, odd 15/15) vs 27/30 hybrid (13/15, 14/15); named
misconceptions found 30/30 both, false alarms 2/140 vs 4/140; adversarial 49/49 vs 48/49;
SciEntsBank 2-way weighted F1 on held-out questions 0.672 lexical, 0.665 hybrid (3-way 0.575 vs
0.574); and hybrid grades several times slower and needs seconds to load and embed the bank.
Lexical it is."""

CALIBRATIONS: dict[tuple[Backend, RubricSource], Calibration] = {
    (Backend.LEXICAL, RubricSource.BANK): Calibration(
        covered=0.65,
        partly=0.55,
        terms_low=0.05,
        terms_high=0.8,
        misconception_found=0.75,
        misconception_penalty=0.45,
        correct_score=0.6,
    ),
    (Backend.LEXICAL, RubricSource.REFERENCE): Calibration(
        covered=0.8, partly=0.3, terms_low=0.0, terms_high=1.0, correct_score=0.09
    ),
    (Backend.HYBRID, RubricSource.BANK): Calibration(
        covered=0.75,
        partly=0.45,
        terms_low=0.05,
        terms_high=0.7,
        cosine_low=0.2,
        cosine_high=0.9,
        lexical_share=0.4,
        misconception_found=0.6,
        misconception_cosine_low=0.5,
        misconception_cosine_high=0.8,
        misconception_lexical_share=0.5,
        misconception_penalty=0.45,
        blend="noisy_or",
        correct_score=0.6,
    ),
    (Backend.HYBRID, RubricSource.REFERENCE): Calibration(
        covered=0.8,
        partly=0.4,
        terms_low=0.1,
        terms_high=0.6,
        cosine_low=0.2,
        cosine_high=0.9,
        lexical_share=0.7,
        blend="noisy_or",
        correct_score=0.1,
    ),
}
"""Per backend and rubric source; bank: chosen on the even questions of the own graded set
(``misconception_penalty``, a share of the full score per misconception found, swept on the even
half: lexical 0.3 → 10/15, 0.4 → 11/15, 0.45 and 0.5 → 12/15, the smaller kept; hybrid 0.3 → 10/15,
0.45 → 12/15);
reference: on the even questions of the SciEntsBank training split."""


def build_grader(
    backend: Backend | None = None, bank: Iterable[QuestionEntry] = (), fallback: bool = True
) -> KeyPointGrader:
    """The grader to keep for the process: loads the embedder for the hybrid backend and prepares the bank.

    With ``fallback``, a hybrid backend whose model cannot be loaded falls back to lexical (see
    :attr:`KeyPointGrader.backend`); without, :class:`~question_bank.semantic.SemanticUnavailable`
    is raised.
    """
    chosen = DEFAULT_BACKEND if backend is None else backend
    embedder = None
    if chosen is Backend.HYBRID:
        from question_bank.semantic import SemanticUnavailable, load_default_embedder

        try:
            embedder = load_default_embedder()
        except SemanticUnavailable:
            if not fallback:
                raise
    grader = KeyPointGrader(embedder)
    grader.prepare(bank)
    return grader
