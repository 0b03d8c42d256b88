"""Layers written as Keras or PyTorch code: `Conv2D(32, (3, 3), input_shape=(28, 28, 1))`,
`nn.LSTM(100, 128)`.

Calls are found by name and their arguments split by a small scanner (numbers, tuples, strings,
booleans); nothing is evaluated. Layers without parameters or shape changes (Dropout, ReLU) are
skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.architecture_layers import Layer, Volume
from solvers.errors import NotUnderstood

KERAS = {
    "Conv1D": "conv",
    "Conv2D": "conv",
    "Conv3D": "conv",
    "Conv2DTranspose": "tconv",
    "Conv1DTranspose": "tconv",
    "DepthwiseConv2D": "depthwise",
    "SeparableConv2D": "separable",
    "SeparableConv1D": "separable",
    "MaxPooling1D": "pool",
    "MaxPooling2D": "pool",
    "MaxPooling3D": "pool",
    "MaxPool2D": "pool",
    "MaxPool1D": "pool",
    "AveragePooling1D": "pool",
    "AveragePooling2D": "pool",
    "AvgPool2D": "pool",
    "GlobalAveragePooling2D": "gpool",
    "GlobalMaxPooling2D": "gpool",
    "GlobalAveragePooling1D": "gpool",
    "GlobalMaxPooling1D": "gpool",
    "Flatten": "flatten",
    "Dense": "dense",
    "SimpleRNN": "rnn",
    "LSTM": "lstm",
    "GRU": "gru",
    "Embedding": "embedding",
    "BatchNormalization": "batchnorm",
}
TORCH = {
    "Conv1d": "conv",
    "Conv2d": "conv",
    "Conv3d": "conv",
    "ConvTranspose1d": "tconv",
    "ConvTranspose2d": "tconv",
    "MaxPool1d": "pool",
    "MaxPool2d": "pool",
    "AvgPool1d": "pool",
    "AvgPool2d": "pool",
    "AdaptiveAvgPool2d": "gpool",
    "AdaptiveMaxPool2d": "gpool",
    "Flatten": "flatten",
    "Linear": "dense",
    "RNN": "rnn",
    "LSTM": "lstm",
    "GRU": "gru",
    "Embedding": "embedding",
    "BatchNorm1d": "batchnorm",
    "BatchNorm2d": "batchnorm",
}
_DIMS = re.compile(r"([123])[dD]")
_KERAS_CALL = re.compile(
    r"(?<![\w])(?:(?:tf\.)?(?:keras\.)?layers\.)?("
    + "|".join(sorted(KERAS, key=len, reverse=True))
    + r")\s*\("
)
_TORCH_CALL = re.compile(
    r"(?<![\w])(?:torch\.)?nn\.(" + "|".join(sorted(TORCH, key=len, reverse=True)) + r")\s*\("
)
_KERAS_INPUT = re.compile(r"(?:keras\.)?Input\s*\(\s*(?:shape\s*=\s*)?\(([^()]*)\)")
_UNSUPPORTED = re.compile(
    r"(?:nn\.|layers\.)?(MultiheadAttention|MultiHeadAttention|LayerNorm|LayerNormalization|"
    r"Transformer\w*|Attention)\s*\("
)


@dataclass(frozen=True)
class Call:
    name: str
    positional: tuple[str, ...]
    keywords: tuple[tuple[str, str], ...]
    start: int
    end: int

    def arg(self, index: int, *names: str) -> str | None:
        kw = dict(self.keywords)
        for name in names:
            if name in kw:
                return kw[name]
        return self.positional[index] if index < len(self.positional) else None


def _split_args(body: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    pieces: list[str] = []
    depth, current = 0, ""
    for ch in body:
        depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
        if ch == "," and depth == 0:
            pieces.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        pieces.append(current.strip())
    keyword = re.compile(r"^(\w+)\s*=(?!=)\s*(.*)$", re.DOTALL)
    positional = tuple(p for p in pieces if not keyword.match(p))
    keywords = tuple((m.group(1), m.group(2).strip()) for p in pieces if (m := keyword.match(p)))
    return positional, keywords


def find_calls(text: str, pattern: re.Pattern[str]) -> list[Call]:
    calls: list[Call] = []
    for match in pattern.finditer(text):
        depth, i = 1, match.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        positional, keywords = _split_args(text[match.end() : i - 1])
        calls.append(Call(match.group(1), positional, keywords, match.start(), i))
    return calls


def ints(value: str | None) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"(?<![\w.])\d+(?![\w.])", value or ""))


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() not in ("false", "0", "none")


def _padding(value: str | None) -> tuple[int, ...] | str:
    if value is None:
        return (0,)
    word = value.strip().strip("'\"").lower()
    if word in ("same", "valid"):
        return word
    return ints(value) or (0,)


def _dims(name: str) -> int:
    found = _DIMS.search(name)
    return int(found.group(1)) if found else 2


def _kernel(value: str | None, dims: int) -> tuple[int, ...]:
    found = ints(value)
    if not found:
        return ()
    return found[:dims] if len(found) >= dims else found * dims


def _keras_layer(call: Call, kind: str, directions: int = 1) -> tuple[Layer, tuple[int, ...] | None]:
    shape = ints(call.arg(99, "input_shape", "batch_input_shape"))
    if not shape and call.arg(99, "input_dim") and kind != "embedding":
        shape = ints(call.arg(99, "input_dim"))
    dims = _dims(call.name)
    bias = _flag(call.arg(99, "use_bias"), True)
    text = f"{call.name}(" + ", ".join([*call.positional, *(f"{k}={v}" for k, v in call.keywords)]) + ")"
    if kind in ("conv", "tconv", "separable"):
        layer = Layer(
            kind,
            units=(ints(call.arg(0, "filters")) or (None,))[0],
            kernel=_kernel(call.arg(1, "kernel_size"), dims),
            stride=_kernel(call.arg(2, "strides"), dims),
            padding=_padding(call.arg(3, "padding")),
            dilation=(ints(call.arg(99, "dilation_rate")) or (1,))[0],
            bias=bias,
            text=text,
        )
    elif kind == "depthwise":
        layer = Layer(
            kind,
            kernel=_kernel(call.arg(0, "kernel_size"), dims),
            stride=_kernel(call.arg(1, "strides"), dims),
            padding=_padding(call.arg(2, "padding")),
            bias=bias,
            text=text,
        )
    elif kind == "pool":
        pool = _kernel(call.arg(0, "pool_size"), dims) or (2,) * dims
        layer = Layer(
            kind,
            kernel=pool,
            stride=_kernel(call.arg(1, "strides"), dims),
            padding=_padding(call.arg(2, "padding")),
            text=text,
        )
    elif kind in ("dense", "rnn", "lstm", "gru"):
        units = ints(call.arg(0, "units"))
        layer = Layer(kind, units=units[0] if units else None, bias=bias, directions=directions, text=text)
    elif kind == "embedding":
        vocab, dim = ints(call.arg(0, "input_dim")), ints(call.arg(1, "output_dim"))
        layer = Layer(kind, units=dim[0] if dim else None, in_units=vocab[0] if vocab else None, text=text)
    else:
        layer = Layer(kind, text=text)
    return layer, shape or None


def _torch_layer(call: Call, kind: str) -> Layer:
    dims = _dims(call.name)
    text = f"nn.{call.name}(" + ", ".join([*call.positional, *(f"{k}={v}" for k, v in call.keywords)]) + ")"
    bias = _flag(call.arg(99, "bias"), True)
    first = ints(call.arg(0, "in_channels", "in_features", "input_size", "num_embeddings", "num_features"))
    second = ints(call.arg(1, "out_channels", "out_features", "hidden_size", "embedding_dim"))
    if kind in ("conv", "tconv"):
        return Layer(
            kind,
            units=second[0] if second else None,
            kernel=_kernel(call.arg(2, "kernel_size"), dims),
            stride=_kernel(call.arg(3, "stride"), dims),
            padding=_padding(call.arg(4, "padding")),
            dilation=(ints(call.arg(99 if kind == "tconv" else 5, "dilation")) or (1,))[0],
            groups=(ints(call.arg(99 if kind == "tconv" else 6, "groups")) or (1,))[0],
            bias=bias,
            in_units=first[0] if first else None,
            text=text,
        )
    if kind == "pool":
        kernel = _kernel(call.arg(0, "kernel_size"), dims)
        return Layer(
            kind,
            kernel=kernel,
            stride=_kernel(call.arg(1, "stride"), dims) or kernel,
            padding=_padding(call.arg(2, "padding")),
            text=text,
        )
    if kind in ("rnn", "lstm", "gru"):
        layers = (ints(call.arg(2, "num_layers")) or (1,))[0]
        directions = 2 if _flag(call.arg(99, "bidirectional"), False) else 1
        return Layer(
            kind,
            units=second[0] if second else None,
            in_units=first[0] if first else None,
            bias=bias,
            layers=layers,
            directions=directions,
            text=text,
        )
    if kind in ("dense", "embedding"):
        return Layer(
            kind,
            units=second[0] if second else None,
            in_units=first[0] if first else None,
            bias=bias if kind == "dense" else False,
            text=text,
        )
    if kind == "batchnorm":
        return Layer(kind, units=first[0] if first else None, text=text)
    return Layer(kind, text=text)


@dataclass(frozen=True)
class CodeNetwork:
    layers: tuple[Layer, ...]
    start: Volume | None
    framework: str
    gru_reset_after: bool | None  # Keras GRU(reset_after=...) when written
    batch: int | None = None  # the batch size of a PyTorch input tensor (N, C, H, W)


def _torch_input(text: str, first: Layer | None) -> tuple[Volume | None, int | None]:
    """An input tensor's shape and batch size, (N, C, H, W) or (C, H, W), told by the first layer."""
    for match in re.finditer(r"\(\s*(\d+(?:\s*,\s*\d+){1,4})\s*\)", text):
        shape = ints(match.group(1))
        if first is None or first.in_units is None:
            continue
        dims = len(first.kernel) if first.kernel else 2
        if len(shape) == dims + 2 and shape[1] == first.in_units:
            return Volume(tuple(float(s) for s in shape[2:]), shape[1]), shape[0]
        if len(shape) == dims + 1 and shape[0] == first.in_units and first.kind in ("conv", "tconv"):
            return Volume(tuple(float(s) for s in shape[1:]), shape[0]), None
    return None, None


