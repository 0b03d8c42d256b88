"""What an optimizer question asks for, and how many updates it wants."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.optimizer_problem import ADAM_LIKE, Method, state_names
from solvers.optimizer_text import ORDINAL, count_of, ordinal_number

_ASK = re.compile(
    r"\b(?:compute|calculate|find|what|which|give|determine|evaluate|derive|report|show|state|list|write|"
    r"perform|apply|do|carry\s+out|obtain|update|take|run|simulate|trace|work\s+out|how)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[?!])\s+|(?<=\.)\s+(?=[A-Z(])|\n+")
_GIVEN_AFTER = (
    r"(?!\s*(?:=|:|is\b|of\b)?\s*(?:[-+]?\.?\d|\[|\())"
    r"(?!\s*(?:(?:is|are|was)\s+)?(?:initially|initiali[sz]ed|starts|starting|begins|set\s+to|zero|equal))"
)
_INDEX = r"(?:_?\{?(?P<i>\d{1,2}|t[+-]1|k[+-]1|t|k)\}?|\^\{?\((?P<j>\d{1,2})\)\}?)?"

_STATE_WORDS = {
    "m": r"first[\s-]+moment(?:\s+estimate)?(?!\s+(?:decay|coefficient|rate))|\bm" + _INDEX + r"(?![\w^])",
    "v_adam": r"second[\s-]+moment(?:\s+estimate)?(?!\s+(?:decay|coefficient|rate))|\bv"
    + _INDEX
    + r"(?![\w^])",
    "m_hat": r"m_hat" + _INDEX + r"|bias[\s-]corrected\s+(?:first\s+moment|m\b)|m\s+hat",
    "v_hat": r"v_hat" + _INDEX + r"|bias[\s-]corrected\s+(?:second\s+moment|v\b)|v\s+hat",
    "v": r"velocity|momentum\s+(?:buffer|term|vector)|\bv" + _INDEX + r"(?![\w^])",
    "s": r"\b(?:s|G|r)" + _INDEX + r"(?![\w^])|cache|accumulat\w*|running\s+average|moving\s+average"
    r"|sum\s+of\s+(?:the\s+)?squared|E\[g\^2\]|squared[\s-]gradient\s+(?:average|estimate|sum|accumulator)",
}
_BOTH_CORRECTED = re.compile(r"bias[\s-]corrected\s+(?:moments?|estimates?|values?)\b|m_hat and v_hat", re.I)
_GRADIENT = re.compile(
    r"\b(?:compute|calculate|find|evaluate|derive|what\s+is|give|determine)\s+(?:also\s+)?(?:the\s+)?"
    r"(?:gradients?\b|∇|derivative|d[fLJ]\s*/\s*d)|\bgradient\s+(?:and|,)",
    re.IGNORECASE,
)
_UPDATE = re.compile(
    r"\b(?:update|step)\s+(?:size|vector|amount|magnitude)\b|\bchange\s+in\b|Δ\s*[wθx]|\bhow\s+much\b"
    r"|\b(?:the|this)\s+update\b(?!\s+rule)|\bsize\s+of\s+the\s+(?:update|step)"
    r"|\b(?:parameter|weight)\s+(?:change|increment|update)\b",
    re.IGNORECASE,
)
_EFFECTIVE = re.compile(r"effective\s+(?:learning\s+rate|step[\s-]?size)|adaptive\s+learning\s+rate", re.I)
_EACH = re.compile(
    r"\b(?:after|for|at|of)\s+(?:each|every|both)\b|\beach\s+(?:step|iteration|update)|\ball\s+(?:the\s+)?"
    r"(?:iterates|steps|iterations)|\btrajectory\b|\bsequence\s+of\b|\bintermediate\b|\bboth\s+(?:steps|updates)"
    r"|\bstep\s+by\s+step\b|\bshow\s+(?:each|every|all)\b",
    re.IGNORECASE,
)
_CONSTANT = re.compile(
    r"\bconstant\b|\bsame\s+gradient|\bdoes\s+not\s+change|\bremains?\b|\bstays?\b|\bfixed\s+gradient|\beach\s+step\s+has",
    re.IGNORECASE,
)


def asking_text(text: str) -> str:
    """What the question asks: each asking sentence from its verb on (a question mark alone: all of it)."""
    asking: list[str] = []
    for sentence in _SENTENCE.split(text):
        verb = _ASK.search(sentence)
        if verb is not None:
            asking.append(sentence[verb.start() :])
        elif "?" in sentence:
            asking.append(sentence)
    return " \n ".join(asking) if asking else text


@dataclass(frozen=True)
class Asked:
    keys: tuple[str, ...]  # in question order: "w", "v", "m_hat", "gradient", "update", ...
    per_step: bool
    per_step_keys: tuple[str, ...]  # the keys asked after every step (the rest: after the last)
    indices: tuple[int, ...]  # step numbers named with the parameter (w_1, w_2)
    count: int | None  # "two steps", "3 iterations"
    ordinal: int | None  # "the third step", "at step t = 3"
    constant: bool  # the gradient is said to stay the same


def _positions(pattern: str, text: str) -> list[tuple[int, str]]:
    found = []
    for match in re.finditer(rf"(?:{pattern}){_GIVEN_AFTER}", text, re.IGNORECASE):
        found.append((match.start(), match.group(0)))
    return found


def read_asked(text: str, method: Method, name: str, has_objective: bool) -> Asked:
    asking = asking_text(text)
    spots: list[tuple[int, str]] = []
    indexed: set[str] = set()
    states = state_names(method)
    for key in states:
        pattern = _STATE_WORDS["v_adam" if key == "v" and method in ADAM_LIKE else key]
        hits = _positions(pattern, asking)
        if key in ("m", "v") and method in ADAM_LIKE:
            hits = [h for h in hits if "hat" not in h[1] and "corrected" not in h[1]]
        if hits:
            spots.append((hits[0][0], key))
            if len({h[1] for h in hits if re.search(r"\d", h[1])}) > 1:
                indexed.add(key)
    if method in ADAM_LIKE and (both := _BOTH_CORRECTED.search(asking)):
        spots += [(both.start(), "m_hat"), (both.start() + 1, "v_hat")]
    if has_objective and (g := _GRADIENT.search(asking)):
        spots.append((g.start(), "gradient"))
    if u := _UPDATE.search(asking):
        spots.append((u.start(), "update"))
    if e := _EFFECTIVE.search(asking):
        spots.append((e.start(), "effective_lr"))
    param = rf"(?:{re.escape(name)}|w|θ|x|W)"
    indices: list[int] = []
    first_index = 10**6
    for pattern in (
        rf"(?<![\w∂/]){param}_?\{{?(\d{{1,2}})\}}?(?!\w|\.\d){_GIVEN_AFTER}",
        rf"(?<![\w∂/]){param}\^\{{?\((\d{{1,2}})\)\}}?{_GIVEN_AFTER}",
    ):
        for match in re.finditer(pattern, asking):
            indices.append(int(match.group(1)))
            first_index = min(first_index, match.start())
    word = re.search(
        rf"(?<![\w∂/]){param}(?![\w(])|\b(?:weights?|parameters?|iterates?|position|point)\b", asking
    )
    w_position = word.start() if word else 10**6
    w_position = min(w_position, first_index)
    explicit = re.search(
        rf"\b(?:new|updated|next|resulting|final)\s+(?:value\s+of\s+(?:the\s+)?)?(?:{param}|weights?|parameters?)\b"
        rf"|(?<![\w∂/]){param}\s+(?:after|becomes?)\b|\band\s+(?:the\s+)?(?:new\s+)?{param}\b",
        asking,
    )
    if not any(k == "update" for _, k in spots) or indices or explicit:
        spots.append((w_position, "w"))
    keys = tuple(dict.fromkeys(k for _, k in sorted(spots)))
    ordinal = _ordinal(text)
    count = count_of(text, r"steps?|iterations?|updates?|epochs?|times|rounds?|moves?")
    each = _EACH.search(asking)
    per_step = bool(each) or len(set(indices)) > 1
    stepwise = {"w", *states}
    if each is not None:
        before = [k for p, k in spots if p < each.start() and k in stepwise]
        final = {
            k for p, k in spots if re.search(r"\b(?:final|last)\s+(?:\w+\s+)?$", asking[max(0, p - 20) : p])
        }
        chosen = [k for k in (before or stepwise) if k not in final]
    else:
        chosen = ["w", *sorted(indexed)]
    per_step_keys = tuple(k for k in keys if k in chosen)
    return Asked(
        keys,
        per_step,
        per_step_keys,
        tuple(sorted(set(indices))),
        count,
        ordinal,
        bool(_CONSTANT.search(text)),
    )


# "step 1 is [0.5, 1]", "step 2 it is 0.3": a value given for a step, not the step asked
_VALUE_FOLLOWS = (
    r"(?!\s*,?\s*(?:(?:the\s+)?(?:gradient|g)\s+|it\s+)?(?:is|was|=|:|equals)\s*(?:[-+]?\.?\d|\[|\())"
)


def _ordinal(text: str) -> int | None:
    match = re.search(
        rf"\b(?:time[\s-]*step|step|iteration|update)\s+(?:t\s*=\s*)?(\d{{1,3}})\b{_VALUE_FOLLOWS}"
        rf"|\bt\s*=\s*(\d{{1,3}})\b|\b({ORDINAL})\s+(?:time[\s-]*step|step|iteration|update)",
        text,
        re.IGNORECASE,
    )
    if match is None:
        return None
    if match.group(3):
        return ordinal_number(match.group(3))
    return int(match.group(1) or match.group(2))
