"""Numeric bank entries are answered and graded by the registered solvers, from their own prompt."""

import pytest

from question_bank.loader import load_bank
from solvers.grading import grade_response
from solvers.registry import solver_for
from solvers.route import solve_as

NUMERIC = [entry for entry in load_bank() if entry.solver is not None]


def test_the_three_numeric_seed_questions_are_numeric_entries():
    assert {(e.source.seed, e.source.number) for e in NUMERIC} == {
        ("001_cd5403ad6a1e5571.txt", 1),
        ("001_cd5403ad6a1e5571.txt", 2),
        ("001_cd5403ad6a1e5571.txt", 8),
    }


@pytest.mark.parametrize("entry", NUMERIC, ids=lambda e: e.id)
def test_solver_kind_is_registered_and_reads_the_stated_parameters(entry):
    assert entry.solver is not None
    assert solver_for(entry.solver.kind) is not None
    given = solve_as(entry.solver.kind, entry.prompt).solution.given
    for name, value in entry.solver.parameters.items():
        assert given[name] == value, name


@pytest.mark.parametrize("entry", NUMERIC, ids=lambda e: e.id)
def test_the_solvers_own_answer_grades_as_fully_correct(entry):
    assert entry.solver is not None
    solved = solve_as(entry.solver.kind, entry.prompt)
    grade = grade_response(solved.solution, list(solved.variants), dict(solved.solution.answer))
    assert grade.score == 1.0
