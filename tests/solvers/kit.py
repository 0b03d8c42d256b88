"""What the per-solver tests share: one solver's parse / solve / variants on raw text, and `close`."""

from __future__ import annotations

import math
from typing import Any, Generic, TypeVar

from solvers.base import Solution, Solver, Variant
from solvers.normalize import normalize

ProblemT = TypeVar("ProblemT")


class SolverKit(Generic[ProblemT]):
    """A solver driven from a question as written (normalised first, as the router does)."""

    def __init__(self, solver: Solver[ProblemT]) -> None:
        self.solver = solver

    def detect(self, question: str) -> float:
        return self.solver.detect(normalize(question))

    def parse(self, question: str) -> ProblemT:
        return self.solver.parse(normalize(question))

    def solve(self, question: str) -> Solution:
        return self.solver.solve(self.parse(question))

    def variants(self, question: str) -> dict[str, Variant]:
        return {v.code: v for v in self.solver.variants(self.parse(question))}

    def variant(self, question: str, code: str) -> Variant:
        found = self.variants(question)
        assert code in found, sorted(found)
        return found[code]


def close(got: Any, expected: Any, rel: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    """Numbers within tolerance, lists element by element, words equal."""
    if isinstance(expected, list):
        return (
            isinstance(got, list)
            and len(got) == len(expected)
            and all(close(g, e, rel, abs_tol) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(expected, str):
        return got == expected
    return (
        isinstance(got, int | float)
        and not isinstance(got, bool)
        and math.isclose(got, expected, rel_tol=rel, abs_tol=abs_tol)
    )
