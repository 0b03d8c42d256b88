"""What an initialization question gives and asks for, and the formulas it is answered with.

Every scheme is a variance scaling rule, Var(W) = gain² / fan (He, LeCun) or gain² · 2 / (fan_in +
fan_out) (Xavier); a uniform U(−a, a) with that variance has a = √(3 · Var), a normal has σ = √Var.
PyTorch's default for nn.Linear and nn.Conv (kaiming_uniform_ with a = √5) gives a = 1/√fan_in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from solvers.base import PartSpec, ValueKind


class Scheme(StrEnum):
    XAVIER = "xavier"
    HE = "he"
    LECUN = "lecun"
    TORCH_DEFAULT = "pytorch_default"


class Distribution(StrEnum):
    UNIFORM = "uniform"
    NORMAL = "normal"


SCHEME_NAMES = {
    Scheme.XAVIER: "Xavier (Glorot)",
    Scheme.HE: "He (Kaiming)",
    Scheme.LECUN: "LeCun",
    Scheme.TORCH_DEFAULT: "PyTorch's default (kaiming_uniform_ with a = √5)",
}

# gains of torch.nn.init.calculate_gain; leaky ReLU is √(2 / (1 + slope²))
GAINS = {"linear": 1.0, "sigmoid": 1.0, "relu": math.sqrt(2.0), "tanh": 5.0 / 3.0, "selu": 0.75}


def leaky_relu_gain(slope: float) -> float:
    return math.sqrt(2.0 / (1.0 + slope * slope))


@dataclass(frozen=True)
class InitProblem:
    """One layer and the scheme(s) its weights are drawn with."""

    schemes: tuple[Scheme, ...]
    scheme_source: str  # "named", "activation" (chosen from the activation) or "framework"
    distribution: Distribution | None
    mode: str  # "fan_in" or "fan_out" (He and LeCun)
    mode_stated: bool
    fan_in: int | None
    fan_out: int | None
    receptive: int  # k_h · k_w for a convolution, 1 for a dense layer
    units_in: int | None  # input channels or units, before the kernel is multiplied in
    units_out: int | None
    conv: bool
    nonlinearity: str  # for He: "relu" (the default), "leaky_relu", "tanh", "linear", "sigmoid", "selu"
    nonlinearity_stated: bool
    slope: float | None  # leaky ReLU negative slope
    explicit_gain: float | None  # a gain the question gives for Xavier (gain = √2, calculate_gain)
    asked: tuple[str, ...]  # quantities: "limit", "std", "variance", "bias_limit", "fan_in", "fan_out"
    framework: str  # "pytorch", "keras" or ""
    layout_assumed: bool = False  # a bare W ∈ R^{r×c} read as out × in
    layout_other: tuple[int, int] | None = None  # (fan_in, fan_out) under the other layout
    described: str = ""

    @property
    def multiple(self) -> bool:
        return len(self.schemes) > 1


def nonlinearity_gain(nonlinearity: str, slope: float | None) -> float:
    if nonlinearity == "leaky_relu":
        return leaky_relu_gain(0.01 if slope is None else slope)
    return GAINS.get(nonlinearity, GAINS["relu"])


def scheme_gain(problem: InitProblem, scheme: Scheme) -> float:
    """He takes its gain from the nonlinearity; Xavier's is 1 unless the question gives one."""
    if scheme is Scheme.HE:
        return nonlinearity_gain(problem.nonlinearity, problem.slope)
    if scheme is Scheme.XAVIER and problem.explicit_gain is not None:
        return problem.explicit_gain
    return 1.0


def fan(problem: InitProblem, mode: str) -> int | None:
    return problem.fan_in if mode == "fan_in" else problem.fan_out


def variance(problem: InitProblem, scheme: Scheme) -> float | None:
    """Var(W) under `scheme`; None when a fan it needs is missing."""
    gain = scheme_gain(problem, scheme)
    if scheme is Scheme.XAVIER:
        if problem.fan_in is None or problem.fan_out is None:
            return None
        return gain * gain * 2.0 / (problem.fan_in + problem.fan_out)
    if scheme is Scheme.TORCH_DEFAULT:
        return None if problem.fan_in is None else 1.0 / (3.0 * problem.fan_in)
    n = fan(problem, problem.mode)
    return None if n is None else gain * gain / n


