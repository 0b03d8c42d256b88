"""What the submission tests share: graders over the real bank and over a bank edited since, bodies."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from app.service import Examgrader
from app.storage.db import Database
from app.storage.keys import KeyStore
from app.storage.submissions import SubmissionRepository
from app.submission_service import SubmissionService
from question_bank.loader import default_root, load_bank

SEED_Q2 = (
    "Compute accuracy, precision, recall and F1.\n"
    "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
    "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |"
)
RIGHT = "accuracy 90%, precision 0.5, recall 0.8, F1 = 8/13"
SWAPPED = "accuracy 90%, precision 0.8, recall 0.5, F1 = 8/13"  # precision and recall swapped: 0.5
CONCEPTUAL_ID = "bagging-vs-boosting"
CONCEPTUAL_RESPONSE = (
    "Bagging trains models independently in parallel on bootstrap samples and averages them, which "
    "reduces variance. Boosting trains models sequentially, each focusing on the errors of the "
    "previous ones, which reduces bias."
)
# The bank entry's trade-offs key point (which CONCEPTUAL_RESPONSE leaves out), as shipped.
TRADEOFFS = (
    "    text: Bagging is robust to noise, hard to overfit and easy to parallelise; boosting is "
    "sensitive to noisy labels, can overfit without tuning and is hard to parallelise.\n    weight: 2\n"
)


def numeric(learner_id: str = "ada", response: Any = RIGHT, **more: Any) -> dict[str, Any]:
    return {"learner_id": learner_id, "question": SEED_Q2, "response": response, **more}


def conceptual(learner_id: str = "ada", **more: Any) -> dict[str, Any]:
    return {"learner_id": learner_id, "question_id": CONCEPTUAL_ID, "response": CONCEPTUAL_RESPONSE, **more}


@cache
def current_grader() -> Examgrader:
    return Examgrader(load_bank())


@cache
def edited_grader() -> Examgrader:
    """The grader after an instructor raised the weight of a key point: the same response scores less."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "questions"
        shutil.copytree(default_root(), root)
        entry = root / "ensembles" / f"{CONCEPTUAL_ID}.md"
        text = entry.read_text(encoding="utf-8")
        assert TRADEOFFS in text, "the bank entry changed: update TRADEOFFS"
        entry.write_text(
            text.replace(TRADEOFFS, TRADEOFFS.replace("weight: 2", "weight: 12")), encoding="utf-8"
        )
        return Examgrader(load_bank(root))


@cache
def exam_grader() -> Examgrader:
    """The shipped bank with the conceptual entry marked exam-only."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "questions"
        shutil.copytree(default_root(), root)
        entry = root / "ensembles" / f"{CONCEPTUAL_ID}.md"
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("\ndifficulty:", "\nexam_only: true\ndifficulty:", 1), encoding="utf-8")
        grader = Examgrader(load_bank(root))
    assert grader.exam_only(CONCEPTUAL_ID)
    return grader


def service(database: Database, grader: Examgrader | None = None) -> SubmissionService:
    return SubmissionService(grader or current_grader(), SubmissionRepository(database))


def new_key(database: Database, name: str, *scopes: str) -> tuple[int, str]:
    record, key = KeyStore(database).create(name, frozenset(scopes or ("grade", "read")))
    return record.id, key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
