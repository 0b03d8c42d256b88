"""Reading a gradient-clipping question: the gradient tensors and their names, the threshold, the mode."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.extract import Array, find_arrays
from solvers.numbers import NUMBER_PATTERN, find_numbers, format_number, parse_number
from solvers.optimizer_asked import asking_text
from solvers.optimizer_read import flat, read_gradients, shape_of
from solvers.optimizer_text import link, prepare, scalar_named

Vec = tuple[float, ...]

EXAMPLES = [
    "The gradient g = [3, 4] is clipped to a maximum L2 norm of 1. What is the clipped gradient?",
    "Clip each entry of g = [0.5, -2.0, 1.2] to the range [-1, 1].",
]


class Mode(StrEnum):
    NORM = "norm"  # each tensor rescaled by its own norm
    GLOBAL = "global norm"  # all tensors rescaled by one factor (clip_grad_norm_)
    VALUE = "value"  # each entry clamped to [−c, c]


@dataclass(frozen=True)
class Tensor:
    name: str  # as a part suffix: "1", "W", "b"
    values: Vec
    shape: tuple[int, ...]


@dataclass(frozen=True)
class ClipProblem:
    mode: Mode
    tensors: tuple[Tensor, ...]
    threshold: float
    norm_type: float  # 2, 1 or inf
    mode_stated: bool  # the question says per tensor or global in so many words
    asked: tuple[str, ...]
    lr: float | None = None  # an SGD step after clipping
    weights: Vec | None = None
    eps: float = 1e-6  # PyTorch adds it to the norm


_VALUE = re.compile(
    r"clip(?:ping)?[\s_-]*(?:by[\s_-]*)?value|\bby\s+value\b|clipvalue|clip_grad_value|clip_by_value|\bclamp|element[\s-]?wise|each\s+"
    r"(?:entry|element|component|coordinate)|\brange\b|interval|between\s+-",
    re.IGNORECASE,
)
_GLOBAL = re.compile(
    r"global[\s_-]*norm|clip_by_global_norm|total\s+norm|all\s+(?:the\s+)?(?:gradients|tensors|parameters)\s+"
    r"together|combined\s+norm|jointly|concatenat|as\s+one\s+vector|over\s+all\s+(?:parameters|tensors|layers)",
    re.IGNORECASE,
)
_PER_TENSOR = re.compile(
    r"(?:each|every)\s+(?:gradient|tensor|layer|parameter)\S*\s+(?:separately|independently|on\s+its\s+own)"
    r"|separately|independently|per[\s-](?:tensor|layer|parameter)|clip_by_norm\b",
    re.IGNORECASE,
)
_TORCH_GLOBAL = re.compile(r"clip_grad_norm_?", re.IGNORECASE)
_THRESHOLD = (
    r"max(?:imum)?[\s_-]*(?:l2[\s-]*)?norm|clip(?:ping)?[\s_-]*(?:norm|value|threshold)|threshold|max_value"
    r"|clip_value|clip[\s_-]*at|clipped\s+(?:at|to)(?:\s+(?:a\s+)?(?:max(?:imum)?\s+)?(?:l2\s+)?norm(?:\s+of)?)?"
    r"|to\s+(?:a\s+)?(?:max(?:imum)?\s+)?(?:l2\s+)?norm(?:\s+of)?"
    r"|clipnorm|clipvalue|norm\s+of\s+at\s+most|at\s+most|(?:a\s+)?max(?:imum)?\s+of|cap(?:ped)?(?:\s+at)?|limit(?:ed)?\s+to|τ|tau|(?-i:c)"
    r"|(?:does\s+not|doesn't|not\s+to|never|cannot|can't|not)\s+exceeds?|no\s+(?:larger|greater|more|bigger)\s+than"
    r"|by\s+(?:its\s+|the\s+)?(?:global\s+)?(?:l2[\s-]+)?norm(?:\s+(?:of|to|at))?"
)
# The threshold named by the rule it is written in: "if ||g|| > v then g ← g·v/||g||" names v.
_RULE_SYMBOL = re.compile(r"\|\|\s*\w*\s*\|\|(?:_\{?2\}?)?\s*(?:>|≥|>=)\s*([A-Za-zτθ])(?![\w(])")
_RANGE = re.compile(r"\[\s*-\s*(\d*\.?\d+)\s*,\s*\+?\s*(\d*\.?\d+)\s*\]|±\s*(\d*\.?\d+)")
_RANGE_BEFORE = re.compile(
    r"(?:\bto|range|interval|within|between|\bin|clamp\w*)(?:\s+the\s+range)?\s*$", re.I
)


def clip_ranges(text: str) -> list[re.Match[str]]:
    """`[-c, c]` or `±c` written as the clipping range (after "to", "range", "within"...), not a gradient."""
    return [m for m in _RANGE.finditer(text) if m.group(3) or _RANGE_BEFORE.search(text[: m.start()])]


_WEIGHTS = re.compile(r"weights?|param\w*|(?:^|\W)(?:w|θ|W)\s*(?:_?0)?\s*[=:]\s*$", re.IGNORECASE)
_LR = r"learning[\s_-]+rates?|lr|η|eta|step[\s_-]*sizes?"
_NAME_AT_END = re.compile(
    r"(?:∂\w*\s*/\s*∂\s*|∇_?\{?|grad(?:ient)?s?(?:_|\s+(?:of|for|w\.?r\.?t\.?)\s+(?:the\s+)?))"
    r"(?P<name>[A-Za-zθ]\w{0,8}(?:\s\d{1,2})?)\}?\s*(?:\w{1,2}\s*)?(?:\([^()]{0,10}\))?\s*(?:[=:]|is|are)?\s*$"
    r"|(?P<symbol>[A-Za-z]\w{0,6})\s*[=:|]\s*$",
    re.IGNORECASE,
)
_NORM_TYPE = re.compile(
    r"norm_type\s*=\s*(\d+|inf|float\(['\"]inf['\"]\))|\bl\s*_?(1|∞|inf)\b[\s-]*norm", re.I
)


_NORM_GIVEN = re.compile(
    rf"(?<!max )(?<!maximum )(?<!max_)\bnorm\s+(?:is\s+|of\s+|=\s*|equal\s+to\s+)?({NUMBER_PATTERN})(?![\w.])"
    r"(?!\s*(?:threshold|max))",
    re.IGNORECASE,
)


def _norm_type(text: str) -> float:
    match = _NORM_TYPE.search(text)
    if match is None:
        return 2.0
    token = (match.group(1) or match.group(2)).lower()
    return float("inf") if token.startswith(("inf", "∞", "float")) else float(token)


def _name(context: str, index: int) -> str:
    match = _NAME_AT_END.search(context.strip())
    if match is None:
        return str(index)
    raw = (match.group("name") or match.group("symbol") or "").strip()
    raw = re.sub(r"^(?:g|grad)_(?=[A-Za-z])", "", raw)
    raw = re.sub(r"\s+", "", raw).strip("_")  # `clip_grad_norm_= [3, 4]` names no tensor
    if not raw or raw.lower() in {"the", "gradient", "gradients", "is", "g", "norm", "max_norm", "value"}:
        return str(index)
    return raw


def _threshold(text: str, arrays: list[Array], mode: Mode) -> float | None:
    if mode is Mode.VALUE:
        for match in clip_ranges(text):
            low = float(match.group(1) or match.group(3))
            high = float(match.group(2) or match.group(3))
            if low == high:
                return high
            if re.search(r"(?:range|interval|within|to|between)\s*$", text[: match.start()], re.IGNORECASE):
                raise NotUnderstood("only symmetric clipping ranges [−c, c] are read")
    found = scalar_named(text, _THRESHOLD, arrays, link(r"(?-i:c)|τ"))
    rule = _RULE_SYMBOL.search(text)
    if found is None and rule is not None:
        symbol = re.escape(rule.group(1))
        found = scalar_named(text[rule.end() :], f"(?-i:{symbol})", arrays=[], between=link(symbol))
    return found


def _value(written: str) -> float:
    """A number matched by `NUMBER_PATTERN` ("0.5", "1/2", "5e-3")."""
    number = parse_number(written)
    if number is None:
        raise NotUnderstood(f"could not read the number {written!r}")
    return number.value


_SINGLE = re.compile(rf"\[\s*({NUMBER_PATTERN})\s*\]")


def _with_singletons(text: str, arrays: list[Array]) -> list[Array]:
    """`g2 = [12]`: one-entry vectors, which the shared finder leaves out."""
    taken = [(a.start, a.end) for a in arrays]
    extra = [
        Array([_value(m.group(1))], m.start(), m.end(), text[max(0, m.start() - 60) : m.start()].lower())
        for m in _SINGLE.finditer(text)
        if not any(s <= m.start() < e for s, e in taken)
    ]
    return sorted([*arrays, *extra], key=lambda a: a.start)


def _tensors(text: str, arrays: list[Array]) -> tuple[list[Tensor], Vec | None]:
    gradients: list[Tensor] = []
    arrays = _with_singletons(text, arrays)
    weights: Vec | None = None
    ranges = {m.start() for m in clip_ranges(text)}
    for array in arrays:
        if array.start in ranges:
            continue
        if _WEIGHTS.search(array.context[-20:]) and not re.search(r"grad|∇|∂", array.context[-20:], re.I):
            weights = flat(array.values)
            continue
        context = text[max(0, array.start - 60) : array.start]  # as written: `W` and `w` are different names
        gradients.append(
            Tensor(_name(context, len(gradients) + 1), flat(array.values), shape_of(array.values))
        )
    if not gradients:
        found, _ = read_gradients(text, arrays)
        norm_only = _NORM_GIVEN.search(text)
        if found and isinstance(found[0], float):
            gradients.append(Tensor("1", (found[0],), ()))
        elif norm_only is not None:  # only the norm is given: a one-entry stand-in has that norm
            gradients.append(Tensor("1", (_value(norm_only.group(1)),), ()))
    names = [t.name for t in gradients]
    if len(set(names)) != len(names):
        gradients = [replace(t, name=str(i + 1)) for i, t in enumerate(gradients)]
    return gradients, weights


_ASKED: tuple[tuple[str, str], ...] = (
    ("global_norm", r"global\s+norm|total\s+norm|combined\s+norm|return(?:ed|s)?\b"),
    ("clipped_norm", r"norm\s+(?:after|of\s+the\s+clipped)|clipped\s+(?:gradient'?s?\s+)?norm|new\s+norm"),
    (
        "norm",
        r"\|\|\s*\w+\s*\|\|(?:_\{?2\}?)?(?!\s*[≤<>=])|(?<!max )(?<!maximum )(?<!clipped "
        r")\b(?:l2\s+|euclidean\s+|original\s+)?norm\b(?!\s+(?:of\s+)?(?:at\s+most|1|\d))"
        r"(?!\s+(?:after|of\s+the\s+clipped))",
    ),
    (
        "scale",
        r"scal(?:e|ing)\s*(?:factor|coefficient)?|clip(?:ping)?[\s_]*coef\w*|factor|multiplied\s+by|ratio",
    ),
    (
        "w",
        r"updated\s+(?:weights?|parameters?)|new\s+(?:weights?|parameters?)|after\s+the\s+(?:sgd\s+)?(?:update|step)",
    ),
    (
        "clipped",
        r"clipped|result|after\s+clipping|new\s+gradient|resulting|gradients?\s+(?:become|after)|what\s+is\s+g"
        r"|\bclip\b|rescaled",
    ),
)


def _asked(text: str, problem: ClipProblem) -> tuple[str, ...]:
    asking = asking_text(text)
    spots: list[tuple[int, int, str]] = []
    for name, pattern in _ASKED:
        match = re.search(pattern, asking, re.IGNORECASE)
        if match is not None:
            spots.append((match.start(), match.end(), name))
    names: list[str] = []
    claimed: list[tuple[int, int]] = []
    for start, end, name in sorted(spots, key=lambda s: s[0] - s[1]):
        if not any(start < e and s < end for s, e in claimed):
            claimed.append((start, end))
            names.append(name)
    order = {name: start for start, _, name in spots}
    names.sort(key=lambda n: order[n])
    several = len(problem.tensors) > 1
    out: list[str] = []
    for name in names:
        if name == "global_norm" and problem.mode is not Mode.GLOBAL:
            name = "norm"
        if name == "norm" and problem.mode is Mode.GLOBAL:
            name = "global_norm"
        if name == "w" and problem.weights is None:
            continue
        if name in ("norm", "clipped", "clipped_norm") and several:
            out += [
                f"{name}_{t.name}"
                for t in problem.tensors
                if not (name == "norm" and problem.mode is Mode.GLOBAL)
            ]
        elif name in ("norm", "clipped_norm", "scale") and problem.mode is Mode.VALUE:
            continue
        else:
            out.append(name)
    if not any(n.startswith("clipped") for n in out) and "w" not in out and not out:
        out = [f"clipped_{t.name}" for t in problem.tensors] if several else ["clipped"]
    if problem.weights is not None and problem.lr is not None and "w" not in out:
        out.append("w")
    return tuple(dict.fromkeys(out))


def read_problem(text: str) -> ClipProblem:
    text = prepare(text)
    if not find_numbers(text):
        raise NotUnderstood(
            "the question gives no numbers: clipping needs a gradient and a threshold", EXAMPLES
        )
    arrays = find_arrays(text)
    tensors, weights = _tensors(text, arrays)
    if not tensors:
        raise NotUnderstood("no gradient vector is given (g = [...])", EXAMPLES)
    by_value = bool(_VALUE.search(text)) and not re.search(
        r"clip(?:ping)?\s+by\s+(?:the\s+)?(?:global\s+)?norm", text, re.I
    )
    per_tensor, global_ = bool(_PER_TENSOR.search(text)), bool(_GLOBAL.search(text))
    if by_value:
        mode, stated = Mode.VALUE, True
    elif len(tensors) > 1:
        mode = Mode.NORM if per_tensor and not global_ else Mode.GLOBAL
        stated = per_tensor or global_ or bool(_TORCH_GLOBAL.search(text))
    else:
        mode, stated = Mode.NORM, True
    threshold = _threshold(text, arrays, mode)
    if threshold is None:
        raise NotUnderstood("the clipping threshold (max norm or clip value) is not given", EXAMPLES)
    if threshold <= 0:
        raise InvalidQuestion(f"the clipping threshold {format_number(threshold)} must be positive")
    lr = scalar_named(text, _LR, arrays, link(_LR)) if weights is not None else None
    if weights is not None and len(tensors) == 1 and len(weights) != len(tensors[0].values):
        raise InvalidQuestion(f"w has {len(weights)} entries but the gradient has {len(tensors[0].values)}")
    problem = ClipProblem(mode, tuple(tensors), threshold, _norm_type(text), stated, (), lr, weights)
    return replace(problem, asked=_asked(text, problem))


def is_clipping(text: str) -> bool:
    return bool(
        re.search(
            r"\bclip|\bclamp|clip_grad|max_norm|rescal\w*\s+so\s+that\s+its\s+norm", text, re.IGNORECASE
        )
    )
