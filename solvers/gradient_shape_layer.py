"""The layer equation `out = op(left) op(right) + bias` (`y = Wx + b`, `Y = XW^T + b`, `h = σ(W_1 x + b_1)`)
and the shapes it implies: inner dimensions of a product agree, the bias has the shape of one output row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.gradient_shape_text import NAME, Dims, canonical_name
from solvers.shapes import Dim

WEIGHT_LIKE = re.compile(r"^(?:[Ww]|θ|Θ)")
_DATA_LIKE = re.compile(r"^[XxHhA]")


@dataclass(frozen=True)
class Layer:
    output: str
    left: str
    left_t: bool
    right: str
    right_t: bool
    bias: str | None
    text: str


_OUTPUT_AT = rf"(?<![A-Za-z0-9_\\^'∂])({NAME}|out|scores|logits)(?![A-Za-z0-9_'])"  # `out = x.dot(W) + b`
_LAYER = re.compile(
    rf"{_OUTPUT_AT}(?:\s*\(\s*{NAME}\s*\))?\s*=\s*(?:(?:[A-Za-z]+|σ)\s*\(\s*)?({NAME})(\^T)?\s*(?:·|\*|@|×)?\s*({NAME})(\^T)?"
    rf"(?:\s*\+\s*({NAME}))?(?![A-Za-z0-9_(])(?!\s*{NAME}(?![A-Za-z0-9_]))(?!\.[A-Za-z])"  # not `np.random`
)


def find_layer(text: str) -> Layer | None:
    for match in _LAYER.finditer(text):
        out, left, right = (canonical_name(match.group(i)) for i in (1, 2, 4))
        if len({out, left, right}) < 3:
            continue
        bias = canonical_name(match.group(6)) if match.group(6) else None
        return Layer(out, left, bool(match.group(3)), right, bool(match.group(5)), bias, match.group(0))
    return None


class _Unify:
    """Dimension slots made equal by a product; a slot may carry a known value."""

    def __init__(self, layer: Layer) -> None:
        self.parent: list[int] = []
        self.value: dict[int, Dim] = {}
        self.layer = layer

    def new(self, count: int) -> list[int]:
        start = len(self.parent)
        self.parent.extend(range(start, start + count))
        return list(range(start, start + count))

    def find(self, slot: int) -> int:
        while self.parent[slot] != slot:
            slot = self.parent[slot]
        return slot

    def _conflict(self, first: Dim, second: Dim) -> InvalidQuestion:
        return InvalidQuestion(
            f"the shapes do not fit {self.layer.text}: a dimension is both {first} and {second}"
        )

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a == b:
            return
        if a in self.value and b in self.value and self.value[a] != self.value[b]:
            raise self._conflict(self.value[a], self.value[b])
        self.parent[b] = a
        if b in self.value:
            self.value.setdefault(a, self.value.pop(b))

    def set(self, slot: int, dim: Dim) -> None:
        root = self.find(slot)
        if root in self.value and self.value[root] != dim:
            raise self._conflict(self.value[root], dim)
        self.value[root] = dim

    def get(self, slot: int) -> Dim | None:
        return self.value.get(self.find(slot))


def _rank(name: str, declared: dict[str, Dims]) -> int:
    if name in declared:
        return len(declared[name])
    return 1 if name[:1].islower() else 2


@dataclass(frozen=True)
class _LayerSlots:
    left: list[int]
    right: list[int]
    output: list[int]
    bias: list[int]
    batch: int | None
    data_left: bool


def _layer_slots(layer: Layer, declared: dict[str, Dims], unify: _Unify) -> _LayerSlots:
    ranks = (_rank(layer.left, declared), _rank(layer.right, declared))
    if max(ranks) > 2 or min(ranks) < 1:
        raise NotUnderstood(f"only vectors and matrices are read in {layer.text}")
    left, right = unify.new(ranks[0]), unify.new(ranks[1])
    a = left[::-1] if layer.left_t and ranks[0] == 2 else left
    b = right[::-1] if layer.right_t and ranks[1] == 2 else right
    data_left = bool(WEIGHT_LIKE.match(layer.right) or _DATA_LIKE.match(layer.left))
    batch = None
    if ranks == (2, 2):
        unify.union(a[1], b[0])
        output, bias = [a[0], b[1]], [b[1]] if data_left else [a[0]]
        batch = a[0] if data_left else b[1]
    elif ranks == (2, 1):
        unify.union(a[1], b[0])
        output, bias = [a[0]], [a[0]]
    elif ranks == (1, 2):
        unify.union(a[0], b[0])
        output, bias = [b[1]], [b[1]]
    else:
        unify.union(a[0], b[0])
        output, bias = [], []
    return _LayerSlots(left, right, output, bias, batch, data_left)


def _fit(unify: _Unify, slots: list[int], dims: Dims, name: str, layer: Layer) -> None:
    """Put a declared shape on a variable's slots (a bias given as 1 × k or k × 1 fits k)."""
    if len(dims) != len(slots):
        squeezed = tuple(d for d in dims if d != 1)
        if len(squeezed) != len(slots):
            raise InvalidQuestion(f"{name} has shape {dims}, which does not fit {layer.text}")
        dims = squeezed
    for slot, dim in zip(slots, dims, strict=True):
        unify.set(slot, dim)


def infer_layer(
    layer: Layer, declared: dict[str, Dims]
) -> tuple[dict[str, Dims], Dim | None, dict[str, str]]:
    """Shapes of every variable in the layer equation that can be worked out, the batch
    dimension (None when not batched) and the roles (weight, input, bias, output) → names."""
    unify = _Unify(layer)
    slots = _layer_slots(layer, declared, unify)
    names = {layer.left: slots.left, layer.right: slots.right, layer.output: slots.output}
    if layer.bias:
        names[layer.bias] = slots.bias
    for name, name_slots in names.items():
        if name in declared:
            given = declared[name]
            if name == layer.output and slots.batch is not None and len(given) == len(name_slots) - 1:
                rows = unify.find(slots.batch)  # "producing 32 units" for a batch: the size of one row
                name_slots = [slot for slot in name_slots if unify.find(slot) != rows]
            _fit(unify, name_slots, given, name, layer)
    shapes: dict[str, Dims] = {}
    for name, name_slots in names.items():
        dims = [unify.get(slot) for slot in name_slots]
        if all(d is not None for d in dims):
            shapes[name] = declared.get(name, tuple(d for d in dims if d is not None))
    weight, data = (layer.right, layer.left) if slots.data_left else (layer.left, layer.right)
    if _rank(layer.left, declared) == 1 and _rank(layer.right, declared) == 2:
        weight, data = layer.right, layer.left
    roles = {"weight": weight, "input": data, "output": layer.output}
    if layer.bias:
        roles["bias"] = layer.bias
    batch = unify.get(slots.batch) if slots.batch is not None else None
    return shapes, batch, roles
