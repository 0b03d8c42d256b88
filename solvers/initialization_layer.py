"""The layer an initialization question is about: its fan-in and fan-out, read from prose or code.

Dense layers: "256 inputs and 128 outputs", "n_in = 256", "784 → 256", `nn.Linear(784, 256)`,
`Dense(256, input_dim=784)`, a weight matrix `W ∈ R^{256×784}` (out × in for y = Wx and PyTorch,
in × out for y = xW and Keras kernels). Convolutions: fan_in = c_in · k_h · k_w, fan_out =
c_out · k_h · k_w, from "a 3×3 convolution with 64 input channels and 128 filters" or
`nn.Conv2d(64, 128, 3)` / `Conv2D(128, (3, 3))` on a 64-channel input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from solvers.errors import InvalidQuestion
from solvers.tables import find_tables

INT = r"(\d{1,9})(?!\d|\.\d)"
_TIMES = r"\s*(?:×|x|\*)\s*"


@dataclass(frozen=True)
class Layer:
    fan_in: int | None
    fan_out: int | None
    receptive: int = 1
    units_in: int | None = None
    units_out: int | None = None
    conv: bool = False
    layout_assumed: bool = False
    layout_other: tuple[int, int] | None = None  # (fan_in, fan_out) if the weight were read the other way
    described: str = ""


def prepare(text: str) -> str:
    """Lower case, `3x3` → `3×3`."""
    return re.sub(r"(?<=\d)\s*[x*]\s*(?=\d)", "×", text.lower())


def first_int(text: str, patterns: tuple[str, ...]) -> tuple[int, int] | None:
    """The earliest match of any pattern: (value of its first group that is set, offset)."""
    hits: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            group = next((g for g in match.groups() if g is not None), None)
            if group is not None:
                hits.append((match.start(), int(group)))
                break
    if not hits:
        return None
    start, value = min(hits)
    return value, start


# ---- code: nn.Linear(784, 256), Dense(256, input_dim=784), nn.Conv2d(3, 16, 3), torch.empty(256, 784) --


def call_args(text: str, name: str) -> tuple[list[str], dict[str, str]] | None:
    """Positional and keyword arguments (as text) of the first call `name(...)`; tuples kept whole."""
    match = re.search(rf"(?<![\w.]){name}\s*\(", text) or re.search(rf"\.{name}\s*\(", text)
    if match is None:
        return None
    depth, i, start = 1, match.end(), match.end()
    while i < len(text) and depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    body = text[start : i - 1]
    pieces: list[str] = []
    depth, current = 0, ""
    for ch in body:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            pieces.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        pieces.append(current.strip())
    positional = [p for p in pieces if not re.match(r"^\w+\s*=", p)]
    keywords = {
        k.strip(): v.strip() for k, v in (p.split("=", 1) for p in pieces if re.match(r"^\w+\s*=", p))
    }
    return positional, keywords


def ints(value: str | None) -> list[int]:
    return [int(v) for v in re.findall(r"\d+", value or "")]


def _kernel(value: str | None, dims: int) -> tuple[int, ...]:
    found = ints(value)
    if not found:
        return ()
    return tuple(found[:dims]) if len(found) >= dims else tuple(found * dims)


def _arg(positional: list[str], keywords: dict[str, str], index: int, *names: str) -> str | None:
    for name in names:
        if name in keywords:
            return keywords[name]
    return positional[index] if index < len(positional) else None


def _torch_code(t: str) -> Layer | None:
    linear = call_args(t, r"nn\.linear") or call_args(t, r"linear")
    if linear is not None:
        pos, kw = linear
        fi, fo = ints(_arg(pos, kw, 0, "in_features")), ints(_arg(pos, kw, 1, "out_features"))
        if fi and fo:
            return Layer(fi[0], fo[0], described=f"nn.Linear({fi[0]}, {fo[0]})")
    for dims in (2, 1, 3):
        conv = call_args(t, rf"nn\.conv{dims}d")
        if conv is None:
            continue
        pos, kw = conv
        c_in, c_out = ints(_arg(pos, kw, 0, "in_channels")), ints(_arg(pos, kw, 1, "out_channels"))
        kernel = _kernel(_arg(pos, kw, 2, "kernel_size"), dims)
        if c_in and c_out and kernel:
            return conv_layer(c_in[0], c_out[0], kernel)
    tensor = re.search(r"torch\.(?:empty|randn|rand|zeros|ones)\(\s*\(?\s*(\d+(?:\s*,\s*\d+)+)", t)
    if tensor is not None:
        shape = ints(tensor.group(1))
        receptive = math.prod(shape[2:])
        text = "a PyTorch weight of shape (" + ", ".join(map(str, shape)) + ")"
        return Layer(
            shape[1] * receptive,
            shape[0] * receptive,
            receptive,
            shape[1],
            shape[0],
            len(shape) > 2,
            False,
            None,
            text,
        )
    return None


def _keras_code(t: str) -> Layer | None:
    dense = call_args(t, r"dense")
    if dense is not None:
        pos, kw = dense
        units = ints(_arg(pos, kw, 0, "units"))
        fan_in = ints(kw.get("input_dim")) or ints(kw.get("input_shape"))[-1:]
        if units and fan_in:
            return Layer(fan_in[-1], units[0], described=f"Dense({units[0]}) on {fan_in[-1]} inputs")
        if units:
            found = first_int(t, FAN_IN)
            if found is not None:
                return Layer(found[0], units[0], described=f"Dense({units[0]}) on {found[0]} inputs")
    for dims in (2, 1, 3):
        conv = call_args(t, rf"conv{dims}d")
        if conv is None:
            continue
        pos, kw = conv
        filters, kernel = ints(_arg(pos, kw, 0, "filters")), _kernel(_arg(pos, kw, 1, "kernel_size"), dims)
        shape = ints(kw.get("input_shape"))
        c_in = shape[-1:] or ([found[0]] if (found := first_int(t, CHANNELS_IN)) else [])
        if filters and kernel and c_in:
            return conv_layer(c_in[0], filters[0], kernel)
    return None


# ---- prose ---------------------------------------------------------------------------------------

_IS = r"\s*(?:=|:|of|is|equals?|equal to|being)?\s*"
FAN_IN: tuple[str, ...] = (
    rf"fan[\s_-]?in(?:\s*\(\w+\))?{_IS}{INT}",
    rf"\bn_?\{{?in\}}?{_IS}{INT}",
    rf"\bn_\{{?l\}}?{_IS}{INT}",  # He et al.'s n_l: the fan-in of layer l
    rf"(?:in_features|input_dim|in_dim|d_in|input[\s_]size|input[\s_]dim\w*|number of inputs|inputs?|"
    rf"incoming connections)\s*(?:=|:|of|is)\s*{INT}",
    rf"{INT}\s+(?:input|incoming)\s+(?:units|neurons|nodes|features|connections|dimensions|activations|values)",
    rf"{INT}\s+inputs\b",
    rf"{INT}[-\s]dim(?:ensional)?\s+inputs?",
    rf"(?:previous|preceding|input) layer (?:has|with|of|contains)\s+{INT}",
    rf"(?:from|receiv\w+ \w+ from|fed by) (?:a|the) (?:previous )?layer (?:of|with)\s+{INT}",
)
FAN_OUT: tuple[str, ...] = (
    rf"fan[\s_-]?out(?:\s*\(\w+\))?{_IS}{INT}",
    rf"\bn_?\{{?out\}}?{_IS}{INT}",
    rf"(?:out_features|output_dim|out_dim|d_out|output[\s_]size|output[\s_]dim\w*|number of outputs|units|"
    rf"outputs?)\s*(?:=|:|of|is)\s*{INT}",
    rf"{INT}\s+(?:output|outgoing)\s+(?:units|neurons|nodes|features|connections|dimensions|activations|values)",
    rf"{INT}\s+outputs\b",
    rf"(?:next|following|output) layer (?:has|with|of|contains)\s+{INT}",
)
_UNITS = rf"(?<![\d×])(?<!× ){INT}\s+(?:hidden\s+)?(?:units|neurons|nodes)\b"
_ARROW = re.compile(rf"(?:r\^\{{?)?{INT}\}}?\s*(?:→|->|=>)\s*(?:r\^\{{?)?{INT}")
_FROM_TO = re.compile(
    rf"\b(?:from|maps?|mapping|connects?|connecting)\s+(?:an?\s+)?(?:r\^\{{?)?{INT}\}}?(?:[\s-]dim\w*)?\s+"
    rf"(?:(?:inputs?|features|units|neurons|dimensions|values)\s+)?(?:in(?:puts?)?\s+)?to\s+(?:r\^\{{?)?{INT}"
)

CHANNELS_IN: tuple[str, ...] = (
    rf"{INT}\s+(?:input|incoming)\s+(?:channels|feature maps|planes)",
    rf"in_channels\s*=\s*{INT}",
    rf"input (?:has|with|of)\s+{INT}\s+(?:channels|feature maps)",
    rf"{INT}[-\s]channel(?:s)?\s+(?:input|image)",
    rf"(?:channels?[\s_]in|c_?\{{?in\}}?)\s*(?:=|:|of|is)\s*{INT}",
)
CHANNELS_OUT: tuple[str, ...] = (
    rf"(?<![\d×])(?<!× ){INT}\s+(?:output\s+channels|filters|kernels|output feature maps|feature maps)",
    rf"out_channels\s*=\s*{INT}",
    rf"filters\s*=\s*{INT}",
    rf"(?:channels?[\s_]out|c_?\{{?out\}}?)\s*(?:=|:|of|is)\s*{INT}",
    rf"(?:number of (?:filters|output channels|kernels))\s*(?:=|:|of|is)\s*{INT}",
)
_KERNEL = (
    re.compile(rf"{INT}{_TIMES}{INT}(?:{_TIMES}{INT})?\s*(?:conv\w*|kernels?|filters?|windows?|receptive)"),
    re.compile(
        rf"(?:kernels?|filters?)(?: size)?\s+(?:of\s+)?(?:size|shape|dimensions?)?\s*(?:of\s*)?{INT}"
        rf"(?:{_TIMES}{INT})?(?:{_TIMES}{INT})?"
    ),
    re.compile(rf"kernel[\s_]size\s*(?:=|of|:|is)?\s*\(?{INT}(?:\s*[,×]\s*{INT})?"),
    re.compile(rf"(?:kernels?|filters?) (?:are|is)\s+{INT}(?:{_TIMES}{INT})?(?:{_TIMES}{INT})?"),
)
_CONV_WORDS = re.compile(r"conv|\bfilters?\b|\bkernels?\b|feature maps?|channels?")
_VOLUME = re.compile(rf"input[^.?\n]{{0,60}}?{INT}{_TIMES}{INT}{_TIMES}{INT}")


def conv_layer(c_in: int, c_out: int, kernel: tuple[int, ...]) -> Layer:
    receptive = math.prod(kernel)
    size = "×".join(map(str, kernel))
    return Layer(
        c_in * receptive,
        c_out * receptive,
        receptive,
        c_in,
        c_out,
        True,
        described=f"a {size} convolution with {c_in} input and {c_out} output channels",
    )


def _conv_prose(t: str, torch_layout: bool) -> Layer | None:
    if not _CONV_WORDS.search(t):
        return None
    kernel: tuple[int, ...] = ()
    third: int | None = None
    for pattern in _KERNEL:
        match = pattern.search(t)
        if match is None:
            continue
        found = [int(g) for g in match.groups() if g is not None]
        kernel = tuple(found[:2]) if len(found) >= 2 else (found[0], found[0])
        third = found[2] if len(found) == 3 else None
        break
    if not kernel:
        return None
    c_in_found = first_int(t, CHANNELS_IN)
    c_in = c_in_found[0] if c_in_found else third
    if c_in is None:
        if re.search(r"\brgb\b|colou?r (?:image|input)", t):
            c_in = 3
        elif re.search(r"gr[ae]y[\s-]?scale", t):
            c_in = 1
        elif (volume := _VOLUME.search(t)) is not None:
            dims = [int(g) for g in volume.groups()]
            c_in = dims[0] if torch_layout else dims[2]
    c_out_found = first_int(t, CHANNELS_OUT)
    if c_in is None or c_out_found is None:
        return Layer(
            None, None, math.prod(kernel), c_in, None if c_out_found is None else c_out_found[0], True
        )
    return conv_layer(c_in, c_out_found[0], kernel)


_WEIGHT = (
    re.compile(rf"\bw(?:\^?\{{?\[?\(?\d?\)?\]?\}}?)?\s*∈\s*r\^\s*\{{?\s*{INT}\s*×\s*{INT}\s*\}}?"),
    re.compile(
        rf"weights?(?: matrix| tensor)?[^.?\d]{{0,25}}?(?:shape|size|dimensions?)\s*(?:of\s*)?[(\[]?\s*{INT}"
        rf"\s*[×,]\s*{INT}"
    ),
    re.compile(rf"{INT}\s*×\s*{INT}\s+weight"),
    re.compile(
        rf"\bw\s+(?:of|with|has)\s+(?:shape|size)\s*[(\[]?\s*{INT}\s*[×,]\s*{INT}"
    ),  # "w of shape (256, 128)"
)


def _weight_matrix(t: str, framework: str) -> Layer | None:
    for pattern in _WEIGHT:
        match = pattern.search(t)
        if match is None:
            continue
        rows, cols = int(match.group(1)), int(match.group(2))
        described = f"a {rows}×{cols} weight matrix"
        if re.search(r"\bx\s*·?\s*w\b|\bxw\b|\bx\s*@\s*w\b", t) or framework == "keras":
            return Layer(rows, cols, described=described + " (rows = inputs)")
        stated = bool(re.search(r"\bw\s*·?\s*x\b|\bwx\b|\bw\s*@\s*x\b", t)) or framework == "pytorch"
        return Layer(cols, rows, layout_assumed=not stated, layout_other=(rows, cols), described=described)
    return None


def _dense_prose(t: str) -> Layer:
    fan_in = first_int(t, FAN_IN)
    fan_out = first_int(t, FAN_OUT)
    for pattern in (_FROM_TO, _ARROW):
        match = pattern.search(t)
        if match is not None and (fan_in is None or fan_out is None):
            fan_in = fan_in or (int(match.group(1)), match.start())
            fan_out = fan_out or (int(match.group(2)), match.start())
    if fan_out is None:
        for match in re.finditer(_UNITS, t):
            value = int(match.group(1))
            if fan_in is None or value != fan_in[0] or match.start() != fan_in[1]:
                fan_out = (value, match.start())
                break
    fi = None if fan_in is None else fan_in[0]
    fo = None if fan_out is None else fan_out[0]
    parts = [f"fan-in {fi}" if fi is not None else "", f"fan-out {fo}" if fo is not None else ""]
    return Layer(fi, fo, described="a layer with " + " and ".join(p for p in parts if p))


def _table(t: str) -> Layer | None:
    """A one-row table with an inputs column and an outputs column."""
    for table in find_tables(t):
        if len(table.rows) != 1:
            continue
        values = table.rows[0][1]
        header = list(table.header[-len(values) :]) if len(table.header) >= len(values) else []
        col_in = next(
            (i for i, h in enumerate(header) if re.search(r"\bin\b|inputs?|fan[\s_-]?in|n_in", h)), None
        )
        col_out = next(
            (i for i, h in enumerate(header) if re.search(r"\bout\b|outputs?|fan[\s_-]?out|n_out", h)), None
        )
        if col_in is not None and col_out is not None:
            if not all(math.isfinite(v) and v == int(v) for v in (values[col_in], values[col_out])):
                raise InvalidQuestion("the numbers of inputs and outputs must be whole numbers")
            fi, fo = int(values[col_in]), int(values[col_out])
            return Layer(fi, fo, described=f"a layer with fan-in {fi} and fan-out {fo}")
    return None


def read_layer(t: str, framework: str) -> Layer:
    """The layer in prepared text `t` (see `prepare`); fans are None when the text does not give them."""
    for reader in (_torch_code, _keras_code, _table):
        found = reader(t)
        if found is not None:
            return found
    conv = _conv_prose(t, framework == "pytorch")
    if conv is not None and conv.fan_in is not None:
        return conv
    weight = _weight_matrix(t, framework)
    if weight is not None:
        return weight
    dense = _dense_prose(t)
    if conv is not None and dense.fan_in is None:
        return conv
    if (dense.fan_in is not None and dense.fan_in <= 0) or (dense.fan_out is not None and dense.fan_out <= 0):
        raise InvalidQuestion("a layer needs at least one input and one output")
    return dense
