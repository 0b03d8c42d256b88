"""Hyperparameters of an optimizer question, their defaults, and the conventions its wording fixes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.extract import Array
from solvers.numbers import format_number
from solvers.optimizer_method import (
    bias_correction,
    eps_inside,
    is_ascent,
    momentum_form,
    nesterov_form,
    written_symbols,
)
from solvers.optimizer_problem import ADAM_LIKE, Method, MomentumForm, NesterovForm, Rules
from solvers.optimizer_text import find_named, link, scalar_named

EXAMPLES = [
    "Perform one step of gradient descent on f(w) = (w - 3)^2 from w_0 = 1 with learning rate 0.1.",
    "Adam with lr = 0.001: w = 0.5, gradient g = 0.2. Compute m_1, v_1 and w_1.",
]

_LR = r"learning[\s_-]+rates?|lr|η|eta|step[\s_-]*sizes?"
_ALPHA = r"α|alpha"
_MOMENTUM = (
    r"momentum(?:\s+(?:coefficient|parameter|term|factor|constant|rate|value))?|β|beta|μ|mu|γ|gamma|ρ|rho"
)
_DECAY = (
    r"(?<!weight\s)decay(?:\s+(?:rate|factor|constant|coefficient))?|ρ|rho|β|beta|γ|gamma|smoothing(?:\s+constant)?"
    r"|forgetting\s+factor|(?:moving|running)[\s-]+average\s+(?:coefficient|parameter|factor|decay)"
)
_BETA1 = r"β_?\{?1\}?|beta_?\{?1\}?|first[\s-]+moment\s+(?:decay(?:\s+rate)?|coefficient|rate)"
_BETA2 = r"β_?\{?2\}?|beta_?\{?2\}?|second[\s-]+moment\s+(?:decay(?:\s+rate)?|coefficient|rate)"
_EPS = r"ε|epsilon|eps|δ|delta"
_WD = (
    r"weight[\s_-]+decay(?:\s+(?:coefficient|rate|factor|parameter|strength))?|wd|λ|lambda|decay\s+coefficient"
    r"|l2\s+(?:penalty|coefficient|regularization)(?:\s+(?:strength|coefficient))?"
)


@dataclass(frozen=True)
class Hyper:
    lr: float
    beta: float
    beta1: float
    beta2: float
    eps: float
    weight_decay: float
    defaults: tuple[str, ...]
    stated: frozenset[str]


def _in_unit(name: str, value: float) -> float:
    if not 0 <= value < 1:
        raise InvalidQuestion(f"{name} = {format_number(value)} is not in [0, 1)")
    return value


def flat_pair(value: object) -> tuple[float, float]:
    """`betas=(0.9, 0.999)`."""
    if isinstance(value, list) and len(value) == 2:
        first, second = value
        if isinstance(first, float) and isinstance(second, float):
            return first, second
    raise NotUnderstood("betas must be two numbers: (β1, β2)")


def hyperparameters(text: str, method: Method, arrays: list[Array]) -> Hyper:
    defaults: list[str] = []
    stated: set[str] = set()
    momentum_names = _MOMENTUM
    lr_names = _LR
    symbols = written_symbols(text) if method in (Method.MOMENTUM, Method.NESTEROV) else None
    if symbols is not None:  # the rule is written out: its letters say which number is which
        momentum_names = re.escape(symbols[0])
        lr_names = re.escape(symbols[1]) + "|" + _LR if symbols[1] else _LR
    lr = scalar_named(text, lr_names, arrays, link(_LR))
    alpha = scalar_named(text, _ALPHA, arrays) if symbols is None or not symbols[1] else None
    decay = None
    if method is Method.RMSPROP and alpha is not None and (alpha >= 0.5 or lr is not None):
        decay, alpha = alpha, None  # PyTorch's RMSprop calls the decay alpha
    lr = lr if lr is not None else alpha
    if lr is None and method in ADAM_LIKE:
        lr = 0.001
        defaults.append("η = 0.001 (the PyTorch default)")
    if lr is None:
        raise NotUnderstood("the learning rate (η, lr or step size) is not given", EXAMPLES)
    if lr <= 0:
        raise InvalidQuestion(f"the learning rate {format_number(lr)} must be positive")
    beta = 0.0
    if method in (Method.MOMENTUM, Method.NESTEROV):
        found = scalar_named(text, momentum_names, arrays)
        if found is None:
            defaults.append("β = 0.9 (the usual momentum coefficient)")
        beta = _in_unit("the momentum coefficient", 0.9 if found is None else found)
    if method is Method.RMSPROP:
        found = decay if decay is not None else scalar_named(text, _DECAY, arrays)
        if found is None:
            defaults.append("ρ = 0.9 (Hinton's value, the Keras default)")
        else:
            stated.add("rho")
        beta = _in_unit("the decay rate ρ", 0.9 if found is None else found)
    beta1, beta2 = 0.9, 0.999
    if method in ADAM_LIKE:
        pair = [
            h
            for h in find_named(text, r"betas?|β", arrays)
            if isinstance(h.value, list) and len(h.value) == 2
        ]
        b1 = scalar_named(text, _BETA1, arrays)
        b2 = scalar_named(text, _BETA2, arrays)
        if pair:
            b1, b2 = flat_pair(pair[0].value)
        if b1 is None:
            defaults.append("β1 = 0.9")
        if b2 is None:
            defaults.append("β2 = 0.999")
        beta1 = _in_unit("β1", 0.9 if b1 is None else b1)
        beta2 = _in_unit("β2", 0.999 if b2 is None else b2)
    eps = 0.0
    if method in (Method.ADAGRAD, Method.RMSPROP, *ADAM_LIKE):
        found = scalar_named(text, _EPS, arrays)
        if found is None:
            defaults.append("ε = 1e-8")
        eps = 1e-8 if found is None else found
        if eps < 0:
            raise InvalidQuestion("ε must not be negative")
    weight_decay = scalar_named(text, _WD, arrays) or 0.0
    if method is Method.ADAMW and not weight_decay:
        weight_decay = 0.01
        defaults.append("weight decay λ = 0.01 (the PyTorch default)")
    return Hyper(lr, beta, beta1, beta2, eps, weight_decay, tuple(defaults), frozenset(stated))


def read_rules(text: str, method: Method) -> tuple[Rules, frozenset[str]]:
    stated: set[str] = set()
    form = momentum_form(text) if method is Method.MOMENTUM else None
    nesterov = nesterov_form(text) if method is Method.NESTEROV else None
    inside = eps_inside(text)
    correction = bias_correction(text) if method in ADAM_LIKE else None
    for key, value in (("momentum_form", form), ("nesterov_form", nesterov), ("eps", inside)):
        if value is not None:
            stated.add(key)
    if correction is not None:
        stated.add("bias_correction")
    decoupled = method is Method.ADAMW or bool(re.search(r"decoupled", text, re.IGNORECASE))
    if re.search(r"\bl2\b|coupled", text, re.IGNORECASE):
        stated.add("decay")
    rules = Rules(
        momentum_form=form or MomentumForm.ACCUMULATE,
        nesterov_form=nesterov or NesterovForm.LOOKAHEAD,
        eps_inside=bool(inside),
        bias_correction=correction is not False,
        sign=1.0 if is_ascent(text) else -1.0,
        decoupled=decoupled,
    )
    return rules, frozenset(stated)
