"""From the updates to answer parts: the parameter after each step, the optimizer state, the update."""

from __future__ import annotations

from solvers.base import AnswerValue
from solvers.optimizer_compute import Record, run
from solvers.optimizer_problem import OptimizerProblem, Rules, Vec


def tidy(x: float) -> float:
    """Drop floating-point noise: 0.30000000000000004 → 0.3."""
    return float(f"{x:.12g}")


def shaped(problem: OptimizerProblem, vec: Vec) -> AnswerValue:
    """A flat vector back in the parameter's shape: a number, a vector or rows of a matrix."""
    if not problem.shape:
        return tidy(vec[0])
    if len(problem.shape) == 2:
        rows, cols = problem.shape
        return [[tidy(vec[r * cols + c]) for c in range(cols)] for r in range(rows)]
    return [tidy(x) for x in vec]


def answer_from(problem: OptimizerProblem, records: list[Record]) -> dict[str, AnswerValue]:
    out: dict[str, AnswerValue] = {}
    if problem.steps > 1:
        for record in records:
            if problem.has_start:
                out[f"w_{record.t}"] = shaped(problem, record.w)
            for key, value in record.state.items():
                out[f"{key}_{record.t}"] = shaped(problem, value)
    last = records[-1]
    if problem.has_start:
        out["w"] = shaped(problem, last.w)
    for key, value in last.state.items():
        out[key] = shaped(problem, value)
    out["update"] = shaped(problem, tuple(a - b for a, b in zip(last.w, last.before, strict=True)))
    if problem.objective is not None or problem.batch:
        out["gradient"] = shaped(problem, records[0].gradient)
    if last.effective_lr is not None:
        out["effective_lr"] = shaped(problem, last.effective_lr)
    return out


def answer(problem: OptimizerProblem, rules: Rules | None = None) -> dict[str, AnswerValue]:
    return answer_from(problem, run(problem, rules or problem.rules))
