"""Which architecture parts follow from other asked parts (for error carried forward).

The total parameter count is the sum of the per-layer counts; the parameters saved by sharing
(and the ratio) follow from the two counts compared; a fully connected or unshared layer's count
follows from the output size, one weight vector per output unit.
"""

from __future__ import annotations

from collections.abc import Mapping

from solvers.architecture_answer import traces
from solvers.architecture_layers import SPATIAL, Rules
from solvers.architecture_parse import ArchProblem
from solvers.base import AnswerValue, Derivation, number_input, vector_input

_OTHERS = ("dense_params", "unshared_params")


def _total(values: Mapping[str, AnswerValue]) -> AnswerValue:
    return sum(vector_input(values, "params_per_layer"))


def _against(other: str, ratio: bool) -> Derivation:
    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        shared, compared = number_input(values, "params"), number_input(values, other)
        return compared / shared if ratio else compared - shared

    return Derivation(("params", other), compute)


def _from_output_size(per_unit: float, dims: int, channels: int) -> Derivation:
    """(output size)^dims · channels output units, each with `per_unit` parameters."""

    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        size = number_input(values, "output_size")
        if size <= 0 or not size.is_integer():
            raise ValueError("an output size is a positive whole number")
        return per_unit * size**dims * channels

    return Derivation(("output_size",), compute)


def derivations(
    problem: ArchProblem, rules: Rules, answer: dict[str, AnswerValue], asked: tuple[str, ...]
) -> dict[str, Derivation]:
    """The asked parts that follow from other asked parts."""
    found: dict[str, Derivation] = {}
    if {"params", "params_per_layer"} <= set(asked):
        found["params"] = Derivation(("params_per_layer",), _total)
    other = next((name for name in _OTHERS if name in asked), None)
    if other is None:
        return found
    for name, ratio in (("saving", False), ("ratio", True)):
        if name in asked and "params" in asked:
            found[name] = _against(other, ratio)
    last = traces(problem, rules)[-1]
    after, right = last.after, answer.get(other)
    single = last.layer.kind in SPATIAL and last.layer.kind != "pool" and len(problem.layers) == 1
    square = len(set(after.spatial)) == 1
    if (
        "output_size" in asked
        and single
        and square
        and after.channels
        and after.size
        and isinstance(right, float)
    ):
        found[other] = _from_output_size(right / after.size, len(after.spatial), after.channels)
    return found