def values(problem: InitProblem, scheme: Scheme) -> dict[str, float]:
    """limit (uniform), std and variance under `scheme`, plus the fans and the PyTorch bias bound."""
    var = variance(problem, scheme)
    out: dict[str, float] = {}
    if var is not None:
        out["variance"] = var
        out["std"] = math.sqrt(var)
        out["limit"] = math.sqrt(3.0 * var)
        if scheme is Scheme.TORCH_DEFAULT and problem.fan_in:
            out["bias_limit"] = 1.0 / math.sqrt(problem.fan_in)
    if problem.fan_in is not None:
        out["fan_in"] = float(problem.fan_in)
    if problem.fan_out is not None:
        out["fan_out"] = float(problem.fan_out)
    return out


QUANTITIES = ("limit", "std", "variance", "bias_limit")
FANS = ("fan_in", "fan_out")


def part_name(problem: InitProblem, scheme: Scheme, quantity: str) -> str:
    if quantity in FANS or not problem.multiple:
        return quantity
    return f"{scheme.value}_{quantity}"


def shown_quantities(problem: InitProblem) -> tuple[str, ...]:
    """The quantities an answer shows: the asked ones, then the others that make sense."""
    extra: list[str] = []
    if problem.distribution is not Distribution.NORMAL:
        extra.append("limit")
    extra += ["std", "variance"]
    if Scheme.TORCH_DEFAULT in problem.schemes:
        extra.append("bias_limit")
    return tuple(dict.fromkeys([q for q in problem.asked if q in QUANTITIES] + extra))


def answer(
    problem: InitProblem, computed: InitProblem | None = None, schemes: tuple[Scheme, ...] | None = None
) -> dict[str, float]:
    """The values under the problem's part names, computed from `computed` with `schemes` (a mistake
    re-runs the problem with another scheme, fan or layout; the part names stay the asked ones)."""
    source = computed or problem
    used = schemes or problem.schemes
    out: dict[str, float] = {}
    for named, scheme in zip(problem.schemes, used, strict=True):
        found = values(source, scheme)
        for quantity in shown_quantities(problem):
            if quantity in found:
                out[part_name(problem, named, quantity)] = found[quantity]
    fans = values(source, used[0])
    out.update({q: fans[q] for q in FANS if q in problem.asked and q in fans})
    return out


def asked_parts(problem: InitProblem) -> tuple[str, ...]:
    names: list[str] = []
    for quantity in problem.asked:
        if quantity in FANS:
            names.append(quantity)
            continue
        names += [part_name(problem, s, quantity) for s in problem.schemes]
    return tuple(dict.fromkeys(names))


_BASE_SPECS = {
    "limit": (
        "Uniform limit",
        (
            "limit",
            "bound",
            "a",
            "r",
            "range",
            "interval",
            "upper bound",
            "uniform limit",
            "uniform bound",
            "boundary",
            "u(-a, a)",
        ),
    ),
    "std": ("Standard deviation", ("std", "σ", "sigma", "stddev", "std dev", "standard dev", "s.d.")),
    "variance": ("Variance", ("var", "var(w)", "σ^2", "σ2", "sigma^2", "sigma squared")),
    "bias_limit": ("Bias limit", ("bias bound", "bias range", "bias limit", "bias")),
    "fan_in": ("Fan-in", ("fan in", "fan_in", "fanin", "n_in", "inputs")),
    "fan_out": ("Fan-out", ("fan out", "fan_out", "fanout", "n_out", "outputs")),
}


def part_spec(name: str) -> PartSpec:
    scheme_prefix = ""
    quantity = name
    for scheme in Scheme:
        if name.startswith(scheme.value + "_"):
            scheme_prefix, quantity = scheme.value, name[len(scheme.value) + 1 :]
    label, aliases = _BASE_SPECS[quantity]
    if not scheme_prefix:
        return PartSpec(name, label, ValueKind.SCALAR, aliases)
    words = {"xavier": ("xavier", "glorot"), "he": ("he", "kaiming"), "lecun": ("lecun",)}.get(
        scheme_prefix, ("pytorch default", "default")
    )
    prefixed = tuple(f"{w} {a}" for w in words for a in aliases if len(a) > 1)
    prefixed += tuple(f"{w}" for w in words) if quantity in ("std", "limit") else ()
    return PartSpec(
        name, f"{SCHEME_NAMES[Scheme(scheme_prefix)]} {label.lower()}", ValueKind.SCALAR, prefixed
    )
