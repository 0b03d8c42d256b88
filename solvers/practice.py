"""Practice questions with fresh numbers, regenerated exactly from their id.

An id is `practice:<kind>:<seed>`. The same seed always gives the same question, so grading by id
needs no storage. A draw is rejected (and the next one from the same generator taken) when a known
mistake would give a value within tolerance of the right answer: such a question could not tell
the mistake from the right answer.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from typing import Any

from solvers.base import AnswerValue, Solution, Solver, Variant
from solvers.compare import same_answer
from solvers.errors import InvalidQuestion, UnknownQuestion
from solvers.normalize import normalize
from solvers.registry import SOLVERS, solver_for

PREFIX = "practice"
MAX_DRAWS = 50
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class PracticeQuestion:
    question_id: str
    kind: str
    topic: str
    question: str
    solution: Solution
    variants: tuple[Variant, ...]


def practice_id(kind: str, seed: int) -> str:
    return f"{PREFIX}:{kind}:{seed}"


def is_practice_id(question_id: str) -> bool:
    return question_id.startswith(PREFIX + ":")


def _coincides(solution: Solution, variants: list[Variant]) -> bool:
    """Would some known mistake go unnoticed: graded right on every asked part it touches?

    A part is graded right when it matches the answer or an accepted other convention.
    """
    accepted = [v for v in variants if v.accepted]

    def graded_right(name: str, value: AnswerValue) -> bool:
        spec = solution.spec(name)
        return same_answer(spec, solution.answer[name], value) or any(
            name in v.answer and same_answer(spec, v.answer[name], value) for v in accepted
        )

    for variant in variants:
        touched = [name for name in solution.asked if name in variant.answer]
        if not variant.accepted and touched and all(graded_right(n, variant.answer[n]) for n in touched):
            return True
    return False


def _draw(solver: Solver[Any], seed: int) -> PracticeQuestion:
    rng = random.Random(seed)
    for _ in range(MAX_DRAWS):
        question = solver.practice(rng)
        problem = solver.parse(normalize(question))
        solution = solver.solve(problem)
        variants = solver.variants(problem)
        if not _coincides(solution, variants):
            return PracticeQuestion(
                practice_id(solver.kind, seed), solver.kind, solver.topic, question, solution, tuple(variants)
            )
    raise InvalidQuestion(f"no practice question of kind {solver.kind!r} could be drawn from seed {seed}")


def practice_solvers(kind: str | None = None, topic: str | None = None) -> list[Solver[Any]]:
    """Registered solvers filtered by kind and topic (every solver has a practice generator)."""
    return [
        solver
        for solver in SOLVERS
        if (kind is None or solver.kind == kind) and (topic is None or solver.topic == topic)
    ]


def new_practice(
    kind: str | None = None, topic: str | None = None, seed: int | None = None
) -> PracticeQuestion:
    """A practice question of `kind` (or any kind of `topic`, or any kind), from `seed` or a fresh one."""
    choices = practice_solvers(kind, topic)
    if not choices:
        raise UnknownQuestion(f"no practice questions for kind={kind!r}, topic={topic!r}")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    solver = random.Random(seed).choice(choices)
    return _draw(solver, seed)


def regenerate(question_id: str) -> PracticeQuestion:
    """The practice question an id names, exactly as it was first drawn."""
    parts = question_id.split(":")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2].isdigit() or int(parts[2]) > MAX_SEED:
        raise UnknownQuestion(f"{question_id!r} is not a practice question id (practice:<kind>:<seed>)")
    solver = solver_for(parts[1])
    if solver is None or solver not in practice_solvers(parts[1]):
        raise UnknownQuestion(f"no practice questions of kind {parts[1]!r}")
    return _draw(solver, int(parts[2]))
