"""Every registered solver answers its own examples, and routing picks the right one."""

from typing import Any

import pytest

from solvers.base import Solver
from solvers.compare import same_answer
from solvers.errors import NoSolver
from solvers.normalize import normalize
from solvers.registry import SOLVERS, solver_for
from solvers.route import candidates, solve_question

EXAMPLES = [(solver, example) for solver in SOLVERS for example in solver.examples()]


def test_kinds_are_unique_and_listed_once():
    kinds = [solver.kind for solver in SOLVERS]
    assert len(kinds) == len(set(kinds))
    assert {"confusion_binary", "dropout", "gradient_shape"} <= set(kinds)
    assert all(solver_for(kind) is solver for kind, solver in zip(kinds, SOLVERS, strict=True))


def test_every_solver_has_examples():
    for solver in SOLVERS:
        assert len(solver.examples()) >= 6, solver.kind


@pytest.mark.parametrize(("solver", "example"), EXAMPLES, ids=lambda v: getattr(v, "kind", "")[:30])
def test_examples_route_to_their_solver_and_give_the_expected_answer(solver: Solver[Any], example):
    solved = solve_question(example.question)
    assert solved.kind == solver.kind
    solution = solved.solution
    for name, expected in example.expected.items():
        assert same_answer(solution.spec(name), expected, solution.answer[name]), (
            name,
            solution.answer[name],
        )
    assert solution.steps and solution.conventions
    assert set(solution.asked) <= set(solution.answer) <= set(solution.parts)


@pytest.mark.parametrize(("solver", "example"), EXAMPLES, ids=lambda v: getattr(v, "kind", "")[:30])
def test_variants_differ_from_the_answer_somewhere(solver: Solver[Any], example):
    problem = solver.parse(normalize(example.question))
    solution = solver.solve(problem)
    for variant in solver.variants(problem):
        assert set(variant.answer) <= set(solution.parts), variant.code
        assert variant.feedback.strip()


@pytest.mark.parametrize(
    "question",
    [
        "What is dropout?",
        "Explain precision and recall.",
        "Why do gradients vanish in deep networks?",
        "Describe the principle of early stopping.",
        "What is the capital of France?",
    ],
)
def test_conceptual_questions_are_not_claimed_by_a_solver(question):
    assert candidates(normalize(question)) == []
    with pytest.raises(NoSolver):
        solve_question(question)
