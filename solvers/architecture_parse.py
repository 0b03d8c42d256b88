"""An architecture question read into an `ArchProblem`: the layers, the input, what is asked."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from solvers.architecture_code import read_code
from solvers.architecture_layers import RECURRENT_GATES, SPATIAL, Layer, Volume
from solvers.architecture_prose import (
    _INPUT,
    _INPUTS,
    Described,
    compare_mode,
    describe_layers,
    first,
    mentions,
    mlp_chain,
    prepare,
    read_input,
    read_layer,
)
from solvers.errors import InvalidQuestion, NotUnderstood


@dataclass(frozen=True)
class ArchProblem:
    layers: tuple[Layer, ...]
    start: Volume | None
    asked: tuple[str, ...]  # output, output_shape, params, weights, biases, per_layer, compare, saving, ratio
    framework: str  # "keras", "pytorch" or "" (not stated)
    gru_reset_after: bool | None
    compare: str | None  # "dense" or "unshared": what the shared layer is compared with
    channel_first: bool
    weights_word: bool  # the question counts "weights", not "parameters"
    source: str  # "code", "mlp" or "prose"
    batch: int | None = None  # a PyTorch input's batch size: the output shape keeps it

    @property
    def recurrent(self) -> bool:
        return any(layer.kind in RECURRENT_GATES for layer in self.layers)


_ASKED = (
    (
        "output",
        r"output\s+(?:size|dimensions?|shape|volume|width|height|spatial|resolution|feature map|activation "
        r"map|"
        r"map|length)|size of (?:the )?(?:output|resulting|feature map|activation map)|"
        r"dimensions? of (?:the )?(?:output|resulting|feature map|activation)|shape of (?:the )?(?:output|"
        r"resulting|feature map)|spatial (?:size|dimensions?|resolution|extent)|feature map "
        r"(?:size|dimensions?|"
        r"shape)|resulting (?:image|shape|size|volume|feature map|dimensions?|output)|"
        r"what (?:size|shape|dimensions?)|output\?|\bo\s*=\s*\?|size of the (?:image|map) after|"
        r"(?:size|shape|dimensions?) (?:after|of the volume after)|what (?:is|are) the "
        r"(?:output|resulting)\b|"
        r"output (?:will|would) (?:be|have)|\boutput_shape\b",
    ),
    ("output_shape", r"volume|output shape|shape of (?:the )?output|output dimensions|\(h,\s*w,\s*c\)|depth"),
    (
        "params",
        r"param\w*|learnable|trainable|weights and biases|how many weights|number of weights|weights does|"
        r"weights (?:are|in)|how many (?:free )?variables",
    ),
    ("biases", r"how many bias|number of bias"),
    ("per_layer", r"each layer|per layer|every layer|for each|layer by layer|each of the"),
    ("saving", r"how many fewer|saving|\bsaves?\b|\bsaved\b|reduc\w+|fewer parameters|difference"),
    ("ratio", r"how many times|ratio|\bfactor\b|times (?:more|fewer|smaller|larger|as many)"),
)
_QUESTION_START = re.compile(
    r"^(?:what|which|compute|calculate|find|give|determine|derive|state|write|show|how|report|estimate|"
    r"evaluate|work out|obtain|list|provide|count)\b"
)


def _asking(t: str) -> list[str]:
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=\D)|\n+", t) if s.strip()]
    return [s for s in sentences if "?" in s or _QUESTION_START.match(s)]


def question_sentences(t: str) -> str:
    return " ".join(_asking(t)) or t


def _asked(t: str) -> list[str]:
    ask = question_sentences(t)
    hits = [(m.start(), name) for name, pattern in _ASKED if (m := re.search(pattern, ask))]
    names = [name for _, name in sorted(hits)]
    if (
        "per_layer" in names
        and "params" in names
        and not re.search(r"total|in all|overall|altogether|whole", ask)
    ):
        names.remove("params")
    if "output_shape" in names and "output" not in names:
        names.insert(names.index("output_shape"), "output")
    return names


def _framework(t: str) -> str:
    if re.search(r"keras|tensorflow|\btf\.", t):
        return "keras"
    return "pytorch" if re.search(r"pytorch|torch|\bnn\.", t) else ""


def _with_flatten(layers: list[Layer], start: Volume | None) -> list[Layer]:
    """A dense layer after a spatial one reads the flattened volume (prose leaves the flatten implicit)."""
    out: list[Layer] = []
    spatial = start is not None and bool(start.spatial)
    for layer in layers:
        if layer.kind == "dense" and spatial and layer.in_units is None:
            out.append(Layer("flatten", text="flatten"))
            spatial = False
        out.append(layer)
        if layer.kind in SPATIAL:
            spatial = spatial or start is None
        elif layer.kind in ("flatten", "gpool", "dense") or layer.kind in RECURRENT_GATES:
            spatial = False
    return out


def _blank_input(t: str) -> str:
    """The text without the input's size (so that it is not read as a kernel or a filter count)."""
    matches = [m for pattern in _INPUT[:2] if (m := re.search(pattern, t)) is not None]
    if not matches:
        return t
    match = min(matches, key=lambda m: m.start())
    return t[: match.start()] + " " * (match.end() - match.start()) + t[match.end() :]


