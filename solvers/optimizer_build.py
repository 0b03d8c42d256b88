"""Assembling an `OptimizerProblem`: hyperparameters and their defaults, state, steps, conventions."""

from __future__ import annotations

import re

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.extract import Array
from solvers.numbers import find_numbers
from solvers.optimizer_asked import Asked, read_asked
from solvers.optimizer_hyper import EXAMPLES, hyperparameters, read_rules
from solvers.optimizer_objective import Objective, parse_objective
from solvers.optimizer_polynomial import Variables
from solvers.optimizer_problem import (
    ADAM_LIKE,
    Method,
    OptimizerProblem,
    Vec,
    state_names,
)
from solvers.optimizer_read import Reading, find_objective, flat, read, shape_of
from solvers.optimizer_text import Found, Value, find_named

MAX_STEPS = 50
_STATE_INDEX = r"(?:_?\{?(?:t-1|t|\d{1,2})\}?)?"
_STATES = {
    "v": r"(?:(?:previous|current|initial|old|last)\s+)?velocity|momentum\s+(?:buffer|term)|(?-i:v)"
    + _STATE_INDEX,
    "m": r"(?:(?:previous|current|initial)\s+)?first[\s-]+moment(?:\s+estimate)?|(?-i:m)" + _STATE_INDEX,
    "v_adam": r"(?:(?:previous|current|initial)\s+)?second[\s-]+moment(?:\s+estimate)?|(?-i:v)"
    + _STATE_INDEX,
    "s": r"(?:(?-i:s|G|r)|cache|accumulator|accumulated\s+squared\s+gradients?|sum\s+of\s+squared\s+gradients"
    r"|running\s+average|E\[g\^2\])" + _STATE_INDEX,
}
_STATE_LINK = r"\s*(?:\([^()\d]{0,20}\)\s*)?(?:=|:|\bis\b|\bof\b)\s*"


def read_state(
    text: str, method: Method, size: int, arrays: list[Array]
) -> tuple[dict[str, Vec], int | None]:
    """The optimizer state the question gives (velocity, moments, accumulator) and its step index."""
    state: dict[str, Vec] = {}
    index: int | None = None
    keys = {"v": "v", "s": "s"} if method not in ADAM_LIKE else {"m": "m", "v": "v_adam"}
    for key, pattern_key in keys.items():
        if key not in state_names(method):
            continue
        for hit in find_named(text, _STATES[pattern_key], arrays, _STATE_LINK):
            values = flat(hit.value)
            if len(values) != size:
                continue
            state[key] = values
            digits = re.search(r"(\d{1,2})\W*$", hit.text.split("=")[0].strip())
            if digits and not re.search(r"(?:moment|velocity)", hit.text):
                index = int(digits.group(1))
            break
    return state, index


def _variables(reading: Reading, args: tuple[str, ...], body: str) -> Variables:
    size = len(flat(reading.start.value)) if reading.start else 1
    if len(args) > 1:
        return Variables(tuple(args))
    if args:
        name = args[0]
    else:
        letters = [m.group(0) for m in re.finditer(r"(?<![A-Za-z])[wxθyz](?![A-Za-z])", body)]
        name = letters[0] if letters else "w"
    if size > 1:
        return Variables(tuple(f"{name}_{i + 1}" for i in range(size)), vector=name)
    return Variables((name,))


def objective_for(text: str, reading: Reading) -> Objective | None:
    found = find_objective(text)
    if found is None:
        return None
    rest = text[: found.start] + " " * (found.end - found.start) + text[found.end :]

    def lookup(name: str) -> Value | None:
        hit = find_named(rest, re.escape(name), reading.arrays, r"\s*(?:=|:)\s*")
        return hit[0].value if hit else None

    return parse_objective(found.body, _variables(reading, found.args, found.body), lookup)


def _param_name(start: Found | None, objective: Objective | None) -> str:
    if start is not None:
        match = re.search(r"(?<![A-Za-z])(w|θ|theta|x|W|p)(?![A-Za-z])", start.text)
        if match:
            return "θ" if match.group(1) == "theta" else match.group(1)
    if objective is not None:
        variables = objective.variables
        return variables.vector or (variables.names[0] if variables.size == 1 else "w")
    return "w"


def _gradients(
    reading: Reading, size: int, shape: tuple[int, ...]
) -> tuple[tuple[Vec, ...], tuple[Vec, ...]]:
    """The gradients per step, or the per-example gradients of one batch."""
    values = reading.gradients
    sequence: list[Vec]
    if len(values) == 1 and isinstance(values[0], list):
        value = values[0]
        entries = flat(value)
        if shape_of(value) == shape or (size > 1 and len(entries) == size):
            sequence = [entries]
        elif size == 1:
            sequence = [(x,) for x in entries]
        elif len(shape_of(value)) == 2 and shape_of(value)[1] == size:
            sequence = [tuple(float(x) for x in row) for row in value if isinstance(row, list)]
        else:
            raise InvalidQuestion(f"the gradient has {len(entries)} entries but the parameter has {size}")
    else:
        sequence = [flat(v) for v in values]
        wrong = [g for g in sequence if len(g) != size]
        if wrong:
            raise InvalidQuestion(f"a gradient has {len(wrong[0])} entries but the parameter has {size}")
    if reading.gradient_batch and len(sequence) > 1:
        return (), tuple(sequence)
    return tuple(sequence), ()


