"""Routing a question to the solver that reads it best."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from solvers.base import Solution, Solver, Variant
from solvers.errors import InputTooLarge, NoSolver, NotUnderstood
from solvers.limits import MAX_DIGITS, MAX_TEXT_CHARS
from solvers.normalize import normalize
from solvers.registry import SOLVERS, solver_for

DETECT_THRESHOLD = 0.5
_LONG_DIGIT_RUN = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


@dataclass(frozen=True)
class Solved:
    """A question read and solved, with the wrong variants its grader diagnoses with."""

    kind: str
    solution: Solution
    variants: tuple[Variant, ...]


def candidates(text: str, solvers: Sequence[Solver[Any]] = SOLVERS) -> list[tuple[float, Solver[Any]]]:
    """Solvers whose `detect` clears the threshold on normalised `text`, best first."""
    scored = [(solver.detect(text), solver) for solver in solvers]
    return sorted((pair for pair in scored if pair[0] >= DETECT_THRESHOLD), key=lambda p: -p[0])


def solve_as(kind: str, question: str) -> Solved:
    """Solve with the solver of `kind`, whatever its `detect` says (the bank named the kind)."""
    solver = solver_for(kind)
    if solver is None:
        raise NotUnderstood(f"no solver of kind {kind!r} is registered")
    problem = solver.parse(normalize(_checked(question)))
    return Solved(solver.kind, solver.solve(problem), tuple(solver.variants(problem)))


def _checked(question: str) -> str:
    if len(question) > MAX_TEXT_CHARS:
        raise InputTooLarge(f"the question has {len(question)} characters; at most {MAX_TEXT_CHARS} are read")
    if run := _LONG_DIGIT_RUN.search(question):
        raise InputTooLarge(f"a number has {len(run[0])} digits; at most {MAX_DIGITS} are read")
    return question


def solve_question(question: str, solvers: Sequence[Solver[Any]] = SOLVERS) -> Solved:
    """Normalise, route and solve; `NotUnderstood` when no solver can read the question."""
    text = normalize(_checked(question))
    first_refusal: NotUnderstood | None = None
    for _, solver in candidates(text, solvers):
        try:
            problem = solver.parse(text)
        except NotUnderstood as refusal:
            first_refusal = first_refusal or refusal
            continue
        return Solved(solver.kind, solver.solve(problem), tuple(solver.variants(problem)))
    if first_refusal is not None:
        raise first_refusal
    raise NoSolver(
        "no solver recognised this as a numeric question",
        suggestions=[solver.examples()[0].question for solver in solvers],
    )
