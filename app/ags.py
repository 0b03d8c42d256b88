"""A grade as an LTI Advantage Assignment and Grade Services (AGS) `score`, ready to pass back.

- graded, no review needed: gradingProgress FullyGraded, activityProgress Completed;
- graded but flagged for review: PendingManual with the machine's score as a provisional scoreGiven;
- response unreadable (a format error, score withheld): Failed and Submitted, scoreGiven left out,
  the feedback in `comment` tells the learner what to fix before resubmitting.
"""

from __future__ import annotations

from datetime import datetime

from app.schemas import GradeOut
from app.submission_schemas import AgsScore

SCORE_MAXIMUM = 1.0


def ags_score(grade: GradeOut, learner_id: str, graded_at: datetime) -> AgsScore:
    if grade.status == "unreadable" or grade.score is None:
        return AgsScore(
            userId=learner_id,
            scoreMaximum=SCORE_MAXIMUM,
            comment=grade.feedback,
            timestamp=graded_at,
            activityProgress="Submitted",
            gradingProgress="Failed",
        )
    return AgsScore(
        userId=learner_id,
        scoreGiven=grade.score * SCORE_MAXIMUM,
        scoreMaximum=SCORE_MAXIMUM,
        comment=grade.feedback,
        timestamp=graded_at,
        activityProgress="Completed",
        gradingProgress="PendingManual" if grade.needs_review else "FullyGraded",
    )
