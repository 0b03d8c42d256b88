"""Which dropout parts follow from other asked parts (for error carried forward).

Inverted dropout: the training output is a ⊙ m times the scale. Original dropout: the test-time
output is a times the scale (the keep probability).
"""

from __future__ import annotations

from collections.abc import Mapping

from solvers.base import AnswerValue, Derivation, number_input
from solvers.dropout_compute import as_answer, combine, scaled
from solvers.dropout_problem import DropoutProblem


def derivations(problem: DropoutProblem) -> dict[str, Derivation]:
    """The asked parts that follow from other asked parts."""
    asked, a, m = set(problem.asked), problem.activations, problem.mask
    found: dict[str, Derivation] = {}
    if problem.inverted and {"output", "scale"} <= asked and a is not None and m is not None:
        activations, mask = a, m

        def output(values: Mapping[str, AnswerValue]) -> AnswerValue:
            return as_answer(combine(activations, mask, number_input(values, "scale")), problem.form)

        found["output"] = Derivation(("scale",), output)
    source = "test_scale" if "test_scale" in asked else "scale"
    if not problem.inverted and {"test_output", source} <= asked and a is not None:
        activations, unit = a, dict(problem.units).get("test_output")

        def test_output(values: Mapping[str, AnswerValue]) -> AnswerValue:
            return as_answer(scaled(activations, number_input(values, source)), problem.form, unit)

        found["test_output"] = Derivation((source,), test_output)
    return found
