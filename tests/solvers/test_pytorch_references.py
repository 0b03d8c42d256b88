"""Solvers against PyTorch: optimizers, clipping, regularization and deep gradient chains.

Each JSON file under `tests/reference/` comes from the `make_*_reference.py` script beside it, run
once with PyTorch (not a dependency). Every asked part of every case is checked.
"""

import json
import math
from pathlib import Path
from typing import Any

import pytest

from solvers.normalize import normalize
from solvers.registry import solver_for

REFERENCES = Path(__file__).parents[1] / "reference"
KINDS = ("optimizer_step", "gradient_clipping", "regularization", "vanishing_gradient")


def _cases() -> list[Any]:
    cases = []
    for kind in KINDS:
        for case in json.loads((REFERENCES / f"{kind}.json").read_text("utf-8"))["cases"]:
            cases.append(pytest.param(kind, case, id=f"{kind}:{case['name']}"))
    return cases


CASES = _cases()


def close(got: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(close, got, expected))
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_every_asked_part_matches_pytorch(kind: str, case: dict[str, Any]) -> None:
    solver = solver_for(kind)
    assert solver is not None
    text = normalize(case["question"])
    assert solver.detect(text) >= 0.6
    solution = solver.solve(solver.parse(text))
    assert set(solution.asked) <= set(case["expected"]), "an asked part has no reference value"
    for name, expected in case["expected"].items():
        assert close(solution.answer[name], expected), (name, solution.answer[name], expected)


def test_every_kind_has_reference_cases() -> None:
    counts = {kind: sum(1 for p in CASES if p.values[0] == kind) for kind in KINDS}
    assert all(count >= 5 for count in counts.values()), counts
