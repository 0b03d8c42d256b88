"""Reading a gradient-shape question into a problem: what the text says (`read`), then every asked
shape worked out from it (`build`), or a refusal naming what is missing.

The finders live in `gradient_shape_functions`, `_declarations`, `_layer` and `_asked`; they work
on text tidied by `gradient_shape_text.prepare`. `solvers.gradient_shape` decides what it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from solvers.errors import NotUnderstood
from solvers.gradient_shape_asked import TargetRef, find_targets
from solvers.gradient_shape_declarations import Declaration, find_assignments, find_declarations
from solvers.gradient_shape_functions import Functions, find_functions
from solvers.gradient_shape_layer import Layer, find_layer, infer_layer
from solvers.gradient_shape_text import ROLES, Dims, Spans
from solvers.shapes import Dim


@dataclass(frozen=True)
class Reading:
    """What the question says, before any inference."""

    functions: Functions
    declarations: list[Declaration]
    layer: Layer | None
    targets: list[TargetRef]
    assignments: dict[str, int]  # `d = 784`
    jacobian: bool
    scalar_said: bool
    loss_said: bool


def read(text: str) -> Reading:
    """Everything a gradient-shape question states; `text` is the prepared text."""
    spans = Spans(len(text))
    functions = find_functions(text, spans)
    targets = find_targets(text, functions)
    asked = {t.variable for t in targets}
    functions.names |= {t.function for t in targets if t.function and t.function not in asked}
    layer = find_layer(text)
    if layer is not None:
        functions.names.discard(layer.output)
    return Reading(
        functions=functions,
        declarations=find_declarations(text, functions, spans),
        layer=layer,
        targets=targets,
        assignments=find_assignments(text),
        jacobian=bool(re.search(r"\bjacobian", text, re.IGNORECASE)),
        scalar_said=bool(re.search(r"\bscalar|\breal-valued", text, re.IGNORECASE)),
        loss_said=bool(re.search(r"\b(?:loss|cost|objective|error|risk)\b", text, re.IGNORECASE)),
    )


SCALAR_NAMES = frozenset({"L", "J", "ℓ", "E", "C"})


@dataclass(frozen=True)
class Target:
    """One asked derivative: of `function` (output shape `output`) with respect to `name`."""

    name: str
    function: str
    shape: Dims  # the variable's shape
    output: Dims  # the function's output shape; () for a scalar
    jacobian: bool
    role: str | None = None


@dataclass(frozen=True)
class GradientShapeProblem:
    targets: tuple[Target, ...]
    variables: tuple[tuple[str, Dims], ...]  # every shape known, declared or inferred
    inferred: tuple[str, ...]  # names whose shape came from the layer equation
    layer: Layer | None = None
    batch: Dim | None = None  # the batch dimension of a batched layer
    substitutions: tuple[tuple[str, int], ...] = ()  # `d = 784`: symbols the question gives numbers for
    scalar_assumed: bool = False

    @property
    def shapes(self) -> dict[str, Dims]:
        return dict(self.variables)


def _roles_by_name(names: list[str]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for role, pattern in (
        ("weight", r"^(?:[Ww]|θ|Θ)"),
        ("bias", r"^b"),
        ("input", r"^[Xx]"),
        ("output", r"^[Yy]"),
    ):
        found = next((n for n in names if re.match(pattern, n)), None)
        if found:
            roles[role] = found
    return roles


def _resolve(name: str, roles: dict[str, str]) -> list[str]:
    if name == "parameters":
        return [roles[r] for r in ("weight", "bias") if r in roles]
    if name in ROLES:
        return [roles[name]] if name in roles else []
    return [name]


def _default_function(reading: Reading) -> str:
    named = sorted(reading.functions.names & SCALAR_NAMES) or sorted(reading.functions.names)
    if named:
        return named[0]
    return "L" if reading.loss_said else "f"


def _output(reading: Reading, function: str, shapes: dict[str, Dims]) -> tuple[Dims, bool]:
    """The function's output shape, and whether scalar was assumed for want of any word on it."""
    if function in reading.functions.outputs:
        return reading.functions.outputs[function], False
    mapping = reading.functions.mapping_for(function)
    if mapping is not None:
        return mapping.outputs, False
    if function in shapes:
        return shapes[function], False
    value = reading.functions.values.get(function)
    if value is not None and value in shapes:
        return shapes[value], False
    said = reading.scalar_said or reading.loss_said or function in SCALAR_NAMES
    return (), not said


def _target_names(reading: Reading, shapes: dict[str, Dims]) -> list[TargetRef]:
    refs = list(reading.targets)
    if refs:
        return refs
    mapping = reading.functions.mappings[0] if reading.functions.mappings else None
    notation = "jacobian" if reading.jacobian else "gradient"
    if mapping is not None:
        return [TargetRef("", mapping.function, notation, 0)]
    args = [(f, a) for f, a in reading.functions.args.items() if a in shapes and f not in shapes]
    if len(args) == 1:
        return [TargetRef(args[0][1], args[0][0], notation, 0)]
    if len(reading.declarations) == 1 and reading.layer is None and not reading.functions.mappings:
        return [TargetRef(reading.declarations[0].name, None, "gradient", 0)]
    raise NotUnderstood(
        "no variable to differentiate with respect to: name it, e.g. "
        "'the gradient of L with respect to W' or '∂L/∂W'",
        ["What is the shape of ∂L/∂W if W ∈ R^{3×4}?"],
    )


