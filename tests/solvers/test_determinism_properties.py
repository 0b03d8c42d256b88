"""The same input gives the same output: each solver's parse, solve and mistakes on its own example
questions (mutated at random), and the grade of any response to one of its solutions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers.base import Solver
from solvers.errors import ExamgraderError
from solvers.grading import grade_response
from solvers.normalize import normalize
from solvers.registry import SOLVERS
from tests.solvers.test_parse_properties import mutated_example

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # a derivation's function prints with its address


def _outcome(solver: Solver[Any], question: str) -> str:
    """Everything a solver makes of a question, as text; a refusal by its error."""
    try:
        problem = solver.parse(normalize(question))
        return _ADDRESS.sub("", repr((problem, solver.solve(problem), solver.variants(problem))))
    except ExamgraderError as error:
        return f"{type(error).__name__}: {error.message}"


@pytest.mark.parametrize("solver", SOLVERS, ids=lambda s: s.kind)
def test_parse_and_solve_are_deterministic(solver: Solver[Any]) -> None:
    @PROPERTY
    @given(mutated_example(solver.kind))
    def run(question: str) -> None:
        assert _outcome(solver, question) == _outcome(solver, question)

    run()


_RESPONSE_PIECES = st.sampled_from(
    [
        *"0123456789.,;:=%/[]() -+eE\n",
        "x",
        "×",
        "by",
        "accuracy",
        "precision",
        "f1",
        "w",
        "mask",
        "yes",
        "A^T",
    ]
)


@pytest.mark.parametrize("solver", SOLVERS, ids=lambda s: s.kind)
def test_grading_a_response_is_deterministic(solver: Solver[Any]) -> None:
    problem = solver.parse(normalize(solver.examples()[0].question))
    solution, variants = solver.solve(problem), solver.variants(problem)
    answer_text = " ".join(f"{name} = {value}" for name, value in solution.answer.items())

    def grade(response: str) -> str:
        try:
            return _ADDRESS.sub("", repr(grade_response(solution, variants, response)))
        except ExamgraderError as error:
            return f"{type(error).__name__}: {error.message}"

    @PROPERTY
    @given(st.lists(_RESPONSE_PIECES, max_size=30).map("".join) | st.just(answer_text) | st.text(max_size=80))
    def run(response: str) -> None:
        assert grade(response) == grade(response)

    run()
