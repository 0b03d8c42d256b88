"""The answer of an architecture question under given `Rules`: output size and shape, parameter counts."""

from __future__ import annotations

import math
from dataclasses import replace

from solvers.architecture_layers import SPATIAL, Rules, Trace, Volume, run
from solvers.architecture_parse import ArchProblem
from solvers.base import AnswerValue, PartSpec, ValueKind

EXACT = 1e-9  # counts and sizes are whole numbers: 34,848 is not 34,944 within 1 %

PARTS = {
    "output_size": PartSpec(
        "output_size",
        "Output size",
        ValueKind.SCALAR,
        (
            "size",
            "output",
            "o",
            "w2",
            "width",
            "spatial size",
            "output width",
            "output dimension",
            "feature map size",
            "output spatial size",
            "n_out",
            "output length",
        ),
        rtol=EXACT,
    ),
    "output_height": PartSpec(
        "output_height", "Output height", ValueKind.SCALAR, ("height", "h_out", "h'"), rtol=EXACT
    ),
    "output_width": PartSpec(
        "output_width", "Output width", ValueKind.SCALAR, ("width", "w_out", "w'"), rtol=EXACT
    ),
    "output_shape": PartSpec(
        "output_shape",
        "Output shape",
        ValueKind.SHAPE,
        ("output volume", "volume", "shape", "output dimensions", "dimensions", "output tensor"),
    ),
    "params": PartSpec(
        "params",
        "Parameters",
        ValueKind.SCALAR,
        (
            "parameters",
            "number of parameters",
            "total parameters",
            "trainable parameters",
            "#params",
            "total params",
            "param count",
            "learnable parameters",
            "total",
            "weights and biases",
        ),
        rtol=EXACT,
    ),
    "weights": PartSpec(
        "weights", "Weights", ValueKind.SCALAR, ("weights only", "number of weights"), rtol=EXACT
    ),
    "biases": PartSpec(
        "biases", "Biases", ValueKind.SCALAR, ("bias", "bias terms", "number of biases"), rtol=EXACT
    ),
    "params_per_layer": PartSpec(
        "params_per_layer",
        "Parameters per layer",
        ValueKind.VECTOR,
        ("per layer", "each layer", "layers"),
        rtol=EXACT,
    ),
    "dense_params": PartSpec(
        "dense_params",
        "Fully connected parameters",
        ValueKind.SCALAR,
        (
            "fully connected",
            "fully-connected",
            "dense",
            "fc",
            "fully connected parameters",
            "dense parameters",
        ),
        rtol=EXACT,
    ),
    "unshared_params": PartSpec(
        "unshared_params",
        "Parameters without sharing",
        ValueKind.SCALAR,
        ("without sharing", "without parameter sharing", "unshared", "locally connected", "no sharing"),
        rtol=EXACT,
    ),
    "saving": PartSpec(
        "saving",
        "Parameters saved",
        ValueKind.SCALAR,
        ("saved", "fewer", "difference", "reduction"),
        rtol=EXACT,
    ),
    "ratio": PartSpec("ratio", "Ratio", ValueKind.SCALAR, ("times", "factor", "times fewer", "times more")),
}


def default_rules(problem: ArchProblem) -> Rules:
    """Keras and the textbooks: one bias vector per gate; PyTorch: two. GRU: Keras reset_after=True and
    PyTorch have two, the textbook (Cho et al.) and Keras reset_after=False one."""
    if problem.framework == "pytorch":
        return Rules(rnn_biases=2, gru_biases=2)
    if problem.framework == "keras":
        return Rules(rnn_biases=1, gru_biases=1 if problem.gru_reset_after is False else 2)
    return Rules(rnn_biases=1, gru_biases=1)


def traces(problem: ArchProblem, rules: Rules) -> list[Trace]:
    return run(problem.layers, problem.start or Volume((), None), rules)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _shape(after: Volume, channel_first: bool, batch: int | None) -> list[float | int]:
    spatial = [_number(x) for x in after.spatial]
    if after.channels is None:
        return spatial
    shape = [after.channels, *spatial] if channel_first else [*spatial, after.channels]
    return shape if batch is None else [batch, *shape]


