"""Which optimizer parts follow from other asked parts (for error carried forward).

A step's parameter and state follow from the previous step's asked parameter and state: the
update is re-run once from the student's values (the rest of the state as it really is). Adam's
bias-corrected moments follow from the moments, and the parameter and the update from m̂ and v̂;
the final parameter from the update when both are asked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from solvers.base import AnswerValue, Derivation, vector_input
from solvers.errors import InvalidQuestion
from solvers.optimizer_answer import shaped
from solvers.optimizer_compute import Record, run
from solvers.optimizer_problem import ADAM_LIKE, OptimizerProblem, Vec, state_names

_CARRIED_STATE = ("v", "m", "s")  # the state an update starts from (not Adam's m̂ and v̂)


@dataclass(frozen=True)
class _Steps:
    """The right run, and the asked part names of each step."""

    problem: OptimizerProblem
    records: list[Record]

    @property
    def last(self) -> int:
        return self.problem.t0 + self.problem.steps - 1

    def name(self, key: str, t: int) -> str | None:
        """The asked part holding `key` after step `t` (`w_2`, or `w` for the last step)."""
        asked = self.problem.asked
        if self.problem.steps > 1 and f"{key}_{t}" in asked:
            return f"{key}_{t}"
        return key if t == self.last and key in asked else None

    def before(self, k: int) -> tuple[Vec, dict[str, Vec]]:
        """The parameter and the state before update `k` (0-based), as they really are."""
        if k == 0:
            return self.problem.w0, {key: self.problem.initial(key) for key in _CARRIED_STATE}
        record = self.records[k - 1]
        return record.w, {key: v for key, v in record.state.items() if key in _CARRIED_STATE}

    def inputs_before(self, t: int) -> dict[str, str]:
        """Asked parts of the step before `t`: key → part name."""
        keys = ("w", *(k for k in state_names(self.problem.method) if k in _CARRIED_STATE))
        return {key: name for key in keys if (name := self.name(key, t - 1)) is not None}


def _vector(values: Mapping[str, AnswerValue], name: str, size: int) -> Vec:
    vec = vector_input(values, name)
    if len(vec) != size:
        raise ValueError(f"{name} has {len(vec)} entries, not {size}")
    return vec


def _one_step(
    steps: _Steps, k: int, given: dict[str, str], values: Mapping[str, AnswerValue]
) -> tuple[Vec, Record]:
    """Update `k` re-run from the student's values of the parts in `given` (key → part name)."""
    problem = steps.problem
    w, state = steps.before(k)
    w = _vector(values, given["w"], problem.size) if "w" in given else w
    state |= {key: _vector(values, name, problem.size) for key, name in given.items() if key != "w"}
    single = replace(
        problem,
        w0=w,
        steps=1,
        t0=problem.t0 + k,
        state0=tuple(state.items()),
        gradients=problem.gradients[k : k + 1],
    )
    try:
        return w, run(single, problem.rules)[0]
    except InvalidQuestion as error:
        raise ValueError(error.message) from error


def _from_previous(
    steps: _Steps, k: int, given: dict[str, str], key: str, update: bool = False
) -> Derivation:
    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        before, record = _one_step(steps, k, given, values)
        if key == "w" and update:
            return shaped(steps.problem, tuple(a - b for a, b in zip(record.w, before, strict=True)))
        return shaped(steps.problem, record.w if key == "w" else record.state[key])

    return Derivation(tuple(given.values()), compute)


def _bias_corrected(steps: _Steps, t: int, source: str, beta: float) -> Derivation:
    correction = 1 - beta**t if steps.problem.rules.bias_correction else 1.0

    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        return shaped(
            steps.problem, tuple(x / correction for x in _vector(values, source, steps.problem.size))
        )

    return Derivation((source,), compute)


def _from_moments(
    steps: _Steps, k: int, hats: tuple[str, str], w_name: str | None, update: bool
) -> Derivation:
    """Adam's step from m̂ and v̂: w ← decay(w) − η·m̂ / (√v̂ + ε)."""
    problem, rules = steps.problem, steps.problem.rules

    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        before = steps.before(k)[0] if w_name is None else _vector(values, w_name, problem.size)
        m_hat, v_hat = (_vector(values, name, problem.size) for name in hats)
        decay = 1 - problem.lr * problem.weight_decay if problem.weight_decay and rules.decoupled else 1.0
        after = []
        for w, m, v in zip(before, m_hat, v_hat, strict=True):
            denominator = math.sqrt(v + problem.eps) if rules.eps_inside else math.sqrt(v) + problem.eps
            after.append(w * decay + rules.sign * problem.lr * m / denominator)
        if update:
            return shaped(problem, tuple(a - b for a, b in zip(after, before, strict=True)))
        return shaped(problem, tuple(after))

    return Derivation(((w_name,) if w_name else ()) + hats, compute)


def _from_update(steps: _Steps) -> Derivation:
    w_before = steps.before(steps.problem.steps - 1)[0]

    def compute(values: Mapping[str, AnswerValue]) -> AnswerValue:
        update = _vector(values, "update", steps.problem.size)
        return shaped(steps.problem, tuple(w + u for w, u in zip(w_before, update, strict=True)))

    return Derivation(("update",), compute)


def derivations(problem: OptimizerProblem) -> dict[str, Derivation]:
    """Every asked part that follows from other asked parts, by step."""
    steps = _Steps(problem, run(problem, problem.rules))
    found: dict[str, Derivation] = {}
    adam = problem.method in ADAM_LIKE
    for k in range(problem.steps):
        t = problem.t0 + k
        previous = steps.inputs_before(t)
        for key in ("w", *(s for s in state_names(problem.method) if s in _CARRIED_STATE)):
            name = steps.name(key, t)
            if name is not None and previous:
                found[name] = _from_previous(steps, k, previous, key)
        if not adam:
            continue
        for hat, source, beta in (("m_hat", "m", problem.beta1), ("v_hat", "v", problem.beta2)):
            hat_name, source_name = steps.name(hat, t), steps.name(source, t)
            if hat_name is not None and source_name is not None:
                found[hat_name] = _bias_corrected(steps, t, source_name, beta)
        hats = steps.name("m_hat", t), steps.name("v_hat", t)
        w_name = steps.name("w", t)
        if hats[0] is not None and hats[1] is not None and w_name is not None:
            found[w_name] = _from_moments(steps, k, (hats[0], hats[1]), previous.get("w"), update=False)
    last = problem.steps - 1
    if "update" in problem.asked:
        hats = steps.name("m_hat", steps.last), steps.name("v_hat", steps.last)
        previous = steps.inputs_before(steps.last)
        if adam and hats[0] is not None and hats[1] is not None:
            found["update"] = _from_moments(steps, last, (hats[0], hats[1]), previous.get("w"), update=True)
        elif previous:
            found["update"] = _from_previous(steps, last, previous, "w", update=True)
    if "update" in problem.asked and "w" in problem.asked and "w" not in found and problem.has_start:
        found["w"] = _from_update(steps)
    return found
