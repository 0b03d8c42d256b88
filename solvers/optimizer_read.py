"""Reading an optimizer question into an `OptimizerProblem`: numbers, gradients, defaults, conventions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.extract import Array, find_arrays
from solvers.limits import MAX_ENTRIES
from solvers.numbers import NUMBER_PATTERN, parse_number
from solvers.optimizer_method import read_method
from solvers.optimizer_problem import Method, Vec
from solvers.optimizer_text import Found, Value, find_named, link

PARAM = r"w|θ|theta|x|W|Θ|p"
_INDEXED = rf"(?:{PARAM})(?:_?\{{?(?:\d{{1,2}}|t-1|t|old|\(0\))\}}?|\^\{{?\(\d\)\}}?|0)?"
_START = (
    r"(?:initial|starting|current|old|present)\s+(?:weights?|parameters?|values?|points?|guess|position|iterate)"
    r"(?:\s+vectors?)?|(?:start(?:s|ing)?|initiali[sz]ed|begin(?:ning|s)?)\s+(?:at|from|with)(?:\s+the\s+point)?"
    r"|(?:the\s+)?point|weights?(?:\s+vector)?|parameters?(?:\s+vector)?|"
    r"\(\s*[A-Za-zθ]\w*\s*(?:,\s*[A-Za-zθ]\w*\s*)+\)|" + _INDEXED
)
_GRADIENT_NAME = (
    r"(?:(?:stochastic|mini-?batch|computed|observed|current|loss|given)\s+)?gradients?|grad"
    r"|∇_?\{?\w{0,3}\}?\s*[A-Za-zℓ]{0,2}(?:\([^()]{0,12}\))?|d[A-Za-zℓ]\w{0,3}\s*/\s*d\w{1,4}"
    r"|∂[A-Za-zℓ]\w{0,3}\s*/\s*∂\w{1,4}|(?-i:g)(?:_?\{?(?:t|\d{1,2})\}?)?|d(?-i:W|w|θ|x)"
)
_STOP = r"descent|ascent|learning|rate\b|momentum|clip|norm|decay|penalty|beta|β|size"
_GRADIENT = re.compile(
    rf"(?<![\w])(?:{_GRADIENT_NAME})(?![\w])(?:(?P<gap>(?:(?!{_STOP})[^\d\[\]=:;.?]){{0,60}}?)"
    r"(?P<link>(?<=loss\s)|(?<=objective\s)|=|:|\||\bis\b|\bof\b|(?<=constant\s)at\b|(?<=fixed\s)at\b"
    r"|\bequals?\b|\bare\b|\bbe\b)|(?=\s))\s*(?=[-+]?\.?\d|\[|\(|\\begin)",
    re.IGNORECASE,
)
_INDEXED_GRADIENT = re.compile(
    r"(?<![\w])(?:g|grad|gradient|∇\S{0,8}?)\s*_?\{?\(?(?P<i>\d{1,2})\)?\}?\s*(?:=|:|\||\bis\b)\s*",
    re.IGNORECASE,
)
# "the gradient at step 1 is [0.5, 1]" / "at step 2 it is 0.3": a gradient for a numbered step
_STEP_GRADIENT = re.compile(
    r"\b(?:at|for|in)\s+(?:the\s+)?(?:time[\s-]*step|step|iteration|update)\s+(?:t\s*=\s*)?(?P<i>\d{1,2})"
    r"\s*,?\s*(?:(?:the\s+)?(?:gradient|g)\s+|it\s+)?(?:is|was|=|:|equals)\s*(?=[-+]?\.?\d|\[|\()",
    re.IGNORECASE,
)
_GRADIENT_BEFORE = re.compile(r"\b(?:gradients?|g)\b(?:(?!\.\s|[?!]).)*$", re.IGNORECASE)
_GRADIENT_AT = re.compile(
    rf"\bgradients?\b[^.\d=\[\]]{{0,40}}?\bat\s+(?:the\s+point\s+)?[A-Za-zθ]\w*\s*=\s*(?:{NUMBER_PATTERN}|\[[^\]]*\]"
    r"|\([^)]*\))\s*(?:is|=|:|equals)\s*(?=[-+]?\.?\d|\[|\()",
    re.IGNORECASE,
)
_OTHER_NAME = re.compile(r"(?:(?<![∇∂])[α-ωΑ-Ω]|\blr|\b(?<![∇∂/_])(?!g\b)[A-Za-z])(?:_\w+)?\s*$")
_BATCH_WORDS = re.compile(
    r"per[\s-]?(?:example|sample)|\bexamples?\b|\bsamples?\b|data\s+points?|instances", re.I
)
_RUN_NUMBER = re.compile(rf"\s*({NUMBER_PATTERN})(?!\w|\.\d)")
_RUN = re.compile(r"\s*(?:,|\band\b|\bthen\b|;|→)\s*(?:(?:and|then)\s+)?")


_HEAD = re.compile(
    r"(?<![\w])(?:(?P<fn>[fgLJEhRF]|loss|cost|objective)\s*\(\s*(?P<args>[^()=]{1,30}?)\s*\)\s*=\s*"
    r"|(?:loss|objective|cost)(?:\s+function)?\s+(?:[fLJ]\s*)?(?:=|is\b)\s*"
    r"|(?:minimi[sz]e|maximi[sz]e)\s+(?:the\s+(?:function|objective|loss)\s+)?"
    r"(?:[fLJ]\s*(?:\(\s*(?P<args2>[^()=]{1,30}?)\s*\))?\s*=\s*)?)",
    re.IGNORECASE,
)
_BODY_END = re.compile(
    r"\n|;|,|=|\.(?:\s|$)|\s(?:[A-Za-z]{3,}|at|to|in|on|by|if|is|of|as|or|an?)\b|\s*\(\s*(?:with|for|where)",
)


@dataclass(frozen=True)
class ObjectiveText:
    body: str
    args: tuple[str, ...]  # the variables named in `f(x, y)`, empty when there is no head
    start: int
    end: int


def find_objective(text: str) -> ObjectiveText | None:
    """The first `f(x) = <polynomial>` (or `minimise …`, `the loss L = …`) in the text."""
    for head in _HEAD.finditer(text):
        rest = text[head.end() :]
        stop = _BODY_END.search(rest)
        body = (rest[: stop.start()] if stop else rest).strip().rstrip(".")
        if not body or not re.search(r"[A-Za-zα-ω]", body) or body.count("(") != body.count(")"):
            continue  # "the loss is L(w1, w2) = …": the body is after the next head
        names = head.group("args") or head.group("args2") or ""
        args = tuple(a.strip() for a in names.split(",") if a.strip())
        if any(not re.fullmatch(r"[A-Za-zα-ω](?:_?\{?\w{1,3}\}?)?", a) for a in args):
            continue
        return ObjectiveText(body, args, head.start(), head.end() + len(body))
    return None


@dataclass(frozen=True)
class Reading:
    """Everything read before the problem is assembled (kept apart so the solver's detect can use it)."""

    method: Method | None
    arrays: list[Array]
    start: Found | None
    gradients: tuple[Value, ...]
    gradient_batch: bool
    objective_text: str | None


def flat(value: Value) -> Vec:
    if isinstance(value, float):
        return (value,)
    out: list[float] = []
    for item in value:
        out.extend(item if isinstance(item, list) else [item])
    return tuple(out)


def shape_of(value: Value) -> tuple[int, ...]:
    if isinstance(value, float):
        return ()
    if value and isinstance(value[0], list):
        return (len(value), len(value[0]))
    return (len(value),)


def number_run(text: str, start: int) -> tuple[list[float], int]:
    """`0.5, -0.3 and 0.2` from `start`: the numbers and where the run ends."""
    number = _RUN_NUMBER
    values: list[float] = []
    position = start
    while len(values) < MAX_ENTRIES:
        match = number.match(text, position)
        if match is None:
            break
        parsed = parse_number(match.group(1))
        if parsed is None:
            break
        values.append(parsed.value)
        position = match.end()
        sep = _RUN.match(text, position)
        if sep is None or number.match(text, sep.end()) is None:
            break
        position = sep.end()
    return values, position


def read_gradients(text: str, arrays: list[Array]) -> tuple[tuple[Value, ...], bool]:
    """The gradients given, one per step (or per example of a batch), and whether they form a batch."""
    by_start = {a.start: a for a in arrays}
    indexed: dict[int, Value] = {}
    for match in _INDEXED_GRADIENT.finditer(text):
        array = by_start.get(match.end())
        if array is not None:
            indexed.setdefault(int(match.group("i")), array.values)
            continue
        values, _ = number_run(text, match.end())
        if values:
            indexed.setdefault(int(match.group("i")), values[0])
    for match in _STEP_GRADIENT.finditer(text):
        before = text[max(0, match.start() - 80) : match.start()]
        if not _GRADIENT_BEFORE.search(before) and not re.search(r"gradient|\bg\b", match.group(0), re.I):
            continue  # "the momentum at step 1 is …": not a gradient
        array = by_start.get(match.end())
        if array is not None:
            indexed.setdefault(int(match.group("i")), array.values)
            continue
        values, _ = number_run(text, match.end())
        if len(values) == 1:
            indexed.setdefault(int(match.group("i")), values[0])
    if len(indexed) >= 2:
        keys = sorted(indexed)
        return tuple(indexed[k] for k in keys), False
    at = _GRADIENT_AT.search(text)
    if at is not None:
        array = by_start.get(at.end())
        values, _ = number_run(text, at.end())
        if array is not None:
            return (array.values,), False
        if values:
            return (values[0] if len(values) == 1 else list(values),), False
    for match in _GRADIENT.finditer(text):
        if _OTHER_NAME.search(match.group("gap") or "") and match.group("link") in ("=", ":"):
            continue  # `∂L/∂w with η = 0.05`: the number belongs to another name
        before = text[max(0, match.start() - 60) : match.end()]
        batch = bool(_BATCH_WORDS.search(before))
        array = by_start.get(match.end())
        if array is not None:
            following = [
                a for a in arrays if a.start >= array.end and _between_is_run(text, array.end, a.start)
            ]
            group = [array.values, *[a.values for a in _contiguous(text, array, following)]]
            if len(group) > 1:
                return tuple(group), batch
            return (array.values,), batch
        values, _ = number_run(text, match.end())
        if len(values) > 1:
            return (list(values),), batch  # a bare run: a sequence or a vector, decided with w
        if values:
            return (values[0],), batch
    return (), False


def _between_is_run(text: str, end: int, start: int) -> bool:
    return bool(re.fullmatch(r"\s*(?:,|\band\b|\bthen\b|;|→)?\s*(?:(?:and|then)\s+)?", text[end:start]))


def _contiguous(text: str, first: Array, following: list[Array]) -> list[Array]:
    chain: list[Array] = []
    end = first.end
    for array in sorted(following, key=lambda a: a.start):
        if not _between_is_run(text, end, array.start):
            break
        chain.append(array)
        end = array.end
    return chain


def read_start(text: str, arrays: list[Array]) -> Found | None:
    """The parameter's value before the first update."""
    between = link(rf"{PARAM}|\(\s*[A-Za-zθ]\w*\s*(?:,\s*[A-Za-zθ]\w*\s*)+\)|{_INDEXED}")
    evaluated_at: Found | None = None  # "the gradient at w = 2 is 0.5": w = 2 is also the current point
    for hit in find_named(text, _START, arrays, between):
        prefix = text[max(0, hit.start - 12) : hit.start].lower()
        if re.search(r"(?:∇|∂|\bd|f\()$", prefix) and "at" not in hit.text:
            continue
        if re.search(r"\bat\s+$", prefix) and "at" not in hit.text:
            evaluated_at = evaluated_at or hit
            continue
        return hit
    return evaluated_at


def read(text: str) -> Reading:
    arrays = find_arrays(text)
    method = read_method(text)
    objective = find_objective(text)
    gradients, batch = ((), False) if objective else read_gradients(text, arrays)
    return Reading(
        method, arrays, read_start(text, arrays), gradients, batch, objective.body if objective else None
    )