def _compare(problem: ArchProblem, found: list[Trace], rules: Rules) -> dict[str, AnswerValue]:
    shared = next((t for t in found if t.layer.kind in SPATIAL and t.layer.kind != "pool"), None)
    if shared is None or shared.params is None or shared.before.size is None or shared.after.size is None:
        return {}
    out_units = shared.after.size
    bias = 1.0 if rules.bias and shared.layer.bias else 0.0
    if problem.compare == "unshared":
        k = math.prod(shared.layer.kernel)
        c_in = shared.layer.in_units or shared.before.channels or 0
        cin = c_in if rules.input_channels else 1
        other, name = out_units * (k * cin + bias), "unshared_params"
    else:
        other, name = shared.before.size * out_units + out_units * bias, "dense_params"
    return {
        name: other,
        "saving": other - shared.params,
        "ratio": other / shared.params if shared.params else None,
    }


def evaluate(problem: ArchProblem, rules: Rules) -> dict[str, AnswerValue]:
    """Every part the problem can answer, computed under `rules`."""
    found = traces(problem, rules)
    out: dict[str, AnswerValue] = {}
    final = found[-1].after
    if final.spatial and problem.start is not None and problem.start.spatial:
        dims = final.spatial
        if len(set(dims)) == 1:
            out["output_size"] = float(dims[0])
        else:
            out["output_height"], out["output_width"] = float(dims[0]), float(dims[-1])
        if final.channels is not None and all(float(x).is_integer() for x in dims):
            out["output_shape"] = list(_shape(final, problem.channel_first, problem.batch))
    elif "output" in problem.asked and final.channels is not None:
        out["output_size"] = float(final.channels)
    if all(t.params is not None for t in found):
        out["params"] = sum(float(t.params or 0.0) for t in found)
        out["weights"] = sum(float(t.weights or 0.0) for t in found)
        out["biases"] = sum(float(t.biases or 0.0) for t in found)
        if len(found) > 1:
            out["params_per_layer"] = [float(t.params or 0.0) for t in found]
    if problem.compare:
        out |= _compare(problem, found, rules)
    return out


_ASKED_PARTS = {
    "params": ("params",),
    "biases": ("biases",),
    "per_layer": ("params_per_layer",),
    "compare": ("dense_params", "unshared_params"),
    "saving": ("saving",),
    "ratio": ("ratio",),
    "output_shape": ("output_shape",),
    "output": ("output_size", "output_height", "output_width"),
}


def asked_parts(problem: ArchProblem, answer: dict[str, AnswerValue]) -> tuple[str, ...]:
    names: list[str] = []
    for asked in problem.asked:
        names += [n for n in _ASKED_PARTS[asked] if n in answer]
    if problem.compare and "params" in answer and "params" not in names:
        names.insert(0, "params")
    return tuple(dict.fromkeys(names))


_ASKED_WORDS = {
    "params": "the number of parameters",
    "biases": "the number of biases",
    "per_layer": "the parameters of each layer",
    "compare": "the comparison with a fully connected or unshared layer",
    "saving": "the parameters saved (compared with what?)",
    "ratio": "the ratio (of what to what?)",
    "output_shape": "the output shape",
    "output": "the output size",
}


def unanswered(problem: ArchProblem, answer: dict[str, AnswerValue]) -> list[str]:
    """What the question asks that `answer` has no value for, in words."""
    return [
        _ASKED_WORDS[asked] for asked in problem.asked if not any(n in answer for n in _ASKED_PARTS[asked])
    ]


def part_spec(name: str) -> PartSpec:
    return PARTS[name]


def channel_order_swapped(problem: ArchProblem) -> ArchProblem:
    return replace(problem, channel_first=not problem.channel_first)
