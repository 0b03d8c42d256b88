"""The clipping solver against PyTorch: clip_grad_norm_ and clip_grad_value_.

The values come from `tests/reference/make_gradient_clipping_reference.py`, run once with PyTorch.
"""

import json
import math
from pathlib import Path
from typing import Any

import pytest

from solvers.clipping import ClippingSolver
from solvers.normalize import normalize

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "reference" / "gradient_clipping.json").read_text("utf-8")
)
SOLVER = ClippingSolver()


def close(got: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(close, got, expected))
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["name"])
def test_clipping_matches_pytorch(case: dict[str, Any]) -> None:
    text = normalize(case["question"])
    assert SOLVER.detect(text) >= 0.6
    solution = SOLVER.solve(SOLVER.parse(text))
    for name, expected in case["expected"].items():
        assert close(solution.answer[name], expected), (name, solution.answer[name], expected)


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["name"])
def test_every_asked_part_is_checked_against_pytorch(case: dict[str, Any]) -> None:
    solution = SOLVER.solve(SOLVER.parse(normalize(case["question"])))
    unchecked = set(solution.asked) - set(case["expected"])
    assert not unchecked
