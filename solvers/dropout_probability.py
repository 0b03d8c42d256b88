"""The dropout probability, however a question states it: drop or keep, rate, percentage, a bare p."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.numbers import NUMBER_PATTERN, parse_number

NUM = rf"(?P<v>{NUMBER_PATTERN})(?!\d)(?!\s*[-+*/×]\s*[A-Za-z(])"  # not the 1 of "1 - p = 0.8"


def _shown(written: str) -> str:
    """`written` for a message: "p = 1." may end with the sentence's full stop ("1." is a number)."""
    return written.strip().rstrip(".")


def value_of(written: str) -> float:
    """The value of a number matched by `NUM`."""
    parsed = parse_number(written)
    if parsed is None:
        raise NotUnderstood(f"could not read the number {written!r}")
    return parsed.value


_FILL = r"(?:\s*(?:\bis\b|\bof\b|\bequals?\b|\bequal\s+to\b|\bset\s+to\b|=|:|,|\bp\b|\bq\b|ρ|\(|\))\s*){0,4}"
_UNIT = r"(?:\s+(?:a|each|any|every|the)\s+(?:hidden\s+)?(?:unit|neuron|node|activation))?"
_KEEP_NAMES = (
    r"keep[_\s-]?prob(?:ability)?|p[_\s]?keep|keep[_\s-]?rate|retain(?:ed)?[_\s-]?prob(?:ability)?"
    r"|retention[_\s-]?(?:probability|rate)|survival[_\s-]?probability"
    rf"|probability\s+of\s+(?:keeping|retaining){_UNIT}"
    r"|probability\s+(?:that\s+)?(?:a|each|any|every)\s+(?:hidden\s+)?(?:unit|neuron|node)\s+is\s+(?:kept|retained)"
)
_DROP_NAMES = (
    r"drop(?:out)?[_\s-]?(?:rate|prob(?:ability)?|ratio|fraction)|p[_\s]?drop"
    rf"|probability\s+of\s+(?:dropping|zeroing)(?:\s+out)?{_UNIT}|dropping\s+probability"
    r"|probability\s+(?:that\s+)?(?:a|each|any|every)\s+(?:hidden\s+)?(?:unit|neuron|node)\s+is\s+(?:dropped|zeroed)"
    r"(?:\s+out)?|dropout\s+(?:rate\s+)?of"
)
_PROBABILITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (meaning, re.compile(pattern, re.IGNORECASE))
    for meaning, pattern in (
        ("keep", rf"(?:{_KEEP_NAMES})\b{_FILL}\s*{NUM}"),
        ("drop", rf"(?:{_DROP_NAMES})\b{_FILL}\s*{NUM}"),
        (
            "keep",
            rf"\b(?:kept|retained|keep(?:s|ing)?|retain(?:s|ing)?|preserved|preserving)(?:{_UNIT})?\s+with\s+(?:a\s+)?probability"
            rf"\s+(?:of\s+)?(?:[pq]\s*=\s*)?{NUM}",
        ),
        (
            "drop",
            rf"\b(?:dropped|zeroed|drop(?:s|ping)?|zero(?:es|ing)|removed|removing|deactivated|deactivating|switched\s+off|turned\s+off|set\s+to\s+(?:zero|0))"
            rf"(?:\s+out)?(?:{_UNIT})?\s+with\s+(?:a\s+)?probability\s+(?:of\s+)?(?:[pq]\s*=\s*)?{NUM}",
        ),
        ("drop", rf"dropout\(\s*(?:(?:p|rate)\s*=\s*)?{NUM}"),
        ("drop", rf"\bdropout\d?\s*=\s*{NUM}"),  # d2l.ai's dropout_layer(X, dropout): `dropout = 0.25`
        ("keep", rf"bernoulli\s*\(\s*(?:p\s*=\s*)?{NUM}\s*\)"),
        ("drop", rf"\b(?:with|at)\s+(?:a\s+)?(?:dropout\s+)?rate\s+(?:of\s+)?(?:p\s*=\s*)?{NUM}"),
        (
            "percent",
            rf"{NUM}\s+of\s+(?:the\s+|all\s+|its\s+)?(?:hidden\s+)?(?:units|neurons|nodes|activations|outputs)"
            rf"(?:\s+(?:in|of)\s+[\w\s]{{0,25}}?)?\s+(?:are|is|get|gets|will\s+be|were|being)\s+"
            rf"(?:randomly\s+)?(?P<verb>dropped|zeroed|removed|deactivated|switched\s+off|kept|retained)",
        ),
        (
            "percent",
            rf"\b(?P<verb>drop(?:s|ping)?|zero(?:es|ing)?|keep(?:s|ing)?|retain(?:s|ing)?)(?:\s+out)?"
            rf"\s+(?:only\s+)?(?:randomly\s+)?{NUM}\s*(?=of\b)",
        ),
        (
            "bare",
            rf"dropout\s+(?:layer\s+)?(?:with|at|using)\s+(?:a\s+)?(?:probability|rate)\s+(?:of\s+)?"
            rf"(?:p\s*=\s*)?{NUM}",
        ),
        ("keep", rf"(?<![\w.])\(?\s*1\s*-\s*p\s*\)?\s*=\s*{NUM}"),
        ("bare", rf"(?<![\w.'])p\s*=\s*{NUM}"),
    )
)
# what a bare `p = 0.8` is said to be, just after it: "(the probability of keeping a unit)"
_P_MEANING = re.compile(
    r"^\s*[,(:;-]?\s*(?:(?:is|as|being|denotes|denoting|i\.e\.|which\s+is|here)\s+)*(?:the\s+|a\s+)?"
    r"(?:(?P<keep>keep|retain|retention|survival)\w*\s+(?:probability|rate)|(?:drop|dropout|dropping)\w*\s+"
    r"(?:probability|rate)|(?:probability|chance)\s+(?:of|that|to)\s+(?:\w+\s+){0,4}?"
    r"(?:(?P<keep2>keep|retain|kept|surviv|stay|be\s+kept)|drop|zero|be\s+dropped|is\s+dropped))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Probability:
    drop: float
    stated_as: str  # "drop", "keep" or "bare" (a p whose meaning the question does not say)
    text: str  # as written: "p = 0.5", "keep_prob = 0.8"


def _hit(meaning: str, match: re.Match[str], text: str) -> tuple[float, str] | None:
    """(drop probability, how it was stated) for one match; None for a count ("2 of the units")."""
    raw = match.group("v")
    value = value_of(raw)
    if meaning == "percent":
        if "%" not in raw and "/" not in raw:
            return None
        meaning = "keep" if re.match(r"ke|kept|ret", match.group("verb"), re.IGNORECASE) else "drop"
    if meaning == "bare":
        said = _P_MEANING.search(text[match.end() : match.end() + 80])
        if said is not None:
            meaning = "keep" if said.group("keep") or said.group("keep2") else "drop"
        else:
            meaning = p_defined(text) or "bare"
    if not 0.0 <= value <= 1.0:
        raise InvalidQuestion(f"a probability must lie between 0 and 1; the question gives {_shown(raw)}")
    return (round(1.0 - value, 15) if meaning == "keep" else value), meaning  # 1 − 0.8 is 0.19999999999999996


_P_DEFINED_KEEP = re.compile(
    r"(?:kept|retained|present|keep(?:s|ing)?|retain(?:s|ing)?|surviv\w*)(?:\s+\w+){0,3}?\s+with\s+probability\s+p\b(?!\s*=)"
    r"|\bp\s+(?:is|denotes|=)\s+the\s+(?:keep|retain\w*|survival)\s+probability|\bp\s+is\s+the\s+probability\s+"
    r"(?:of|that)\s+(?:\w+\s+){0,3}?(?:keep|retain|kept|retained)|(?:multipl\w*|scal\w*)\s+by\s+p\s+at\s+test"
    r"|1\s*/\s*p\b",
    re.IGNORECASE,
)
_P_DEFINED_DROP = re.compile(
    r"(?:dropped|zeroed|removed|drop(?:s|ping)?|zeroing|removing)(?:\s+\w+){0,3}?\s+with\s+probability\s+p\b(?!\s*=)"
    r"|\bp\s+(?:is|denotes|=)\s+the\s+(?:drop\w*|dropout)\s+(?:probability|rate)|\bp\s+is\s+the\s+probability\s+"
    r"(?:of|that)\s+(?:\w+\s+){0,3}?(?:drop|dropped|zero)|1\s*/\s*\(\s*1\s*-\s*p\s*\)",
    re.IGNORECASE,
)


def p_defined(text: str) -> str | None:
    """What the question says its symbol p stands for ("retained with probability p"), if it says."""
    keep, drop = _P_DEFINED_KEEP.search(text), _P_DEFINED_DROP.search(text)
    if keep and not drop:
        return "keep"
    if drop and not keep:
        return "drop"
    return None


def probability(text: str) -> Probability | None:
    """The drop probability, however the question states it; None when it gives none."""
    hits: dict[int, tuple[float, str, str]] = {}
    for meaning, pattern in _PROBABILITY_PATTERNS:
        for match in pattern.finditer(text):
            if match.start("v") in hits:
                continue
            hit = _hit(meaning, match, text)
            if hit is not None:
                hits[match.start("v")] = (*hit, _shown(match.group(0)))
    if not hits:
        return None
    explicit = [h for _, h in sorted(hits.items()) if h[1] != "bare"]
    chosen = explicit or [h for _, h in sorted(hits.items())]
    values = sorted({round(h[0], 12) for h in chosen})
    if len(values) > 1:
        raise NotUnderstood(
            "the question gives several dropout probabilities ("
            + ", ".join(h[2] for h in chosen)
            + "); ask about one layer with one probability"
        )
    drop, stated, written = chosen[0]
    if drop >= 1.0:
        raise InvalidQuestion(
            f"{written}: every unit would be dropped; the drop probability must lie in [0, 1)"
        )
    return Probability(drop, stated, written)
