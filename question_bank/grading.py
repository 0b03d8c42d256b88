"""Grade a free-text response against a :class:`~question_bank.rubric.Rubric`, key point by key point.

The response is cut into sentences and clauses (:mod:`question_bank.text`). For every sentence
and criterion the evidence is the best of the lexical signals (:mod:`question_bank.evidence`) and,
with the hybrid backend, the cosine of the sentence's embedding with the criterion's text mapped
through calibrated thresholds. A sentence aimed at the grader or listing terms earns nothing; a
sentence earns full credit for at most one key point per :data:`WORDS_PER_POINT` content words; a
sentence that states a misconception earns no key-point credit.

A key point is covered (full credit), partly covered (half) or missing by its best sentence; the
score is the covered weight over the total, minus :attr:`Calibration.misconception_penalty` of the
heaviest key point's share for each misconception found, clipped to 0..1. ``confidence`` says how
far the evidence lies from the thresholds; ``needs_review`` is set when it is low, when the score
lies near :data:`GRADE_BOUNDARIES`, or when a guard fired.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from question_bank.evidence import SegmentView, lexical_evidence
from question_bank.grade_result import (
    CREDIT,
    Backend,
    GradeResult,
    KeyPointGrade,
    MisconceptionFound,
    Span,
    Status,
    feedback_text,
)
from question_bank.guards import mostly_foreign
from question_bank.rubric import Rubric
from question_bank.text import segments

if TYPE_CHECKING:
    from question_bank.semantic import Embedder

Matrix = npt.NDArray[np.float32]

WORDS_PER_POINT = 4
"""A sentence may fully cover one key point per this many content words (at least one)."""

GRADE_BOUNDARIES = (0.5,)
"""Scores this close to a boundary (:data:`BOUNDARY_MARGIN`) are flagged for review."""

BOUNDARY_MARGIN = 0.04

LOW_CONFIDENCE = 0.35


@dataclass(frozen=True)
class Calibration:
    """Thresholds of the grader (chosen by ``python -m question_bank.evaluate_grading``)."""

    covered: float = 0.75
    partly: float = 0.45
    terms_low: float = 0.1
    terms_high: float = 0.6
    cosine_low: float = 0.45
    cosine_high: float = 0.75
    misconception_found: float = 0.8
    misconception_terms_low: float = 0.5
    misconception_terms_high: float = 0.9
    misconception_cosine_low: float = 0.7
    misconception_cosine_high: float = 0.9
    misconception_penalty: float = 1.0
    margin: float = 0.15


CALIBRATION = Calibration()


def _ramp(values: Matrix, low: float, high: float) -> Matrix:
    return np.clip((values - low) / (high - low), 0.0, 1.0).astype(np.float32)


class KeyPointGrader:
    """Grades responses against rubrics; with an embedder, criterion embeddings are cached per rubric."""

    def __init__(
        self, embedder: Embedder | None = None, calibration: Calibration = CALIBRATION, cache_size: int = 512
    ) -> None:
        self.embedder = embedder
        self.calibration = calibration
        self._cache: OrderedDict[str, Matrix] = OrderedDict()
        self._cache_size = cache_size

    @property
    def backend(self) -> Backend:
        return Backend.LEXICAL if self.embedder is None else Backend.HYBRID

    def prepare(self, rubrics: Iterable[Rubric]) -> None:
        """Embed the criteria of these rubrics now (the bank's, at start-up) and keep them."""
        for rubric in rubrics:
            self._criterion_embeddings(rubric, pin=True)

    def _criterion_embeddings(self, rubric: Rubric, pin: bool = False) -> Matrix:
        assert self.embedder is not None
        cached = self._cache.get(rubric.key)
        if cached is not None:
            self._cache.move_to_end(rubric.key)
            return cached
        matrix = self.embedder.embed([criterion.text for criterion in rubric.criteria])
        self._cache[rubric.key] = matrix
        if not pin and len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return matrix

    def _semantic(self, rubric: Rubric, views: list[SegmentView]) -> tuple[Matrix, Matrix]:
        """Mapped cosine evidence (sentences × key points, sentences × misconceptions)."""
        cal = self.calibration
        shape_p = (len(views), len(rubric.points))
        shape_m = (len(views), len(rubric.misconceptions))
        if self.embedder is None or not views or not rubric.criteria:
            return np.zeros(shape_p, np.float32), np.zeros(shape_m, np.float32)
        cosines = np.zeros((len(views), len(rubric.criteria)), np.float32)
        rows = [index for index, view in enumerate(views) if not view.gated]
        if rows:
            embedded = self.embedder.embed([views[index].segment.text for index in rows])
            cosines[rows] = embedded @ self._criterion_embeddings(rubric).T
        split = len(rubric.points)
        return (
            _ramp(cosines[:, :split], cal.cosine_low, cal.cosine_high),
            _ramp(cosines[:, split:], cal.misconception_cosine_low, cal.misconception_cosine_high),
        )

    def grade(self, rubric: Rubric, response: str) -> GradeResult:
        """Grade one response."""
        cal = self.calibration
        views = [SegmentView(segment) for segment in segments(response)]
        semantic_p, semantic_m = self._semantic(rubric, views)
        n_points = len(rubric.points)
        support = np.zeros((len(views), n_points), np.float32)
        denial = np.zeros((len(views), n_points), np.float32)
        found_m = np.zeros((len(views), len(rubric.misconceptions)), np.float32)
        point_terms = (cal.terms_low, cal.terms_high)
        misconception_terms = (cal.misconception_terms_low, cal.misconception_terms_high)
        for row, view in enumerate(views):
            if view.gated:
                continue
            for col, item in enumerate(rubric.misconceptions):
                lexical = lexical_evidence(item, view, rubric.question_stems, misconception_terms, True)
                if lexical.contradiction == 0:
                    found_m[row, col] = max(lexical.support, float(semantic_m[row, col]))
            if found_m.shape[1] and found_m[row].max() >= cal.misconception_found:
                continue
            for col, point in enumerate(rubric.points):
                lexical = lexical_evidence(point, view, rubric.question_stems, point_terms)
                if lexical.contradiction > 0 and lexical.contradiction >= lexical.support:
                    denial[row, col] = max(lexical.contradiction, float(semantic_p[row, col]))
                else:
                    support[row, col] = max(lexical.support, float(semantic_p[row, col]))
            _apply_budget(support[row], view, cal.partly)
        key_points = tuple(self._key_point(rubric, col, views, support, denial) for col in range(n_points))
        misconceptions = tuple(
            MisconceptionFound(item.id, item.text, item.feedback, float(found_m[row, col]), _span(views[row]))
            for col, item in enumerate(rubric.misconceptions)
            if views and found_m[(row := int(found_m[:, col].argmax())), col] >= cal.misconception_found
        )
        return self._result(rubric, response, views, key_points, misconceptions, found_m)

    def _key_point(
        self, rubric: Rubric, col: int, views: list[SegmentView], support: Matrix, denial: Matrix
    ) -> KeyPointGrade:
        cal = self.calibration
        point = rubric.points[col]
        if not views:
            return KeyPointGrade(point.id, point.text, point.weight, Status.MISSING, 0.0, None)
        row = int(support[:, col].argmax())
        evidence = float(support[row, col])
        status = (
            Status.COVERED if evidence >= cal.covered else Status.PARTLY if evidence >= cal.partly else Status.MISSING
        )
        denied_row = int(denial[:, col].argmax())
        contradicted = status is Status.MISSING and float(denial[denied_row, col]) >= cal.partly
        span = _span(views[denied_row if contradicted else row]) if (contradicted or evidence > 0) else None
        return KeyPointGrade(point.id, point.text, point.weight, status, evidence, span, contradicted)

    def _result(
        self,
        rubric: Rubric,
        response: str,
        views: list[SegmentView],
        key_points: tuple[KeyPointGrade, ...],
        misconceptions: tuple[MisconceptionFound, ...],
        found_m: Matrix,
    ) -> GradeResult:
        cal = self.calibration
        total = rubric.total_weight
        earned = sum(CREDIT[point.status] * point.weight for point in key_points)
        heaviest = max((point.weight for point in rubric.points), default=0.0)
        penalty = cal.misconception_penalty * heaviest * len(misconceptions)
        score = min(1.0, max(0.0, (earned - penalty) / total)) if total > 0 else 0.0
        reasons: list[str] = []
        notes: list[str] = []
        if not views:
            notes.append("The response is empty (or has no words to grade).")
        if any(view.instruction for view in views):
            reasons.append("the response contains instructions aimed at the grader")
            notes.append("Sentences addressed to the grader earn no credit.")
        if views and sum(view.keyword_list for view in views) * 2 >= len(views):
            reasons.append("the response is mostly lists of terms")
            notes.append("Lists of terms without explanation earn no credit.")
        if mostly_foreign(response, [view.segment for view in views]):
            reasons.append("the response is mostly not in English")
        if not rubric.points:
            reasons.append("the reference answer gives nothing to grade against")
        confidence = self._confidence(key_points, found_m) if views else 1.0
        if confidence < LOW_CONFIDENCE:
            reasons.append("the evidence is close to the thresholds")
        if views and any(abs(score - boundary) < BOUNDARY_MARGIN for boundary in GRADE_BOUNDARIES):
            reasons.append("the score is close to a grade boundary")
        feedback = feedback_text(key_points, misconceptions, tuple(notes))
        return GradeResult(
            round(score, 4),
            key_points,
            misconceptions,
            feedback,
            round(confidence, 3),
            bool(reasons),
            tuple(reasons),
            self.backend,
        )

    def _confidence(self, key_points: tuple[KeyPointGrade, ...], found_m: Matrix) -> float:
        cal = self.calibration
        total = sum(point.weight for point in key_points)
        if total <= 0:
            return 0.0
        sure = 0.0
        for point in key_points:
            distance = min(abs(point.evidence - cal.covered), abs(point.evidence - cal.partly))
            sure += point.weight * min(1.0, distance / cal.margin)
        confidence = sure / total
        if found_m.size:
            nearest = float(np.abs(found_m.max(axis=0) - cal.misconception_found).min())
            confidence = min(confidence, min(1.0, nearest / cal.margin))
        return confidence


def _apply_budget(row: Matrix, view: SegmentView, partly: float) -> None:
    """Keep full evidence for at most one key point per :data:`WORDS_PER_POINT` content words."""
    content = sum(1 for token in view.sequence if token.content)
    allowed = max(1, content // WORDS_PER_POINT)
    strong = [col for col in np.argsort(-row) if row[col] >= partly]
    for col in strong[allowed:]:
        row[col] *= 0.5


def _span(view: SegmentView) -> Span:
    segment = view.segment
    return Span(segment.start, segment.end, segment.text)