def _prose_layers(t: str, torch_layout: bool) -> tuple[list[Layer], Volume | None, str | None]:
    compare, t2 = compare_mode(t)
    chain = None if re.search(r"conv|lstm|gru|rnn|recurrent|pool|filter|kernel", t2) else mlp_chain(t2)
    if chain is not None:
        bias = not re.search(r"no bias|without bias|ignor\w+ (?:the )?bias|exclud\w+ (?:the )?bias", t2)
        dense = [
            Layer("dense", units=b, in_units=a if i == 0 else None, bias=bias, text=f"dense layer {a} → {b}")
            for i, (a, b) in enumerate(itertools.pairwise(chain))
        ]
        return dense, Volume((), chain[0]), compare
    spatial_words = re.search(r"conv|pool|filter|kernel|stride|padd|\b[fk]\s*=\s*\d", t2)
    start = read_input(t2, t2, torch_layout) if spatial_words else None
    body = _blank_input(t2) if start is not None else t2
    preamble, described = describe_layers(body)
    if not described:
        named = mentions(body)
        if named:
            described, preamble = [Described(named[0].kind, body)], ""
        elif re.search(r"filters?|kernels?|strides?|padding|receptive field|\b[fk]\s*=\s*\d", body):
            described, preamble = [Described("conv", body)], ""
    cs231n = bool(re.search(r"\bf\s*=\s*\d", body))
    layers: list[Layer] = []
    for index, item in enumerate(described):
        text = preamble + " " + item.text if index == 0 else item.text
        layers.append(read_layer(item.kind, text, body, cs231n))
    if start is None and layers and layers[0].kind in SPATIAL and layers[0].in_units is None:
        if re.search(r"\brgb\b|colou?r (?:image|input|picture)", t2):
            start = Volume((), 3)  # an RGB input of unstated size: its depth is known
        elif re.search(r"gr[ae]y[\s-]?scale|monochrome", t2):
            start = Volume((), 1)
    return layers, start, compare


def _check(problem: ArchProblem) -> None:
    if not problem.layers:
        raise NotUnderstood(
            "no layer could be read: describe it (e.g. 'a 3×3 convolution with 64 input channels and 128 "
            "filters', "
            "'a dense layer with 784 inputs and 256 units', 'an LSTM with input size 100 and 128 hidden "
            "units')"
        )
    for layer in problem.layers:
        if layer.kind in SPATIAL and not layer.kernel:
            raise NotUnderstood(f"the kernel (window) size of the {_kind_name(layer.kind)} layer is missing")
        if any(k <= 0 for k in layer.kernel) or any(s <= 0 for s in layer.stride):
            raise InvalidQuestion("kernel sizes and strides must be positive")
    counting = "params" in problem.asked or "biases" in problem.asked or "per_layer" in problem.asked
    no_input = problem.start is None or not problem.start.spatial
    if "output" in problem.asked and no_input and any(layer.kind in SPATIAL for layer in problem.layers):
        raise NotUnderstood("the input size is missing: give it (e.g. 'a 32×32×3 input', 'W = 32', 'n = 64')")
    if counting or problem.compare:
        _check_counts(problem)


