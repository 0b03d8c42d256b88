"""Which early-stopping parts follow from other asked parts (for error carried forward).

When training stops early, it stops `patience` epochs after the best one, so the stop epoch
follows from the best epoch. (The restored epoch is the best one and the epochs trained are the
stop epoch counted from 1: copies, which carry no working.)
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from solvers.base import AnswerValue, Derivation, number_input
from solvers.early_stopping_parse import StopProblem


def _epoch(values: Mapping[str, AnswerValue], name: str, problem: StopProblem) -> int:
    value = number_input(values, name)
    if not value.is_integer() or int(value) not in problem.epochs:
        raise ValueError(f"{name} is not an epoch of the curve")
    return int(value)


def derivations(problem: StopProblem, stopped_early: bool) -> dict[str, Derivation]:
    """The asked parts that follow from other asked parts."""
    epochs, patience = problem.epochs, problem.patience
    consecutive = all(b - a == 1 for a, b in pairwise(epochs))
    found: dict[str, Derivation] = {}
    if (
        stopped_early
        and patience is not None
        and consecutive
        and {"best_epoch", "stop_epoch"} <= set(problem.asked)
    ):

        def stop_from_best(values: Mapping[str, AnswerValue]) -> AnswerValue:
            stop = _epoch(values, "best_epoch", problem) + patience
            if stop > epochs[-1]:
                raise ValueError("the curve ends before the patience runs out")
            return float(stop)

        found["stop_epoch"] = Derivation(("best_epoch",), stop_from_best)
    return found
