"""Layers described in words: "a 5×5 convolution with 6 filters, stride 1, no padding, then 2×2 max pooling".

The text is cut into clauses (lines, arrows, sentences, "followed by", the comma before a new layer);
each clause naming a layer starts one, clauses naming none add to the layer before. A clause naming
a layer but giving no number ("how many parameters does the convolutional layer have?") refers to
one already described.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from solvers.architecture_layers import Layer, Volume

N = r"(\d{1,9})(?!\d|\.\d)"
X = r"\s*×\s*"
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twelve": 12, "sixteen": 16, "twenty": 20, "thirty-two": 32, "sixty-four": 64,
}  # fmt: skip


def _table_rows(text: str) -> str:
    """Markdown table rows become lines of words (one layer a row); separator rows go."""
    lines = []
    for line in text.split("\n"):
        if line.count("|") >= 2:
            if re.fullmatch(r"[\s|:-]+", line):
                continue
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(line)
    return "\n".join(lines)


def prepare(text: str) -> str:
    """Lower case; `3x3`, `3 by 3` → `3×3`; number words before a noun → digits; table rows → lines."""
    t = _table_rows(text.lower())
    t = re.sub(r"(?<=\d)\s*(?:[x*]|by)\s*(?=\d)", "×", t)
    words = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    return re.sub(
        rf"\b({words})\b(?=[\s-]+(?:\w+[\s-]+)?(?:hidden|layers?|filters?|kernels?|units|neurons|"
        rf"stacked|convolutional|fully|dense|lstm|gru|channels?|feature|times))",
        lambda m: str(_NUMBER_WORDS[m.group(1)]),
        t,
    )


# ---- where the layers are ----------------------------------------------------------------------------

MENTIONS: tuple[tuple[str, str], ...] = (
    (
        "tconv",
        r"transposed? conv\w*|deconvolution\w*|conv\w*[\s-]transpose\w*|fractionally[\s-]strided conv\w*",
    ),
    ("separable", r"depth-?wise[\s-]separable conv\w*|separable conv\w*"),
    ("depthwise", r"depth-?wise conv\w*|depth-?wise layer"),
    ("gpool", r"global (?:average|avg|max|mean) pool\w*|global pool\w*"),
    ("pool", r"(?:max|average|avg|mean|sum)?[\s-]?pool(?:ing|ed|s)?\b|subsampl\w+|downsampl\w+ layer"),
    ("conv", r"\bconv\w*|\bconvolved\b"),
    ("flatten", r"\bflatten\w*"),
    ("lstm", r"\blstms?\b|long short[\s-]term memory"),
    ("gru", r"\bgrus?\b|gated recurrent"),
    (
        "rnn",
        r"\b(?:simple|vanilla|elman)?\s*rnns?\b|simplernn|recurrent (?:layer|neural "
        r"network|network|cell|unit)",
    ),
    ("embedding", r"\bembedding(?: layer| matrix| table)"),
    ("batchnorm", r"batch[\s-]?norm\w*"),
    (
        "dense",
        r"fully[\s-]connected|\bdense\b|\bfc\d?\b|\blinear layer|\bhidden layer|\boutput layer|"
        r"\bmlp\b|perceptron|feed[\s-]?forward|affine layer",
    ),
)
_COMPARE = (
    (
        "unshared",
        r"without (?:parameter|weight) sharing|no (?:parameter|weight) sharing|locally[\s-]connected|"
        r"(?:did not|didn't|does not|doesn't|did n't) share (?:its |the )?(?:weights|parameters)|"
        r"(?:separate|own|different|its own) (?:weights|filters?|kernels?) (?:at|for) each "
        r"(?:position|location)|"
        r"not shared",
    ),
    (
        "dense",
        r"(?:fully[\s-]connected|dense)(?: \(\w+\))? layer (?:that |which )?(?:connect\w*|between|mapping|"
        r"linking|with the same|producing the same|going from|from the same)(?:[^.?\n]*?\bvolumes?\b)?|"
        r"(?:were|was|if it were|replaced by|instead of|versus|vs\.?|compared (?:to|with)) (?:a |an )?"
        r"(?:fully[\s-]connected|dense)|fully[\s-]connected (?:equivalent|alternative|version|counterpart)",
    ),
)
_BOUNDARY = re.compile(r"\n|→|->|;|(?<=[.?!])\s+(?=\D)|,?\s+(?:followed by|and then|then|after that|next)\s+")


@dataclass(frozen=True)
class Mention:
    kind: str
    start: int
    end: int


def compare_mode(t: str) -> tuple[str | None, str]:
    """What the layer is compared with ("dense", "unshared" or None) and `t` with those phrases blanked."""
    found: str | None = None
    if not re.search(r"conv|filters?\b|kernels?\b", t):
        # nothing shares weights: "a dense layer connecting 100 neurons to 50" is the layer itself
        return None, t
    for mode, pattern in _COMPARE:
        for match in re.finditer(pattern, t):
            found = found or mode
            t = t[: match.start()] + " " * (match.end() - match.start()) + t[match.end() :]
    return found, t


def mentions(t: str) -> list[Mention]:
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in MENTIONS:
        for match in re.finditer(pattern, t):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(Mention(kind, match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    merged: list[Mention] = []
    for mention in found:  # "a fully connected (dense) layer" names one layer
        if (
            merged
            and merged[-1].kind == mention.kind
            and not re.search(r"[,.;\n→]|\band\b", t[merged[-1].end : mention.start])
        ):
            continue
        merged.append(mention)
    return merged


def _boundaries(t: str, found: list[Mention]) -> list[int]:
    cuts = {0, len(t)}
    cuts |= {m.start() for m in _BOUNDARY.finditer(t)}
    for previous, mention in itertools.pairwise(found):
        between = t[previous.end : mention.start]
        if any(previous.start >= c or c >= mention.start for c in cuts if previous.end < c < mention.start):
            continue
        split = max(between.rfind(","), between.rfind(" and "))
        if split >= 0:
            cuts.add(previous.end + split)
    return sorted(cuts)


@dataclass(frozen=True)
class Described:
    kind: str
    text: str


def describe_layers(t: str) -> tuple[str, list[Described]]:
    """(text before the first layer, each layer's kind and text)."""
    found = mentions(t)
    cuts = _boundaries(t, found)
    preamble = ""
    layers: list[list[str]] = []  # [kind, text]
    for start, end in itertools.pairwise(cuts):
        clause = t[start:end]
        inside = [m for m in found if start <= m.start < end]
        if not inside:
            if layers:
                layers[-1][1] += clause
            else:
                preamble += clause
            continue
        kind = inside[0].kind
        has_data = bool(re.search(r"\d", clause)) or kind in ("flatten", "gpool")
        repeat = any(k == kind for k, _ in layers)
        if not has_data and (
            repeat
            or "?" in clause
            or re.search(
                r"\b(?:how|what|compute|find|calculate|discuss|explain|describe|compare|why)\b", clause
            )
        ):
            if layers:
                layers[-1][1] += clause  # it refers to a layer already described
            else:
                preamble += clause
            continue
        layers.append([kind, clause])
    return preamble, [Described(k, text) for k, text in layers]


# ---- reading one layer ---------------------------------------------------------------------------------


def first(text: str, *patterns: str) -> tuple[int, ...] | None:
    """The numbers of the earliest match of any pattern."""
    best: tuple[int, tuple[int, ...]] | None = None
    for pattern in patterns:
        match = re.search(pattern, text)
        if match is not None and (best is None or match.start() < best[0]):
            numbers = tuple(int(g) for g in match.groups() if g is not None and g.isdigit())
            if numbers:
                best = (match.start(), numbers)
    return None if best is None else best[1]


_KERNEL = (
    rf"(?<![×\d]){N}{X}{N}(?:{X}{N})?\s*(?:\w+[\s-]+)?(?:conv\w*|kernels?|filters?|windows?|receptive "
    r"fields?|"
    rf"max[\s-]?pool\w*|average[\s-]?pool\w*|avg[\s-]?pool\w*|pool\w*|patch\w*|regions?|depth-?wise|transposed)",
    rf"(?:kernels?|filters?|windows?|pool(?:ing)?|receptive "
    r"fields?)(?:[\s_]size|[\s_]shape|[\s_]dimensions?)?s?"
    rf"\s*(?:of|=|:|is|are|with)?\s*(?:size|shape|dimensions?)?\s*(?:of|=|:)?\s*\(?{N}(?:\s*[×,]\s*{N})?(?:{X}{N})?",
    rf"kernel[\s_]size\s*(?:=|of|:|is)?\s*\(?{N}(?:\s*[,×]\s*{N})?",
    rf"\bf\s*=\s*{N}",
    rf"\bsize\s+(?:of\s+)?{N}(?:{X}{N})?",
)
_FILTERS = (
    rf"(?<![×\d])(?<!× ){N}\s+(?:\w+[\s-]+)?(?:filters|kernels|feature maps|output channels|activation maps)",
    rf"{N}\s+{N}{X}{N}(?:{X}{N})?\s+(?:\w+\s+)?(?:filters|kernels)",
    rf"(?:filters|out_channels|number of (?:filters|kernels|output channels|feature "
    rf"maps))\s*(?:=|:|is|of)\s*{N}",
    rf"(?<!input )(?:output )?depth\s*(?:of|=|:|is)?\s*{N}",
    rf"{N}\s+channels\s+out|output of {N} channels|(?:producing|outputs?|into|to) {N} (?:output "
    r")?(?:channels|feature maps)",
    rf"(?:output|to|into|produc\w+|giving|yielding)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:of\s+)?(?:size\s+|shape\s+)?"
    rf"\d+{X}\d+{X}{N}",
    rf"\d+{X}\d+{X}{N}\s+(?:output|feature maps?|activations?|volume)",
)
_CHANNELS_IN = (
    rf"{N}\s+(?:input|incoming)\s+(?:channels|feature maps|planes)",
    rf"in_channels\s*=\s*{N}",
    rf"{N}[\s-]channels?\s+(?:input|image)",
    rf"(?:input|image)s?\s+(?:has|with|of)\s+{N}\s+channels",
    rf"(?:c_?\{{?in\}}?|channels?[\s_]in)\s*(?:=|:|of|is)\s*{N}",
    rf"(?:maps|from|takes|has)\s+{N}\s+(?:input\s+)?channels",
    rf"input depth\s*(?:is|of|=|:)?\s*{N}",
)
_STRIDE = (
    rf"strides?\s*(?:of|=|:|is|-)?\s*\(?{N}(?:\s*[,×]\s*{N})?",
    rf"\bs\s*=\s*{N}",
    rf"{N}[\s-]strided?\b",
)
_PADDING = (
    rf"(?:zero[\s-])?padd(?:ing|ed)\s*(?:of|=|:|is|with|by|size)?\s*\(?{N}",
    rf"\bp\s*=\s*{N}",
    rf"\bpad\s*(?:=|of|:)?\s*{N}",
    rf"{N}\s+(?:pixels?\s+|rows?\s+|units?\s+)?(?:of\s+)?(?:zero[\s-])?padding",
)
_NO_PADDING = (
    r"no (?:zero[\s-])?padding|without (?:any )?padding|unpadded|\bvalid\b|padding\s*=\s*['\"]?valid"
)
_SAME_PADDING = r"\bsame\b(?: padding)?|padding\s*=\s*['\"]?same"
_DILATION = (rf"dilat\w*(?:[\s_]rate| factor)?\s*(?:of|=|:|is)?\s*{N}", rf"\bd\s*=\s*{N}")
_NO_BIAS = re.compile(
    r"without (?:a |any |the )?bias|no bias|bias\s*=\s*false|use_bias\s*=\s*false|ignor\w+ (?:the )?bias|"
    r"exclud\w+ (?:the )?bias|not count\w* (?:the )?bias|bias(?:es)? (?:terms? )?(?:are|is) "
    r"(?:not|omitted|ignored)|"
    r"bias-free|no biases"
)
_UNITS = (
    rf"(?:\bfc|\bdense|fully[\s-]connected|\blinear)(?:\s+layer)?\s*\(?\s*{N}\b(?!\s*(?:×|inputs?|features))",
    rf"(?<![×\d]){N}\s+(?:hidden\s+|output\s+)?(?:units|neurons|nodes|outputs|classes|hidden "
    r"units|cells|memory cells)",
    rf"(?:units|neurons|nodes|outputs|hidden[\s_](?:size|units|state(?: size| "
    r"dimension)?|dim\w*)|hidden_size|"
    rf"output[\s_](?:size|dim\w*))\s*(?:=|of|:|is)\s*{N}",
    rf"(?:hidden state|state|output)s?\s+(?:of\s+)?(?:size|dimension(?:ality)?)\s*(?:of\s*)?{N}",
    rf"(?:hidden[\s_](?:size|dim\w*|state\s+size)|output[\s_](?:size|dim\w*))\s+{N}",  # "hidden size 20"
    rf"(?:with|of|has|having)\s+{N}\b(?!\s*(?:×|input|inputs|features|-dim|dimensional|channels|words|tokens"
    r"|(?:stacked\s+|hidden\s+|recurrent\s+|lstm\s+|gru\s+|rnn\s+)?layers?\b|time[\s-]?steps|directions))",
)
_INPUTS = (
    rf"{N}\s+(?:input|incoming)\s+(?:units|neurons|nodes|features|connections|dimensions|values)",
    rf"{N}\s+inputs\b",
    rf"{N}\s+(?:input\s+)?features\s+(?:per|at\s+each|for\s+each|each)\s+(?:time[\s-]?step|step|token)",
    rf"{N}[\s-]dim(?:ensional)?\s+(?:input|inputs|vectors?|features?|word vectors?|embeddings?|feature "
    r"vectors?)",
    rf"input(?:s|[\s_](?:size|dim\w*|features|vectors?|length))?\s*(?:=|of|:|is|has|have)\s*(?:size|dim\w*)?\s*(?:of\s*)?{N}",
    rf"input[\s_](?:size|dim\w*|features|length)\s+{N}",
    rf"(?:in_features|input_dim|input_size|d_in|n_in)\s*(?:=|:)\s*{N}",
    rf"(?:embedding|word vectors?|feature vectors?)\s+(?:of\s+)?(?:size|dimension(?:ality)?)\s*(?:of\s*)?{N}",
)


def _tuple(found: tuple[int, ...] | None) -> tuple[int, ...]:
    return found if found else ()


def _kernel(text: str) -> tuple[tuple[int, ...], int | None]:
    """(k_h, k_w), and a third number (5×5×3 filters: the input depth) when written."""
    found = first(text, *_KERNEL) or first(text, rf"(?<![×\d]){N}{X}{N}(?!\s*×)")
    if found is None:
        return (), None
    if len(found) == 1:
        return (found[0], found[0]), None
    return found[:2], (found[2] if len(found) == 3 else None)


def _padding(text: str) -> tuple[int, ...] | str:
    same = re.search(_SAME_PADDING, text)
    if same is not None and re.search(r"padd|same", text):
        return "same"
    found = first(text, *_PADDING)
    if found is not None:
        return found[:1]
    return "valid" if re.search(_NO_PADDING, text) else (0,)


def read_layer(kind: str, text: str, global_text: str, cs231n: bool) -> Layer:
    """One layer's numbers from its clause(s) (`global_text` for settings stated once, like "no bias")."""
    bias = not _NO_BIAS.search(global_text)
    if kind in ("conv", "tconv", "depthwise", "separable", "pool"):
        kernel, depth = _kernel(text)
        filters = first(text, *_FILTERS)
        if cs231n and filters is None:
            filters = first(text, rf"\bk\s*=\s*{N}")
        if not kernel and not cs231n:
            k = first(text, rf"\bk\s*=\s*{N}")
            kernel = (k[0], k[0]) if k else ()
        c_in = first(text, *_CHANNELS_IN)
        dilation = first(text, *_DILATION)
        return Layer(
            kind,
            units=None if kind == "pool" or filters is None else filters[0],
            kernel=kernel,
            stride=_tuple(first(text, *_STRIDE)),
            padding=_padding(text),
            dilation=dilation[0] if dilation else 1,
            bias=bias,
            in_units=c_in[0] if c_in else depth,
        )
    if kind in ("dense", "rnn", "lstm", "gru"):
        units = first(text, *_UNITS)
        inputs = first(text, *_INPUTS)
        arrow = re.search(
            rf"(?:from\s+)?{N}\s*(?:(?:input\s+)?(?:neurons|units|nodes|inputs|features)\s+)?(?:→|->|to)\s*"
            rf"(?:a\s+layer\s+of\s+)?{N}\b",
            text,
        )
        if arrow is not None and kind == "dense" and (units is None or inputs is None):
            inputs, units = (int(arrow.group(1)),), (int(arrow.group(2)),)
        stacked = first(
            text,
            rf"num_layers\s*=\s*{N}",
            rf"{N}[\s-]layers?\s+(?:stacked\s+)?(?:lstm|gru|rnn)",
            rf"{N}\s+stacked",
            rf"stack(?:ed|ing)?\s+(?:of\s+)?{N}",
            rf"stacked\s+(?:lstm|gru|rnn)s?\s+(?:with|of|has)\s+{N}\s+layers",
            rf"(?:with|of|has)\s+{N}\s+(?:stacked\s+|recurrent\s+)?layers",
        )
        return Layer(
            kind,
            units=units[0] if units else None,
            in_units=inputs[0] if inputs else None,
            bias=bias,
            layers=stacked[0] if stacked and kind != "dense" else 1,
            directions=2 if kind != "dense" and re.search(r"bi-?directional", text) else 1,
        )
    if kind == "embedding":
        vocab = first(
            text,
            rf"vocabular\w*\s*(?:of|size|with|has)?\s*(?:size\s*)?(?:of\s*)?{N}",
            rf"{N}\s+(?:words|tokens)",
        )
        dim = first(
            text,
            rf"(?:embeddings?|vectors?)\s*(?:of\s*)?(?:size|dim\w*)\s*(?:of|=)?\s*{N}",
            rf"{N}[\s-]dim(?:ensional)?\s+(?:embeddings?|vectors?)",
        )
        return Layer(kind, units=dim[0] if dim else None, in_units=vocab[0] if vocab else None, bias=False)
    if kind == "batchnorm":
        channels = first(text, rf"{N}\s+(?:channels|features)")
        return Layer(kind, units=channels[0] if channels else None)
    return Layer(kind)


# ---- the input and whole-network forms -----------------------------------------------------------------

_INPUT = (
    rf"(?:input|image|picture|volume|feature "
    rf"map|activation|tensor)s?\b[^.?\n\d]{{0,40}}?\(?\[?{N}{X}{N}(?:{X}{N})?",
    rf"\(?\[?{N}{X}{N}(?:{X}{N})?\]?\)?\s*(?:(?:rgb|gr[ae]y[\s-]?scale|colou?r|pixels?|input|training)\s+){{0,2}}"
    rf"(?:input|image|volume|feature map|picture|activation)",
    rf"\bw\s*[=:]\s*{N}",
    rf"\bw_?1\s*[=:]\s*{N}",
    rf"(?:h\s*=\s*)?\bw\s*=\s*h\s*=\s*{N}",
    rf"\bi\s*=\s*{N}",
    rf"\bn\s*=\s*{N}",
    rf"input(?:[\s_](?:size|width|length|dimension))\s*(?:of|=|:|is)?\s*{N}(?!\s*(?:×|channels))",
    rf"(?:sequence|signal|vector|series) of length\s+{N}",
    rf"\bsize\s+{N}\s+input",
)


def read_input(preamble: str, t: str, torch_layout: bool) -> Volume | None:
    """The network's input volume; None when the question gives no input size."""
    found = first(preamble, *_INPUT) or first(t, *_INPUT)
    if found is None:
        return None
    channels = first(
        t,
        rf"{N}\s+(?:input\s+)?channels",
        rf"\bd_?1\s*=\s*{N}",
        rf"depth\s+(?:of\s+)?{N}\s+input",
        rf"(?:c_?in|in_channels)\s*=\s*{N}",
        rf"input depth\s*(?:is|of|=|:)?\s*{N}",
        rf"\bd\s*=\s*{N}",
    )
    if re.search(r"\brgb\b|colou?r (?:image|input|picture)", t):
        default = 3
    elif re.search(r"gr[ae]y[\s-]?scale|monochrome|single[\s-]channel", t):
        default = 1
    else:
        default = channels[0] if channels else 0
    if len(found) == 3:
        channel_first = torch_layout or (found[0] <= 4 < found[2])
        if channel_first:
            return Volume((float(found[1]), float(found[2])), found[0])
        return Volume((float(found[0]), float(found[1])), found[2])
    if len(found) == 2:
        return Volume((float(found[0]), float(found[1])), default or None)
    one_d = re.search(r"1d|1-d|one[\s-]dimensional|sequence|signal|series|length", t)
    spatial = (float(found[0]),) if one_d else (float(found[0]), float(found[0]))
    return Volume(spatial, default or None)


def mlp_chain(t: str) -> tuple[int, ...] | None:
    """Layer widths of a dense network: "784-512-256-10", "[784, 512, 10]", or input/hidden/output layers."""
    if not re.search(
        r"mlp|perceptron|fully[\s-]connected|dense|feed[\s-]?forward|network|architecture|layers", t
    ):
        return None
    chain = re.search(rf"(?<![\d.×]){N}(?:\s*(?:-|–|→|->)\s*{N}){{2,}}(?!\d|\.\d|×)", t)
    if chain is not None:
        return tuple(int(v) for v in re.findall(r"\d+", chain.group(0)))
    listed = re.search(
        r"(?:sizes?|widths?|units|neurons|architecture|layers)\D{0,20}\[\s*(\d+(?:\s*,\s*\d+){2,})\s*\]", t
    )
    if listed is not None:
        return tuple(int(v) for v in re.findall(r"\d+", listed.group(1)))
    inputs = first(
        t,
        rf"input layer (?:of|with|has)\s+{N}",
        rf"{N}\s+(?:input (?:units|neurons|nodes|features)|inputs)",
        rf"input (?:size|dimension)\s*(?:of|=|:|is)?\s*{N}",
        rf"{N}[\s-]dim(?:ensional)? inputs?",
    )
    outputs = first(
        t,
        rf"output layer (?:of|with|has)\s+{N}",
        rf"{N}\s+(?:output (?:units|neurons|nodes)|outputs|classes)",
    )
    hidden = re.search(
        rf"{N}?\s*hidden layers? (?:of|with|each (?:of|with)|having)\s+((?:{N}(?:\s*,\s*|\s+and\s+)?)+)"
        rf"\s*(?:units|neurons|nodes)?(\s+each)?",
        t,
    )
    if inputs is None or outputs is None or hidden is None:
        return None
    widths = [int(v) for v in re.findall(r"\d+", hidden.group(2))]
    count = int(hidden.group(1)) if hidden.group(1) else len(widths)
    if len(widths) == 1 and count > 1:
        widths = widths * count
    return (inputs[0], *widths, outputs[0])