def _variable_shape(
    reading: Reading, name: str, function: str, shapes: dict[str, Dims], layer: Layer | None
) -> tuple[str, Dims]:
    if name in shapes:
        return name, shapes[name]
    functions = reading.functions
    mapping = functions.mapping_for(function)
    argument = functions.args.get(function)
    if mapping is None and name:  # x, the argument of f: R^n → R^m, is in R^n
        owner = next((f for f, a in functions.args.items() if a == name and functions.mapping_for(f)), None)
        mapping, argument = (functions.mapping_for(owner), name) if owner else (None, argument)
    if mapping is not None and (not name or name == argument or argument is None):
        return name or argument or ("x" if len(mapping.inputs) < 2 else "X"), mapping.inputs
    if not name:
        raise NotUnderstood(
            f"the input and output sizes of {function} are not given: "
            f"state them, e.g. '{function}: R^n → R^m'"
        )
    where = f" and cannot be inferred from {layer.text}" if layer else ""
    raise NotUnderstood(
        f"the shape of {name} is not given{where}: state it, e.g. '{name} ∈ R^(n×m)' or "
        f"'{name} is a 3 × 4 matrix'",
        [f"Let {name} ∈ R^(n×m). What is the shape of the gradient of L with respect to {name}?"],
    )


def _substitutions(reading: Reading, targets: list[Target], batch: Dim | None) -> tuple[tuple[str, int], ...]:
    used = {d for t in targets for d in (*t.shape, *t.output, batch) if isinstance(d, str)}
    return tuple((s, v) for s, v in reading.assignments.items() if s in used)


def _shapes(reading: Reading) -> tuple[dict[str, Dims], tuple[str, ...], Dim | None, dict[str, str]]:
    """Every variable's shape (declared, or inferred from the layer equation), the inferred names,
    the batch dimension and the roles → names."""
    declared: dict[str, Dims] = {}
    role_shapes: dict[str, Dims] = {}
    for declaration in reading.declarations:
        bucket = role_shapes if declaration.name in ROLES else declared
        bucket.setdefault(declaration.name, declaration.dims)
    layer = reading.layer
    if layer is None:
        roles = _roles_by_name(list(declared))
        for role, dims in role_shapes.items():
            declared.setdefault(role, dims)
            roles.setdefault(role, role)
        return declared, (), None, roles
    _, _, layer_roles = infer_layer(layer, declared)
    for role, dims in role_shapes.items():
        if role in layer_roles:
            declared.setdefault(layer_roles[role], dims)
    inferred_shapes, batch, roles = infer_layer(layer, declared)
    inferred = tuple(n for n in inferred_shapes if n not in declared)
    return {**declared, **inferred_shapes}, inferred, batch, roles


def _target(reading: Reading, ref: TargetRef, name: str, shapes: dict[str, Dims]) -> tuple[Target, bool]:
    function = ref.function or _default_function(reading)
    output, assumed = _output(reading, function, shapes)
    var, dims = _variable_shape(reading, name, function, shapes, reading.layer)
    if output and ref.notation in ("gradient", "nabla") and not reading.jacobian:
        raise NotUnderstood(
            f"{function} is not a scalar: it has {' × '.join(map(str, output))} outputs, so its derivative "
            f"with respect to {var} is a Jacobian, not a gradient; ask for the Jacobian of {function}"
        )
    if ref.notation == "jacobian" and assumed:
        raise NotUnderstood(
            f"the output size of {function} is not given: state it, e.g. '{function}: R^n → R^m' or "
            f"'{function}({var or 'x'}) ∈ R^m'"
        )
    return Target(var, function, dims, output, bool(output) or ref.notation == "jacobian"), assumed


def build(reading: Reading) -> GradientShapeProblem:
    """Work out every asked shape from what the question says, or say what is missing."""
    shapes, inferred, batch, roles = _shapes(reading)
    targets: list[Target] = []
    scalar_assumed = False
    for ref in _target_names(reading, shapes):
        names = _resolve(ref.variable, roles)
        if not names:
            raise NotUnderstood(f"the question asks about the {ref.variable} but names no variable for it")
        for name in names:
            target, assumed = _target(reading, ref, name, shapes)
            scalar_assumed |= assumed
            role = next((r for r, n in roles.items() if n == target.name), None)
            if all(t.name != target.name for t in targets):
                targets.append(replace(target, role=role))
    return GradientShapeProblem(
        targets=tuple(targets),
        variables=tuple(shapes.items()),
        inferred=inferred,
        layer=reading.layer,
        batch=batch,
        substitutions=_substitutions(reading, targets, batch),
        scalar_assumed=scalar_assumed,
    )
