"""The update rules, step by step, element-wise; every mistake is the same loop with other `Rules`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from solvers.errors import InvalidQuestion
from solvers.optimizer_problem import (
    Method,
    MomentumForm,
    NesterovForm,
    OptimizerProblem,
    Rules,
    Vec,
)


@dataclass(frozen=True)
class Record:
    """One update: where the gradient was taken, the gradient used, the state and w afterwards."""

    t: int
    before: Vec
    point: Vec
    gradient: Vec
    w: Vec
    state: dict[str, Vec] = field(default_factory=dict)
    effective_lr: Vec | None = None


def _add(a: Vec, b: Vec, scale: float = 1.0) -> Vec:
    return tuple(x + scale * y for x, y in zip(a, b, strict=True))


def _scale(a: Vec, k: float) -> Vec:
    return tuple(k * x for x in a)


def _batch_gradient(problem: OptimizerProblem, rules: Rules) -> Vec:
    total: Vec = (0.0,) * problem.size
    for g in problem.batch:
        total = _add(total, g)
    return total if not rules.batch_mean else _scale(total, 1 / len(problem.batch))


def gradient_at(problem: OptimizerProblem, rules: Rules, step: int, point: Vec) -> Vec:
    """The gradient for update `step` (0-based), taken at `point` when an objective gives it."""
    if problem.batch:
        return _batch_gradient(problem, rules)
    if problem.objective is not None:
        where = point if rules.recompute else problem.w0
        return problem.objective.gradient(where)
    return problem.gradients[step]


def _denominator(s: float, rules: Rules, eps: float) -> float:
    if not rules.square_root:
        return s + eps
    if s < 0:
        raise InvalidQuestion("a squared-gradient average is negative; check the given state")
    denominator = math.sqrt(s + eps) if rules.eps_inside else math.sqrt(s) + eps
    if denominator == 0:
        raise InvalidQuestion(
            "with ε = 0 and no squared gradient accumulated, the step divides by zero: give ε > 0"
        )
    return denominator


def _momentum(
    form: MomentumForm, beta: float, v: Vec, g: Vec, w: Vec, lr: float, sign: float
) -> tuple[Vec, Vec]:
    if form is MomentumForm.VELOCITY:
        v = tuple(beta * vi + sign * lr * gi for vi, gi in zip(v, g, strict=True))
        return v, _add(w, v)
    if form is MomentumForm.AVERAGE:
        v = tuple(beta * vi + (1 - beta) * gi for vi, gi in zip(v, g, strict=True))
    else:
        v = tuple(beta * vi + gi for vi, gi in zip(v, g, strict=True))
    return v, _add(w, v, sign * lr)


def _adaptive(
    problem: OptimizerProblem, rules: Rules, t: int, w: Vec, g: Vec, state: dict[str, Vec], lr: float
) -> tuple[Vec, dict[str, Vec], Vec]:
    """AdaGrad, RMSProp, Adam and AdamW: the new w, the new state and the effective learning rates."""
    method, eps, sign = problem.method, problem.eps, rules.sign
    new: dict[str, Vec] = {}
    if method in (Method.ADAGRAD, Method.RMSPROP):
        rho = rules.rho if rules.rho is not None else problem.beta
        s = state["s"]
        if method is Method.ADAGRAD:
            s = tuple((si if rules.accumulate else 0.0) + gi * gi for si, gi in zip(s, g, strict=True))
        else:
            weight = (1 - rho) if rules.average_weight else 1.0
            s = tuple(rho * si + weight * gi * gi for si, gi in zip(s, g, strict=True))
        new["s"] = s
        effective = tuple(lr / _denominator(si, rules, eps) for si in s)
        step = tuple(e * gi for e, gi in zip(effective, g, strict=True))
        return _add(w, step, sign), new, effective
    beta1, beta2 = (problem.beta2, problem.beta1) if rules.swap_betas else (problem.beta1, problem.beta2)
    w1, w2 = ((1 - beta1), (1 - beta2)) if rules.average_weight else (1.0, 1.0)
    m = tuple(beta1 * mi + w1 * gi for mi, gi in zip(state["m"], g, strict=True))
    v = tuple(beta2 * vi + w2 * gi * gi for vi, gi in zip(state["v"], g, strict=True))
    c1 = 1 - beta1**t if rules.bias_correction else 1.0
    c2 = 1 - beta2**t if rules.bias_correction else 1.0
    if c1 == 0 or c2 == 0:
        raise InvalidQuestion("β1 or β2 is 1, so the bias correction divides by zero")
    m_hat, v_hat = _scale(m, 1 / c1), _scale(v, 1 / c2)
    new.update(m=m, v=v, m_hat=m_hat, v_hat=v_hat)
    effective = tuple(lr / _denominator(vi, rules, eps) for vi in v_hat)
    step = tuple(e * mi for e, mi in zip(effective, m_hat, strict=True))
    return _add(w, step, sign), new, effective


def run(problem: OptimizerProblem, rules: Rules) -> list[Record]:
    """Every update of the problem under `rules`."""
    method = problem.method
    lr = problem.lr if rules.use_lr else 1.0
    beta, sign = problem.beta, rules.sign
    w = problem.w0
    state = {key: problem.initial(key) for key in ("v", "m", "s")}
    records: list[Record] = []
    plain = method is Method.GD or (method in (Method.MOMENTUM, Method.NESTEROV) and not rules.momentum)
    lookahead = method is Method.NESTEROV and rules.lookahead
    for step in range(problem.steps):
        t = problem.t0 + step
        point = w
        if lookahead and rules.nesterov_form is NesterovForm.LOOKAHEAD and not plain:
            point = _add(w, state["v"], beta)
        g = gradient_at(problem, rules, step, point)
        if problem.weight_decay and not rules.decoupled:
            g = _add(g, w, problem.weight_decay)  # L2 in the gradient
        before = w
        if problem.weight_decay and rules.decoupled:
            w = _scale(w, 1 - (lr if rules.decay_lr else 1.0) * problem.weight_decay)
        effective: Vec | None = None
        new: dict[str, Vec] = {}
        if plain:
            w = _add(w, g, sign * lr)
        elif method in (Method.MOMENTUM, Method.NESTEROV):
            if method is Method.NESTEROV and not rules.lookahead:
                form = (
                    MomentumForm.VELOCITY
                    if rules.nesterov_form is NesterovForm.LOOKAHEAD
                    else MomentumForm.ACCUMULATE
                )
                v, w = _momentum(form, beta, state["v"], g, w, lr, sign)
            elif method is Method.NESTEROV and rules.nesterov_form is NesterovForm.PYTORCH:
                v = tuple(beta * vi + gi for vi, gi in zip(state["v"], g, strict=True))
                w = _add(w, _add(g, v, beta), sign * lr)
            elif method is Method.NESTEROV:
                v, w = _momentum(MomentumForm.VELOCITY, beta, state["v"], g, w, lr, sign)
            else:
                v, w = _momentum(rules.momentum_form, beta, state["v"], g, w, lr, sign)
            new["v"] = v
        else:
            w, new, effective = _adaptive(problem, rules, t, w, g, state, lr)
        state.update(new)
        records.append(Record(t, before, point, g, w, new, effective))
        _check_finite(w)
    return records


def _check_finite(w: Vec) -> None:
    if not all(math.isfinite(x) for x in w):
        raise InvalidQuestion("the update overflows: the numbers given make w infinite")
