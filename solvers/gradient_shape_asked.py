"""What a gradient-shape question asks for: `∂L/∂W`, `dL/dW`, `∇_W L`, `∇f(x)`, "the gradients of
the loss with respect to W, b and x", "the gradients of the weights and the bias", "the Jacobian of f"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.gradient_shape_functions import Functions
from solvers.gradient_shape_text import NAME, NAME_AT, PROSE_STOP, ROLES, canonical_name, names_in


@dataclass(frozen=True)
class TargetRef:
    variable: str  # a name, a role ("weight", "parameters"), or "" for the argument of a mapping
    function: str | None
    notation: str  # "partial", "nabla", "gradient", "jacobian"
    start: int


_PARTIAL = re.compile(
    rf"(?:∂\s*({NAME})\s*/\s*∂\s*({NAME})|(?<![A-Za-z])d\s*({NAME})\s*/\s*d\s*({NAME}))(?![A-Za-z0-9_])"
)
_NABLA_SUB = re.compile(rf"∇\s*_\s*({NAME})(?:\s*({NAME})(?![A-Za-z0-9_]))?")
_NABLA_CALL = re.compile(rf"∇\s*({NAME})\s*\(\s*({NAME})\s*\)")
_ITEM = re.compile(
    rf"\s*(?:(?:the|its|their|each\s+of(?:\s+the)?|all)\s+)?"
    rf"(?:(?P<role>weights?|weight\s+matri(?:x|ces)|weight\s+vectors?|bias(?:es)?(?:\s+vectors?|\s+terms?)?"
    rf"|inputs?(?:\s+vectors?|\s+matri(?:x|ces))?|outputs?|parameters|params)\b\s*)?"
    rf"(?:(?P<name>{NAME})(?![A-Za-z0-9_(]))?",
    re.IGNORECASE,
)
_ITEM_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+|&\s*|/\s*)")
_WRT = re.compile(
    r"\b(?P<word>gradients?|derivatives?|jacobian(?:\s+matri(?:x|ces))?|jacobians)\b"
    r"(?:\s+(?:of|for)\s+(?P<of>[^.?;:]{0,80}?))?\s*,?\s+with\s+respect\s+to\b",
    re.IGNORECASE,
)
_OF_LIST = re.compile(r"\b(?P<word>gradients?|derivatives?)\s+(?:of|for|on)\b", re.IGNORECASE)
_JACOBIAN_OF = re.compile(
    rf"\bjacobian(?:\s+matrix)?\s+(?:of\s+)?(?:(?:the|an?|its)\s+)?(?:(?:vector-valued|scalar|real-valued)\s+)?"
    rf"(?:function\s+|map(?:ping)?\s+)?{NAME_AT}",
    re.IGNORECASE,
)
_LOSSES = {"L", "J", "ℓ", "f", "E", "C"}
_ENTRY = re.compile(r"^([A-Za-z])_[ijkl]$")  # `f_i`, `x_j`: an entry, named by an index
# cs231n's names for gradients: "the shapes of dW, db and dx"; PyTorch's `weight.grad`
# "what shapes do dL/dW ...": the verb "do" is never a gradient's name
_D_NAME = r"(?!do\b)d(?:[A-Zθ](?:_?\w{1,2})?|[a-z](?:_?\d)?)(?![A-Za-z])(?!\s*/)"
D_TARGETS = re.compile(
    rf"\b(?:shapes?|dimensions?|sizes?)\s+(?:of|is|are|does|do|will|has|have)?\s*(?:the\s+)?(?:gradients?\s+)?"
    rf"(?P<list>{_D_NAME}(?:\s*(?:,\s*(?:and\s+)?|\band\s+){_D_NAME})*)"
)
DOT_GRAD = re.compile(r"(?<![\w.])(?P<name>[A-Za-zθ]\w{0,10})\.grad\b")


def _role(word: str) -> str:
    word = word.lower()
    for role in ROLES:
        if word.startswith(role[:5]) or (role == "parameters" and word.startswith("param")):
            return role
    return word


def _items(text: str, start: int) -> list[tuple[str, int]]:
    """`W, b and x`, `the weights and the bias`: names or roles, from `start` on."""
    found: list[tuple[str, int]] = []
    position = start
    while True:
        match = _ITEM.match(text, position)
        if match is None or not (match.group("role") or match.group("name")):
            break
        name = match.group("name")
        if name and name not in PROSE_STOP:
            found.append((canonical_name(name), match.start("name")))
        elif match.group("role"):
            found.append((_role(match.group("role")), match.start("role")))
        else:
            break
        separator = _ITEM_SEP.match(text, match.end())
        if separator is None:
            break
        position = separator.end()
    return found


def _function_in(phrase: str | None) -> str | None:
    if not phrase:
        return None
    names = [n for n, _ in names_in(phrase, 0, len(phrase), calls=True)]
    if names:
        return names[0]
    if re.search(r"\bloss\b|\berror\b|\brisk\b", phrase, re.IGNORECASE):
        return "L"
    if re.search(r"\bcost\b|\bobjective\b", phrase, re.IGNORECASE):
        return "J"
    return None


def find_targets(text: str, functions: Functions) -> list[TargetRef]:
    """Every variable (or role) a derivative is asked with respect to, once each, in text order;
    a named function is never a target."""
    refs: list[TargetRef] = []
    for match in _PARTIAL.finditer(text):
        fn, var = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        fn, var = canonical_name(fn), canonical_name(var)
        entry = _ENTRY.match(fn), _ENTRY.match(var)
        if entry[0] and entry[1] and functions.mapping_for(entry[0].group(1)) is not None:
            fn, var = entry[0].group(1), entry[1].group(1)  # J_ij = ∂f_i/∂x_j: an entry of the Jacobian of f
        refs.append(TargetRef(var, fn, "partial", match.start()))
    for match in _NABLA_SUB.finditer(text):
        fn = match.group(2)
        fn = canonical_name(fn) if fn and fn not in PROSE_STOP else None
        refs.append(TargetRef(canonical_name(match.group(1)), fn, "nabla", match.start()))
    for match in _NABLA_CALL.finditer(text):
        fn = canonical_name(match.group(1))
        refs.append(TargetRef(canonical_name(match.group(2)), fn, "nabla", match.start()))
    for match in D_TARGETS.finditer(text):
        for d_name in re.finditer(_D_NAME, match.group("list")):
            at = match.start("list") + d_name.start()
            refs.append(TargetRef(canonical_name(d_name.group(0)[1:]), None, "gradient", at))
    for match in DOT_GRAD.finditer(text):
        name = match.group("name")
        refs.append(
            TargetRef(
                _role(name) if name.lower() in ("weight", "bias") else name, None, "gradient", match.start()
            )
        )
    for match in _WRT.finditer(text):
        notation = "jacobian" if match.group("word").lower().startswith("jacobian") else "gradient"
        fn = _function_in(match.group("of"))
        for item, at in _items(text, match.end()):
            refs.append(TargetRef(item, fn, notation, at))
    if not refs:
        for match in _OF_LIST.finditer(text):
            items = [(n, at) for n, at in _items(text, match.end()) if n not in functions.names | _LOSSES]
            refs.extend(TargetRef(n, None, "gradient", at) for n, at in items)
    if not refs:
        for match in _JACOBIAN_OF.finditer(text):
            fn = canonical_name(match.group(1))
            refs.append(TargetRef(functions.args.get(fn) or "", fn, "jacobian", match.start()))
    targets: list[TargetRef] = []
    for ref in sorted(refs, key=lambda r: r.start):
        if ref.variable not in functions.names and all(t.variable != ref.variable for t in targets):
            targets.append(ref)
    return targets