def read_code(text: str) -> CodeNetwork | None:
    """The network written as Keras or PyTorch layer calls, or None when there is none."""
    unsupported = _UNSUPPORTED.search(text)
    torch_calls = find_calls(text, _TORCH_CALL)
    keras_calls = find_calls(text, _KERAS_CALL)
    if unsupported and (torch_calls or keras_calls):
        raise NotUnderstood(f"{unsupported.group(1)} layers are not counted by this solver")
    if torch_calls:
        layers = tuple(_torch_layer(c, TORCH[c.name]) for c in torch_calls)
        first = next((layer for layer in layers if layer.in_units is not None), None)
        torch_start, batch = _torch_input(text, first)
        return CodeNetwork(layers, torch_start, "pytorch", None, batch)
    if not keras_calls:
        return None
    layers_found: list[Layer] = []
    start: Volume | None = None
    reset_after: bool | None = None
    inner_spans: list[tuple[int, int]] = []
    for outer in re.finditer(r"Bidirectional\s*\(", text):
        inner = next((c for c in keras_calls if c.start > outer.start()), None)
        if inner is not None:
            inner_spans.append((inner.start, 2))
    directions = dict(inner_spans)
    for call in keras_calls:
        kind = KERAS[call.name]
        layer, shape = _keras_layer(call, kind, directions.get(call.start, 1))
        if call.name == "GRU" and call.arg(99, "reset_after") is not None:
            reset_after = _flag(call.arg(99, "reset_after"), True)
        if shape and start is None:
            start = _start_volume(shape, kind)
        layers_found.append(layer)
    explicit = _KERAS_INPUT.search(text)
    if start is None and explicit is not None and layers_found:
        start = _start_volume(ints(explicit.group(1)), layers_found[0].kind)
    return CodeNetwork(tuple(layers_found), start, "keras", reset_after)


def _start_volume(shape: tuple[int, ...], kind: str) -> Volume:
    if kind in ("rnn", "lstm", "gru", "dense", "embedding") or len(shape) == 1:
        return Volume((), shape[-1])
    return Volume(tuple(float(s) for s in shape[:-1]), shape[-1])
