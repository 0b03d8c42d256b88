"""What a gradient-shape question says about its functions: `scalar function f`, `f(X)`,
`f(x) ∈ R^m`, `f(x) = y`, `f: R^n → R^m` and "maps R^3 to R^2"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from solvers.gradient_shape_text import (
    DIM,
    NAME,
    NAME_AT,
    PROSE_STOP,
    REAL,
    Dims,
    Spans,
    canonical_name,
    clause_start,
    names_in,
    read_dim,
    real_dims,
)


@dataclass(frozen=True)
class Mapping:
    """`f: R^n → R^m`, "maps R^3 to R^2"."""

    function: str | None
    inputs: Dims
    outputs: Dims


@dataclass
class Functions:
    names: set[str] = field(default_factory=set)
    outputs: dict[str, Dims] = field(default_factory=dict)  # f(x) ∈ R^m
    args: dict[str, str] = field(default_factory=dict)  # f(X): X
    values: dict[str, str] = field(default_factory=dict)  # f(x) = y: f's output is y
    mappings: list[Mapping] = field(default_factory=list)

    def mapping_for(self, function: str) -> Mapping | None:
        """The mapping naming `function`, else one naming no function."""
        exact = [m for m in self.mappings if m.function == function]
        loose = [m for m in self.mappings if m.function is None]
        found = exact or loose
        return found[0] if found else None


_FUNCTION_WORDS = r"function|loss|cost|objective|criterion|error|risk"
_FUNCTION_NAMED = re.compile(
    rf"(?:\b(?:{_FUNCTION_WORDS}|scalar|real-valued|scalar-valued|vector-valued)\s+(?:function\s+)?){NAME_AT}",
    re.IGNORECASE,
)
_CALL = re.compile(rf"{NAME_AT}\s*\(\s*({NAME})\s*(?:[,;][^()]*)?\)")
_CALL_IN = re.compile(rf"{NAME_AT}\s*\(\s*({NAME})\s*\)\s*∈\s*{REAL}")
_VALUE = re.compile(
    rf"{NAME_AT}\s*=\s*({NAME})\s*\(\s*{NAME}\s*\)(?!\s*[-+*/^·])"
    rf"|(?<![A-Za-z0-9_\\^'∂])({NAME})\s*\(\s*{NAME}\s*\)\s*=\s*({NAME})(?![A-Za-z0-9_(])(?!\s*[-+*/^·(A-Za-z])"
)
_MAP_SYMBOL = re.compile(rf"(?:{NAME_AT}\s*:\s*)?{REAL}\s*→\s*{REAL}")
_MAP_WORDS = re.compile(
    rf"\b(?:maps?|mapping|from|takes)\s+(?:inputs?\s+(?:in|from)\s+)?{REAL}\s+(?:to|into|onto|→)\s+"
    rf"(?:outputs?\s+in\s+)?{REAL}",
    re.IGNORECASE,
)


# A function that keeps the size of its input: "the softmax of a vector of 10 logits", "a sigmoid applied
# to a 5-dimensional input" maps R^n → R^n.
_SAME_SIZE = re.compile(
    rf"\b(?:softmax|sigmoid|tanh|relu|element-?wise\s+\w+)\b(?:\s+(?:function|activation|layer))?[^.?;]{{0,30}}?"
    rf"\b(?:to|on|of|over)\s+(?:an?\s+|the\s+)?(?:(?:vector|input|array)\s+of\s+)?({DIM})\s*"
    r"(?:-?\s*dim(?:ensional)?\s+(?:vector|input)s?|logits|entries|elements|components|values|inputs|classes|scores)\b",
    re.IGNORECASE,
)


def find_functions(text: str, spans: Spans) -> Functions:
    """Every function the text names, with what it says of each; mappings are added to `spans`."""
    found = Functions()
    for match in _FUNCTION_NAMED.finditer(text):
        found.names.add(canonical_name(match.group(1)))
    for match in _CALL_IN.finditer(text):
        name = canonical_name(match.group(1))
        dims = real_dims(match, 3)
        if dims is not None:
            found.names.add(name)
            found.outputs[name] = dims
            found.args[name] = canonical_name(match.group(2))
            spans.add(match.start(), match.end())
    for match in _CALL.finditer(text):
        name = canonical_name(match.group(1))
        if name not in PROSE_STOP:
            found.names.add(name)
            found.args.setdefault(name, canonical_name(match.group(2)))
    for match in _VALUE.finditer(text):
        function = canonical_name(match.group(2) or match.group(3))
        value = canonical_name(match.group(4) or match.group(1))
        found.values[function] = value
    for match in _MAP_SYMBOL.finditer(text):
        ins, outs = real_dims(match, 2), real_dims(match, 5)
        if ins is not None and outs is not None:
            named = canonical_name(match.group(1)) if match.group(1) else None
            if named:
                found.names.add(named)
            found.mappings.append(Mapping(named, ins, outs))
            spans.add(match.start(), match.end())
    for match in _SAME_SIZE.finditer(text):  # only for its Jacobian: "the loss of a softmax" stays scalar
        jacobian = re.search(r"\bjacobian", text, re.IGNORECASE)
        if jacobian and not found.mappings and spans.free(match.start(), match.end()):
            size = read_dim(match.group(1))
            found.mappings.append(Mapping(None, (size,), (size,)))
            spans.add(match.start(), match.end())
    for match in _MAP_WORDS.finditer(text):
        ins, outs = real_dims(match, 1), real_dims(match, 4)
        if ins is not None and outs is not None and spans.free(match.start(), match.end()):
            before = [n for n, _ in names_in(text, clause_start(text, match.start()), match.start())]
            mapped = next((n for n in reversed(before) if n in found.names), None)
            found.mappings.append(Mapping(mapped, ins, outs))
            spans.add(match.start(), match.end())
    return found