def _steps(asked: Asked, given: int, state_given: bool, index: int | None) -> tuple[int, int]:
    """The step number of the first update and how many updates are asked."""
    t0 = 1
    if state_given:
        t0 = asked.ordinal or (index + 1 if index is not None else 1)
    indices = [i for i in asked.indices if i >= t0]
    if asked.count:
        steps = asked.count
    elif indices:
        steps = max(indices) - t0 + 1
    elif asked.ordinal and not state_given:
        steps = asked.ordinal
    else:
        steps = given or 1
    if not 1 <= steps <= MAX_STEPS:
        raise InvalidQuestion(f"{steps} steps are asked; between 1 and {MAX_STEPS} are worked out")
    return t0, steps


def _asked_parts(asked: Asked, method: Method, t0: int, steps: int, has_start: bool) -> tuple[str, ...]:
    keys = list(asked.keys)
    if not has_start:
        keys = [k for k in keys if k != "w"] or ["update"]
    indices = {i for i in asked.indices if i >= t0}
    if not ((asked.per_step or len(indices) > 1) and steps > 1):
        return tuple(keys)
    per_step = [k for k in keys if k in asked.per_step_keys]
    parts = [f"{k}_{t}" for t in range(t0, t0 + steps) for k in per_step]
    return (*parts, *(k for k in keys if k not in per_step))


def build(text: str) -> OptimizerProblem:
    """Read an optimizer question (normalised and prepared text) into a problem."""
    if not find_numbers(text):
        raise NotUnderstood(
            "the question gives no numbers: an update needs a learning rate, a parameter value and a "
            "gradient (or an objective)",
            EXAMPLES,
        )
    reading = read(text)
    method = reading.method
    if method is None:
        raise NotUnderstood(
            "no optimizer is named (gradient descent, SGD, momentum, Nesterov, AdaGrad, RMSProp, "
            "Adam, AdamW)",
            EXAMPLES,
        )
    objective = objective_for(text, reading)
    start = reading.start
    name = _param_name(start, objective)
    asked = read_asked(text, method, name, objective is not None)
    if start is None and (objective is not None or not reading.gradients or asked.keys == ("w",)):
        missing = "the starting point (w_0 = …)" if objective is not None else "the parameter value (w = …)"
        raise NotUnderstood(f"{missing} is not given", EXAMPLES)
    initial: Value = start.value if start is not None else _zeros_like(reading.gradients[0])
    shape, w0 = shape_of(initial), flat(initial)
    if objective is not None and objective.variables.size != len(w0):
        raise InvalidQuestion(
            f"the objective has {objective.variables.size} variables but the starting point has "
            f"{len(w0)} entries"
        )
    gradients, batch = _gradients(reading, len(w0), shape) if objective is None else ((), ())
    if objective is None and not gradients and not batch:
        raise NotUnderstood("no gradient is given: give g (or ∇L, dL/dw) or the objective f(w)", EXAMPLES)
    state, index = read_state(text, method, len(w0), reading.arrays)
    t0, steps = _steps(asked, len(gradients), bool(state), index)
    if gradients and steps > len(gradients):
        if len(gradients) == 1 and (asked.constant or asked.count):
            gradients = gradients * steps
        else:
            raise NotUnderstood(
                f"gradients for {len(gradients)} step(s) are given but {steps} steps are asked; "
                "give one gradient per step, or the objective f(w)"
            )
    if batch and steps > 1:
        raise NotUnderstood(
            "per-example gradients of one batch give one update; several steps need more gradients"
        )
    hyper = hyperparameters(text, method, reading.arrays)
    rules, stated = read_rules(text, method)
    return OptimizerProblem(
        method=method,
        w0=w0,
        shape=shape,
        steps=steps,
        lr=hyper.lr,
        gradients=gradients[:steps],
        objective=objective,
        beta=hyper.beta,
        beta1=hyper.beta1,
        beta2=hyper.beta2,
        eps=hyper.eps,
        weight_decay=hyper.weight_decay,
        t0=t0,
        state0=tuple(state.items()),
        rules=rules,
        stated=stated | hyper.stated,
        defaults=hyper.defaults,
        asked=_asked_parts(asked, method, t0, steps, start is not None),
        name=name,
        batch=batch,
        has_start=start is not None,
    )


def _zeros_like(value: Value) -> Value:
    if isinstance(value, float):
        return 0.0
    if value and isinstance(value[0], list):
        return [[0.0 for _ in row] for row in value]
    return [0.0 for _ in value]
