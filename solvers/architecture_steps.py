"""The worked steps of an architecture answer, and the conventions it states."""

from __future__ import annotations

import math

from solvers.architecture_answer import default_rules, traces
from solvers.architecture_layers import RECURRENT_GATES, SPATIAL, Layer, Trace, Volume
from solvers.architecture_parse import ArchProblem
from solvers.base import AnswerValue, Step
from solvers.numbers import format_number

KIND_NAMES = {
    "conv": "convolution",
    "tconv": "transposed convolution",
    "depthwise": "depthwise convolution",
    "separable": "depthwise separable convolution",
    "pool": "pooling",
    "gpool": "global pooling",
    "dense": "dense layer",
    "flatten": "flatten",
    "rnn": "simple RNN",
    "lstm": "LSTM",
    "gru": "GRU",
    "embedding": "embedding",
    "batchnorm": "batch normalization",
}


def _f(value: float | None) -> str:
    return "?" if value is None else format_number(value, 8)


def _volume(volume: Volume) -> str:
    dims = [_f(x) for x in volume.spatial] + ([str(volume.channels)] if volume.channels is not None else [])
    return r" \times ".join(dims) if dims else "?"


def _plain(volume: Volume) -> str:
    return _volume(volume).replace(r" \times ", "×")


def _padding_value(layer: Layer) -> int | str:
    if isinstance(layer.padding, str):
        return layer.padding
    return layer.padding[0] if layer.padding else 0


def _size_latex(trace: Trace) -> str:
    layer = trace.layer
    n = trace.before.spatial[0]
    k = layer.kernel[0] if layer.kernel else 1
    default_stride = k if layer.kind == "pool" else 1
    s = layer.stride[0] if layer.stride else default_stride
    p = _padding_value(layer)
    o = trace.after.spatial[0]
    if p == "same":
        ceil = rf"\left\lceil \frac{{{_f(n)}}}{{{s}}} \right\rceil"
        return rf"o = \left\lceil \frac{{n}}{{s}} \right\rceil = {ceil} = {_f(o)}"
    pad = 0 if p == "valid" else int(p)
    d = layer.dilation
    if layer.kind == "tconv":
        numbers = rf"({_f(n)} - 1) \cdot {s} - 2 \cdot {pad} + {d}({k} - 1) + 1"
        return rf"o = (n - 1)s - 2p + d(k - 1) + 1 = {numbers} = {_f(o)}"
    dil = "" if d == 1 else rf"{d} \cdot "
    return (
        rf"o = \left\lfloor \frac{{n + 2p - d(k - 1) - 1}}{{s}} \right\rfloor + 1 = "
        rf"\left\lfloor \frac{{{_f(n)} + 2 \cdot {pad} - {dil}({k} - 1) - 1}}{{{s}}} \right\rfloor + 1 = "
        rf"{_f(o)}"
    )


