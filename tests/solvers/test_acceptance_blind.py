"""A third held-out new-user sweep (`data/acceptance_blind.yaml`): 4 questions per kind, run once
blind before any fix. At least 90 % must come back right, and a miss must be a refusal, never a
confident wrong answer."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from solvers.registry import SOLVERS
from tests.solvers.test_acceptance import MIN_RIGHT, Outcome, judge

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "acceptance_blind.yaml").read_text()
)
PER_KIND = 4


@cache
def outcome(index: int) -> Outcome:
    return judge(CASES[index])


def test_the_blind_sweep_covers_every_kind_four_times() -> None:
    kinds = [case["kind"] for case in CASES]
    assert {solver.kind for solver in SOLVERS} == set(kinds)
    assert all(kinds.count(kind) == PER_KIND for kind in set(kinds))


def test_enough_blind_questions_come_back_right() -> None:
    verdicts = [outcome(index).verdict for index in range(len(CASES))]
    counts = {verdict: verdicts.count(verdict) for verdict in ("right", "refused", "wrong")}
    assert counts["right"] >= MIN_RIGHT * len(CASES), counts


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_a_blind_miss_is_a_refusal_never_a_wrong_answer(index: int) -> None:
    result = outcome(index)
    assert result.verdict != "wrong", result.detail