def _check_counts(problem: ArchProblem) -> None:
    channels = None if problem.start is None else problem.start.channels
    for layer in problem.layers:
        name = _kind_name(layer.kind)
        if layer.kind in ("conv", "tconv", "separable") and layer.units is None:
            raise NotUnderstood(f"the number of filters (output channels) of the {name} layer is missing")
        if layer.kind in SPATIAL and layer.kind != "pool" and layer.in_units is None and channels is None:
            raise NotUnderstood(
                f"the number of input channels of the {name} layer is missing: each filter spans every input "
                "channel (give e.g. '3 input channels' or a 32×32×3 input)"
            )
        if layer.kind in ("dense", "rnn", "lstm", "gru", "embedding") and layer.units is None:
            raise NotUnderstood(f"the number of units of the {name} layer is missing")
        if layer.kind in SPATIAL or layer.kind == "batchnorm":
            channels = layer.units if layer.kind not in ("pool", "depthwise", "batchnorm") else channels
        elif layer.kind in ("dense", "rnn", "lstm", "gru", "embedding"):
            if layer.in_units is None and channels is None:
                what = (
                    "input size (features per time step)"
                    if layer.kind in RECURRENT_GATES
                    else "number of inputs"
                )
                raise NotUnderstood(f"the {what} of the {name} layer is missing")
            channels = layer.units
        elif layer.kind == "flatten":
            channels = None if problem.start is None or not problem.start.spatial else 1


def _kind_name(kind: str) -> str:
    return {
        "conv": "convolutional",
        "tconv": "transposed convolution",
        "pool": "pooling",
        "dense": "dense",
        "rnn": "recurrent",
        "lstm": "LSTM",
        "gru": "GRU",
        "depthwise": "depthwise",
        "separable": "separable convolution",
    }.get(kind, kind)


def read_problem(text: str) -> ArchProblem:
    t = prepare(text)
    framework = _framework(t)
    code = read_code(text)
    reset_after: bool | None = None
    compare: str | None = None
    batch: int | None = None
    if code is not None and code.layers:
        layers, start, source = list(code.layers), code.start, "code"
        framework, reset_after, batch = code.framework, code.gru_reset_after, code.batch
        if start is None and any(x.kind in SPATIAL for x in layers):
            start = read_input(t, t, framework == "pytorch")
        elif start is None and layers[0].in_units is None:
            inputs = first(t, *_INPUTS)
            start = None if inputs is None else Volume((), inputs[0])
        compare, _ = compare_mode(t)
    else:
        layers, start, compare = _prose_layers(t, framework == "pytorch")
        source = "mlp" if layers and all(x.kind == "dense" for x in layers) and len(layers) > 1 else "prose"
        layers = _with_flatten(layers, start)
    asked = _asked(compare_mode(t)[1])
    if compare:
        asked.append("compare")
    if not asked and _asking(t):
        raise NotUnderstood(
            "the question does not ask for anything counted here: ask for the output size (or shape) or the "
            "number of parameters"
        )
    if not asked:  # layers described, nothing asked: the usual question about them
        asked = ["output"] if any(x.kind in SPATIAL for x in layers) and start is not None else ["params"]
    if (
        "output_shape" in asked
        and (start is None or start.channels is None)
        and layers
        and layers[-1].kind == "pool"
    ):
        asked.remove("output_shape")
    ask = question_sentences(t)
    weights_word = bool(re.search(r"\bweights\b", ask)) and not re.search(r"param|bias", ask)
    if weights_word and "params" not in asked:
        asked.append("params")
    channel_first = framework == "pytorch" and source == "code"
    problem = ArchProblem(
        layers=tuple(layers),
        start=start,
        asked=tuple(dict.fromkeys(asked)),
        framework=framework,
        gru_reset_after=reset_after,
        compare=compare,
        channel_first=channel_first,
        weights_word=weights_word,
        source=source,
        batch=batch,
    )
    _check(problem)
    return problem
