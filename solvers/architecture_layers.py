"""Layers, the shapes they produce and the parameters they hold; a `Rules` value re-runs it with a mistake.

Output size of a convolution or pooling: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1 ("same": ⌈n / s⌉, "valid":
p = 0); a transposed convolution: (n − 1)s − 2p + d(k − 1) + 1. Parameters: dense in·out + out;
convolution k_h·k_w·c_in·c_out + c_out; simple RNN h(h + x) + h (Keras) or + 2h (PyTorch's two bias
vectors); LSTM 4× and GRU 3× that (GRU with two biases per gate: Keras reset_after=True, PyTorch).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

RECURRENT_GATES = {"rnn": 1, "lstm": 4, "gru": 3}
KINDS = frozenset(
    {"conv", "tconv", "depthwise", "separable", "pool", "gpool", "dense", "flatten", "embedding", "batchnorm"}
) | frozenset(RECURRENT_GATES)
LAYER_WORDS = {
    "conv": "convolution",
    "tconv": "transposed convolution",
    "depthwise": "depthwise convolution",
    "separable": "separable convolution",
    "pool": "pooling",
    "gpool": "global pooling",
    "dense": "dense layer",
    "rnn": "simple RNN",
    "lstm": "LSTM",
    "gru": "GRU",
}
SPATIAL = frozenset({"conv", "tconv", "pool", "depthwise", "separable"})


@dataclass(frozen=True)
class Layer:
    kind: str  # conv, tconv, depthwise, separable, pool, gpool, dense, flatten, rnn, lstm, gru, embedding
    units: int | None = None  # filters, dense units, hidden size, embedding dimension
    kernel: tuple[int, ...] = ()
    stride: tuple[int, ...] = ()  # () = the default (1; a pooling layer's kernel)
    padding: tuple[int, ...] | str = (0,)  # numbers per side, or "same" / "valid"
    dilation: int = 1
    bias: bool = True
    in_units: int | None = None  # input channels / features / vocabulary given with the layer
    groups: int = 1  # grouped convolution (PyTorch groups; depthwise: groups = c_in)
    layers: int = 1  # stacked recurrent layers (PyTorch num_layers)
    directions: int = 1  # 2 for a bidirectional recurrent layer
    text: str = ""  # how the question describes it

    @property
    def name(self) -> str:
        return self.text or self.summary()

    def summary(self) -> str:
        """The layer in a few words: "11×11 convolution, 96 filters, stride 4, padding 0"."""
        name = LAYER_WORDS.get(self.kind, self.kind)
        parts = [("×".join(map(str, self.kernel)) + " " + name) if self.kernel else name]
        if self.units is not None:
            unit = "filters" if self.kind in ("conv", "tconv", "separable") else "units"
            parts.append(f"{self.units} {unit}")
        if self.in_units is not None:
            parts.append(f"{self.in_units} inputs")
        if self.stride:
            parts.append(f"stride {self.stride[0]}")
        if self.kind in SPATIAL:
            padding = (
                self.padding if isinstance(self.padding, str) else f"{self.padding[0] if self.padding else 0}"
            )
            parts.append(f"padding {padding}")
        if self.dilation > 1:
            parts.append(f"dilation {self.dilation}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Rules:
    """How the arithmetic is done; the defaults are right, each other value is a known mistake."""

    bias: bool = True
    input_channels: bool = True
    plus_one: bool = True
    both_sides_padding: bool = True
    stride: bool = True
    dilation: bool = True
    rounding: str = "floor"  # "floor", "ceil" or "none" (no rounding)
    gates: bool = True
    recurrent_weights: bool = True
    rnn_biases: int = 1  # bias vectors per gate for simple RNN and LSTM (Keras 1, PyTorch 2)
    gru_biases: int = 2  # Keras reset_after=True and PyTorch: 2; textbook and Keras reset_after=False: 1
    same_padding: str = "tf"  # "tf": ⌈n/s⌉


@dataclass(frozen=True)
class Volume:
    spatial: tuple[float, ...]  # () for a flat vector
    channels: int | None

    @property
    def size(self) -> float | None:
        if self.channels is None:
            return None
        return math.prod(self.spatial) * self.channels if self.spatial else float(self.channels)


@dataclass
class Trace:
    """One layer's result: the shape it outputs and its parameter count (weights, biases)."""

    layer: Layer
    before: Volume
    after: Volume
    weights: float | None
    biases: float | None
    notes: list[str] = field(default_factory=list)

    @property
    def params(self) -> float | None:
        if self.weights is None or self.biases is None:
            return None
        return self.weights + self.biases


def _per_dim(values: tuple[int, ...], dims: int, default: int) -> tuple[int, ...]:
    if not values:
        return (default,) * dims
    return values if len(values) == dims else (values[0],) * dims


def _round(value: float, rules: Rules) -> float:
    if rules.rounding == "none":
        return value
    return float(math.ceil(value) if rules.rounding == "ceil" else math.floor(value))


def spatial_size(
    n: float, k: int, s: int, p: int | str, d: int, rules: Rules, transposed: bool = False
) -> float:
    """One spatial dimension after a convolution or pooling window."""
    s = s if rules.stride else 1
    d = d if rules.dilation else 1
    if p == "same":
        if transposed:
            return n * s
        return float(math.ceil(n / s)) if rules.rounding != "none" else n / s
    pad = 0 if p == "valid" else int(p)
    pad_total = 2 * pad if rules.both_sides_padding else pad
    span = d * (k - 1) + 1
    if transposed:
        return (n - 1) * s - pad_total + span
    one = 1 if rules.plus_one else 0
    return _round((n + pad_total - span) / s, rules) + one


