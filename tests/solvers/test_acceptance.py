"""New-user acceptance: questions worded as exams, textbooks and Q&A sites ask them, none from the
solver tests (`data/acceptance.yaml`). At least 90 % must come back right, and a miss must be a
refusal (`NotUnderstood`, `InvalidQuestion`), never a confident wrong answer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from solvers.base import AnswerValue, Solution
from solvers.compare import same_answer
from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.registry import SOLVERS
from solvers.route import solve_question

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "data" / "acceptance.yaml").read_text())
MIN_RIGHT = 0.9


@dataclass(frozen=True)
class Outcome:
    verdict: str  # "right", "refused" or "wrong"
    detail: str = ""


def _part(solution: Solution, name: str) -> str | None:
    """The answer key a response labelled `name` would be read as (the name or one of its aliases)."""
    if name in solution.answer:
        return name
    wanted = {name.lower(), name.lower().replace("_", " ")}
    found = [key for key in solution.answer if wanted & set(solution.spec(key).names)]
    return found[0] if len(found) == 1 else None


def _matches(solution: Solution, accepted: list[dict[str, AnswerValue]], name: str, expected: Any) -> bool:
    key = _part(solution, name)
    if key is None:
        return False
    spec = solution.spec(key)
    readings = [solution.answer, *(answer for answer in accepted if key in answer)]
    return any(same_answer(spec, expected, reading[key]) for reading in readings)


@cache
def outcome(index: int) -> Outcome:
    return judge(CASES[index])


def judge(case: dict[str, Any]) -> Outcome:
    """One sweep case routed as a new user's question: right, refused, or wrong (with why)."""
    try:
        solved = solve_question(case["question"])
    except (NotUnderstood, InvalidQuestion) as refusal:
        return Outcome("refused", refusal.message)
    if solved.kind != case["kind"]:
        return Outcome("wrong", f"routed to {solved.kind}: {solved.solution.answer}")
    solution = solved.solution
    # Another common convention the solver names and accepts (e.g. (λ/2)Σw² for λΣw²) is right too.
    accepted = [variant.answer for variant in solved.variants if variant.accepted]
    wrong = [
        name
        for name, expected in case["expected"].items()
        if not _matches(solution, accepted, name, expected)
    ]
    if wrong:
        return Outcome("wrong", f"{wrong} expected {case['expected']}, got {solution.answer}")
    return Outcome("right")


def tally() -> dict[str, int]:
    counts = {"right": 0, "refused": 0, "wrong": 0}
    for index in range(len(CASES)):
        counts[outcome(index).verdict] += 1
    return counts


def test_the_sweep_covers_every_kind_twelve_times() -> None:
    kinds = [case["kind"] for case in CASES]
    assert {solver.kind for solver in SOLVERS} == set(kinds)
    assert all(kinds.count(kind) == 12 for kind in set(kinds))


def test_enough_questions_come_back_right() -> None:
    counts = tally()
    assert counts["right"] >= MIN_RIGHT * len(CASES), counts


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_a_miss_is_a_refusal_never_a_wrong_answer(index: int) -> None:
    result = outcome(index)
    assert result.verdict != "wrong", result.detail