def _params_latex(trace: Trace, problem: ArchProblem) -> str:
    layer = trace.layer
    total = _f(trace.params)
    bias = r" + " + _f(trace.biases) if trace.biases else ""
    if layer.kind in ("conv", "tconv"):
        k = r" \cdot ".join(map(str, layer.kernel))
        c_in = layer.in_units if layer.in_units is not None else trace.before.channels
        groups = "" if layer.groups == 1 else rf" / {layer.groups}"
        return rf"{k} \cdot {c_in}{groups} \cdot {layer.units}{bias} = {total}"
    if layer.kind == "depthwise":
        c_in = layer.in_units if layer.in_units is not None else trace.before.channels
        k = r" \cdot ".join(map(str, layer.kernel))
        return rf"{k} \cdot {c_in}{bias} = {total}"
    if layer.kind == "separable":
        c_in = layer.in_units if layer.in_units is not None else trace.before.channels
        k = r" \cdot ".join(map(str, layer.kernel))
        depthwise = rf"\underbrace{{{k} \cdot {c_in}}}_{{\text{{depthwise}}}}"
        pointwise = rf"\underbrace{{{c_in} \cdot {layer.units}}}_{{\text{{pointwise}}}}"
        return rf"{depthwise} + {pointwise}{bias} = {total}"
    if layer.kind == "dense":
        n_in = _f(trace.weights / layer.units) if trace.weights is not None and layer.units else "?"
        return rf"{n_in} \cdot {layer.units}{bias} = {total}"
    if layer.kind in RECURRENT_GATES:
        h = layer.units
        x = layer.in_units if layer.in_units is not None else trace.before.channels
        gates = RECURRENT_GATES[layer.kind]
        rules = default_rules(problem)
        per_gate = rules.gru_biases if layer.kind == "gru" else rules.rnn_biases
        b = f"{per_gate}h" if per_gate > 1 else "h"
        head = "" if gates == 1 else f"{gates}"
        formula = (
            rf"{head}\left[h(h + x) + {b}\right] = {head}\left[{h}({h} + {x}) + {per_gate * (h or 0)}\right]"
        )
        extra = ""
        if layer.layers > 1 or layer.directions > 1:
            extra = (
                rf"\ \text{{(first layer; {layer.layers} layer(s), {layer.directions} direction(s) in all)}}"
            )
        return (
            formula + extra + f" = {total}"
            if not extra
            else formula + extra + rf",\ \text{{total}} = {total}"
        )
    if layer.kind == "embedding":
        return rf"{layer.in_units} \cdot {layer.units} = {total}"
    if layer.kind == "batchnorm":
        gamma, beta = _f(trace.weights), _f(trace.biases)
        return rf"\underbrace{{{gamma}}}_{{\gamma}} + \underbrace{{{beta}}}_{{\beta}} = {total}"
    return "0"


def layer_steps(problem: ArchProblem) -> list[Step]:
    steps: list[Step] = []
    found = traces(problem, default_rules(problem))
    for index, trace in enumerate(found, 1):
        layer = trace.layer
        name = KIND_NAMES[layer.kind]
        title = f"Layer {index}: {name}" if len(found) > 1 else name.capitalize()
        parts: list[str] = []
        words: list[str] = []
        if layer.kind in SPATIAL and trace.before.spatial:
            parts.append(_size_latex(trace))
            words.append(f"{_plain(trace.before)} → {_plain(trace.after)}")
        if trace.params is not None and layer.kind not in ("pool", "gpool", "flatten"):
            parts.append(r"\#\text{params} = " + _params_latex(trace, problem))
            words.append(f"{format_number(trace.params)} parameters")
        if layer.kind == "flatten" and trace.after.channels is not None:
            words.append(f"{_plain(trace.before)} → {trace.after.channels} features")
            parts.append(rf"{_volume(trace.before)} = {trace.after.channels}")
        if layer.kind in ("pool", "gpool", "flatten"):
            words.append("no parameters")
        steps.append(Step(title, f"{layer.name}: " + "; ".join(words) + ".", r",\quad ".join(parts)))
    return steps


def total_step(problem: ArchProblem, answer: dict[str, AnswerValue]) -> Step | None:
    per_layer = answer.get("params_per_layer")
    if not isinstance(per_layer, list) or "params" not in answer:
        return None
    terms = " + ".join(format_number(float(x)) for x in per_layer)
    total = answer["params"]
    return Step(
        "Total",
        "Add the layers' parameters (pooling and flattening have none).",
        rf"{terms} = {format_number(float(total)) if isinstance(total, float) else total}",
    )