def _window(layer: Layer, before: Volume, rules: Rules) -> tuple[float, ...]:
    dims = len(before.spatial)
    kernel = _per_dim(layer.kernel, dims, 1)
    default_stride = kernel if layer.kind == "pool" else (1,) * dims
    stride = _per_dim(layer.stride, dims, 1) if layer.stride else default_stride
    padding: tuple[int | str, ...] = (
        (layer.padding,) * dims if isinstance(layer.padding, str) else _per_dim(layer.padding, dims, 0)
    )
    return tuple(
        spatial_size(n, k, s, p, layer.dilation, rules, layer.kind == "tconv")
        for n, k, s, p in zip(before.spatial, kernel, stride, padding, strict=True)
    )


def _conv_params(layer: Layer, c_in: int | None, rules: Rules) -> tuple[float | None, float | None]:
    k = math.prod(layer.kernel) if layer.kernel else None
    if k is None or (layer.units is None and layer.kind != "depthwise"):
        return None, None
    cin = c_in if rules.input_channels else 1
    if cin is None:
        return None, None
    bias_on = layer.bias and rules.bias
    if layer.kind == "depthwise":
        return float(k * cin), float(cin if bias_on else 0)
    units = layer.units or 0
    if layer.kind == "separable":
        return float(k * cin + cin * units), float(units if bias_on else 0)
    return float(k * (cin // max(layer.groups, 1)) * units), float(units if bias_on else 0)


def recurrent_params(layer: Layer, x: int, rules: Rules) -> tuple[float, float]:
    """(weights, biases) of a simple RNN, LSTM or GRU with input size x, over its layers and directions."""
    h = layer.units or 0
    gates = RECURRENT_GATES[layer.kind] if rules.gates else 1
    per_gate_bias = rules.gru_biases if layer.kind == "gru" else rules.rnn_biases
    if layer.layers < 1:
        return 0.0, 0.0
    recurrent = h if rules.recurrent_weights else 0
    first = gates * h * (recurrent + x)  # the first layer reads the input ...
    stacked = (
        gates * h * (recurrent + h * layer.directions)
    )  # ... the others the layer below (both directions)
    b = gates * h * per_gate_bias if layer.bias and rules.bias else 0
    weights = float(first + (layer.layers - 1) * stacked) * layer.directions
    return weights, float(b * layer.layers * layer.directions)


def apply(layer: Layer, before: Volume, rules: Rules) -> Trace:
    """The layer's output shape and parameters, given what comes in."""
    c_in = layer.in_units if layer.in_units is not None else before.channels
    if layer.kind in SPATIAL:
        after_spatial = _window(layer, before, rules) if before.spatial else ()
        if layer.kind == "pool":
            return Trace(layer, before, Volume(after_spatial, c_in), 0.0, 0.0)
        weights, biases = _conv_params(layer, c_in, rules)
        channels = c_in if layer.kind == "depthwise" else layer.units
        return Trace(layer, before, Volume(after_spatial, channels), weights, biases)
    if layer.kind == "gpool":
        return Trace(layer, before, Volume((), c_in), 0.0, 0.0)
    if layer.kind == "flatten":
        size = before.size
        return Trace(layer, before, Volume((), None if size is None else int(size)), 0.0, 0.0)
    if layer.kind == "dense":
        n_in = layer.in_units if layer.in_units is not None else before.size
        if n_in is None or layer.units is None:
            return Trace(layer, before, Volume((), layer.units), None, None)
        bias = float(layer.units) if layer.bias and rules.bias else 0.0
        out_spatial = before.spatial if layer.in_units is None and before.spatial else ()
        if out_spatial:  # a dense layer on a volume acts on the last axis (Keras)
            n_in = before.channels
            if n_in is None:
                return Trace(layer, before, Volume((), layer.units), None, None)
        return Trace(layer, before, Volume(out_spatial, layer.units), float(n_in) * layer.units, bias)
    if layer.kind == "batchnorm":
        channels = layer.units if layer.units is not None else c_in
        if channels is None:
            return Trace(layer, before, before, None, None)
        return Trace(layer, before, before, float(channels), float(channels))  # γ and β
    if layer.kind == "embedding":
        vocab = layer.in_units
        if vocab is None or layer.units is None:
            return Trace(layer, before, Volume((), layer.units), None, None)
        return Trace(layer, before, Volume((), layer.units), float(vocab * layer.units), 0.0)
    if layer.kind in RECURRENT_GATES:
        x = layer.in_units if layer.in_units is not None else before.channels
        if x is None or layer.units is None:
            return Trace(layer, before, Volume((), layer.units), None, None)
        weights, biases = recurrent_params(layer, x, rules)
        return Trace(layer, before, Volume((), layer.units * layer.directions), weights, biases)
    raise ValueError(f"unknown layer kind {layer.kind!r}")


def run(layers: tuple[Layer, ...], start: Volume, rules: Rules) -> list[Trace]:
    """Every layer's trace, in order."""
    traces: list[Trace] = []
    current = start
    for layer in layers:
        trace = apply(layer, current, rules)
        traces.append(trace)
        current = trace.after
    return traces
