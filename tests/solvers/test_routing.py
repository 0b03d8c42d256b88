"""Routing across every registered kind: each solver's examples and every wording of its test tables
route to that solver through `solve_question`, and no solver claims (detect ≥ 0.5) another kind's
examples or wordings."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from solvers.base import Solver
from solvers.normalize import normalize
from solvers.registry import SOLVERS
from solvers.route import DETECT_THRESHOLD, solve_question

# Each kind's test module and its module-level tables of (question, ...) rows.
TABLES = {
    "confusion_binary": ("test_confusion", ("CASES",)),
    "confusion_multiclass": ("test_confusion_multiclass", ("CASES",)),
    "dropout": ("test_dropout", ("CASES",)),
    "gradient_shape": ("test_gradient_shape", ("WORDINGS",)),
    "gradient_matrix": ("test_gradient_matrix", ("WORDINGS",)),
    "initialization": ("test_initialization", ("CASES", "MISTAKES")),
    "architecture_count": ("test_architecture", ("CASES", "MISTAKES")),
    "early_stopping": ("test_early_stopping", ("CASES", "MISTAKES")),
    "ensemble": ("test_ensemble", ("CASES", "MISTAKES")),
    "optimizer_step": ("test_optimizer", ("WORDINGS",)),
    "regularization": ("test_regularization", ("WORDINGS",)),
    "gradient_clipping": ("test_clipping", ("WORDINGS",)),
    "vanishing_gradient": ("test_vanishing", ("WORDINGS",)),
}


def _table_questions(kind: str) -> list[str]:
    module_name, names = TABLES[kind]
    module = importlib.import_module(f"tests.solvers.{module_name}")
    rows = [getattr(row, "values", row) for name in names for row in getattr(module, name)]  # pytest.param
    return [row[0] for row in rows]


def _questions(solver: Solver[Any]) -> list[str]:
    found = [example.question for example in solver.examples()]
    return list(dict.fromkeys([*found, *_table_questions(solver.kind)]))


QUESTIONS = [(solver.kind, question) for solver in SOLVERS for question in _questions(solver)]


def test_every_kind_has_its_tables() -> None:
    assert set(TABLES) == {solver.kind for solver in SOLVERS}
    for solver in SOLVERS:
        assert len(_table_questions(solver.kind)) >= 20, solver.kind


@pytest.mark.parametrize(
    ("kind", "question"), QUESTIONS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(QUESTIONS)]
)
def test_question_routes_to_its_own_kind(kind: str, question: str) -> None:
    assert solve_question(question).kind == kind


@pytest.mark.parametrize("solver", SOLVERS, ids=lambda s: s.kind)
def test_no_solver_claims_another_kinds_questions(solver: Solver[Any]) -> None:
    claimed = [
        (kind, question)
        for kind, question in QUESTIONS
        if kind != solver.kind and solver.detect(normalize(question)) >= DETECT_THRESHOLD
    ]
    assert claimed == []