def compare_step(problem: ArchProblem, answer: dict[str, AnswerValue]) -> Step | None:
    found = traces(problem, default_rules(problem))
    shared = next((t for t in found if t.layer.kind in SPATIAL and t.layer.kind != "pool"), None)
    if shared is None or problem.compare is None or shared.before.size is None or shared.after.size is None:
        return None
    in_size, out_size = shared.before.size, shared.after.size
    saving, ratio = answer.get("saving"), answer.get("ratio")
    tail = ""
    if isinstance(saving, float) and isinstance(ratio, float):
        tail = rf",\quad \text{{saving}} = {_f(saving)},\quad \text{{ratio}} = {format_number(ratio, 6)}"
    if problem.compare == "unshared":
        k = math.prod(shared.layer.kernel)
        c_in = shared.layer.in_units or shared.before.channels
        latex = rf"{_f(out_size)} \cdot ({k} \cdot {c_in} + 1) = {_f(answer.get('unshared_params'))}"  # type: ignore[arg-type]
        text = (
            f"Without sharing, each of the {_f(out_size)} output units has its own {k}·{c_in} weights and "
            "bias; "
            f"with sharing the layer has {_f(shared.params)}."
        )
        return Step("Without parameter sharing", text, latex + tail)
    latex = rf"{_f(in_size)} \cdot {_f(out_size)} + {_f(out_size)} = {_f(answer.get('dense_params'))}"  # type: ignore[arg-type]
    text = (
        f"A fully connected layer links each of the {_f(in_size)} inputs to each of the {_f(out_size)} "
        "outputs, "
        f"plus one bias per output; the convolution needs {_f(shared.params)}."
    )
    return Step("A fully connected layer between the same volumes", text, latex + tail)


def conventions(problem: ArchProblem) -> list[str]:
    kinds = {layer.kind for layer in problem.layers}
    notes: list[str] = []
    if kinds & SPATIAL:
        notes.append(
            "Output size per spatial dimension: ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1 (PyTorch and Keras round "
            "down); "
            "'same' padding gives ⌈n/s⌉ and 'valid' means p = 0; a pooling window's stride defaults to its "
            "size."
        )
    if kinds & {"conv", "tconv", "dense", "separable", "depthwise"} or kinds & set(RECURRENT_GATES):
        notes.append(
            "Parameters are the trainable weights plus biases: one bias per filter or unit unless the layer "
            "has none."
        )
    if kinds & {"rnn", "lstm"}:
        if problem.framework == "pytorch":
            notes.append(
                "PyTorch's recurrent layers have two bias vectors per gate (b_ih and b_hh): h(h + x) + 2h "
                "per gate."
            )
        else:
            notes.append(
                "One bias vector per gate (Keras and the textbooks): h(h + x) + h per gate; PyTorch's two "
                "bias vectors "
                "(b_ih and b_hh, + 2h per gate) are also accepted."
                if not problem.framework
                else "Keras has one bias vector per gate: h(h + x) + h per gate."
            )
    if "gru" in kinds:
        if problem.framework == "pytorch" or (
            problem.framework == "keras" and problem.gru_reset_after is not False
        ):
            notes.append(
                "GRU with two bias vectors per gate (PyTorch; Keras' default reset_after=True): 3[h(h + x) "
                "+ 2h]."
            )
        elif problem.framework == "keras":
            notes.append("Keras GRU with reset_after=False has one bias vector per gate: 3[h(h + x) + h].")
        else:
            notes.append(
                "GRU as in the textbook (Cho et al.), one bias vector per gate: 3[h(h + x) + h]; the "
                "two-bias count of "
                "PyTorch and Keras' default (reset_after=True), 3[h(h + x) + 2h], is also accepted."
            )
    if any(layer.kind == "flatten" and layer.text == "flatten" for layer in problem.layers):
        notes.append("A fully connected layer after a convolution or pooling reads the flattened volume.")
    if "batchnorm" in kinds:
        notes.append(
            "Batch normalization has 2C trainable parameters (γ, β); its running mean and variance are not "
            "trained."
        )
    if "output_shape" in problem.asked or (problem.start is not None and problem.start.channels is not None):
        order = (
            "channels first (C × H × W, PyTorch)" if problem.channel_first else "height × width × channels"
        )
        notes.append(f"The output shape is written {order}; the other order is also accepted.")
    return notes
