"""What a dropout question asks: the parts, in order, the unit a part is about, and the method.

A part is asked in a sentence with a question verb or mark; each clause asks for at most one part.
"""

from __future__ import annotations

import re

from solvers.dropout_mask import ORDINAL, listed_positions

_SENTENCE = re.compile(r"(?<=[?!])|\n|(?<=\.)(?=\s)")
_CLAUSE = re.compile(r",|;|\(|\)|\band\b(?!\s+(?:\d|the\s+\w+\s+(?:unit|neuron)))|\bthen\b|\balso\b")
_ASKS = re.compile(
    r"\b(?:what|which|how|compute|calculate|find|give|determine|show|write|list|report|derive|(?<!hidden\s)state|apply"
    r"|evaluate|work\s+out|obtain|predict)\b",
    re.IGNORECASE,
)
_PART_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "dropped_count",
            r"how\s+many[^.?]{0,40}?(?:dropped|zeroed|switched\s+off|deactivated|removed|inactive"
            r"|set\s+to\s+(?:zero|0))|number\s+of\s+(?:(?:hidden\s+)?(?:units|neurons|nodes)\s+(?:that\s+are\s+)?)?"
            r"(?:dropped|zeroed|inactive|deactivated)",
        ),
        (
            "kept_count",
            r"how\s+many[^.?]{0,40}?(?:kept|retained|surviv|active|remain|non-?zero)"
            r"|number\s+of\s+(?:(?:hidden\s+)?(?:units|neurons|nodes)\s+(?:that\s+(?:are|remain)\s+)?)?"
            r"(?:kept|surviving|active|retained)",
        ),
        (
            "dropped_fraction",
            r"(?:fraction|proportion|percentage|percent|share)\b[^.?]{0,40}?"
            r"(?:dropped|zeroed|switched\s+off|inactive|removed)",
        ),
        (
            "kept_fraction",
            r"(?:fraction|proportion|percentage|percent|share)\b[^.?]{0,40}?"
            r"(?:kept|retained|surviv|active|remain)",
        ),
        (
            "test_output",
            r"test(?:ing)?[\s-]*time|\bat\s+test|during\s+test|\btesting\b|inference|evaluation"
            r"|\beval\b|deployment|prediction\s+time|not\s+training",
        ),
        ("expected_value", r"expect(?:ed|ation)|\bE\s*\[|\bmean\b|on\s+average|\baverage\b"),
        (
            "scale",
            r"(?:scal(?:e|ing)|multiplicative)\s+(?:factor|constant|value)|by\s+what\s+(?:factor|number|value)"
            r"|what\s+(?:factor|constant)|\bfactor\b|scaled\s+by\s+what"
            r"|(?:multiplied|scaled)\s+by\s*(?:\?|$|what\b|at\b|during\b|in\b|when\b)",
        ),
        (
            "output",
            r"output|comes?\s+out\b|activation|result|vector|\b[ahxyz]\s*['′]|after\s+(?:applying\s+)?(?:the\s+)?"
            r"(?:dropout|mask)|\bapply|masked|values|\bnew\b|\bfinal\b|matrix",
        ),
    )
)
_PATTERN = dict(_PART_PATTERNS)
_UNIT_NAMED = re.compile(
    rf"(?:unit|neuron|node|element|entry|component)\s*#?\s*(?P<n>\d{{1,3}})\b|(?P<o>{ORDINAL})\s+(?:hidden\s+)?"
    rf"(?:unit|neuron|node|element|entry|component|activation)|\b[ahyz]_\{{?(?P<s>\d{{1,3}})\}}?",
    re.IGNORECASE,
)


_BRACKETS = re.compile(r"\[[^\[\]]*\]|\[(?:\s*\[[^\[\]]*\]\s*,?)*\s*\]")


def asked_parts(text: str) -> tuple[list[str], dict[str, int]]:
    """The parts asked, in the question's order, and the unit (as written) named for a part."""
    asked: list[str] = []
    units: dict[str, int] = {}
    for sentence in _SENTENCE.split(_BRACKETS.sub("[]", text)):
        verb = _ASKS.search(sentence)
        if verb is None and not sentence.strip().endswith("?"):
            continue
        question = sentence[verb.start() :] if verb else sentence  # skip "Given a = [...]," before it
        if not any(p.search(question) for _, p in _PART_PATTERNS):
            question = sentence
        # "At test time, what output ...": the time named before the question verb applies to it
        at_test = verb is not None and bool(_PATTERN["test_output"].search(sentence[: verb.start()]))
        for clause in _CLAUSE.split(question):
            name = _clause_part(clause)
            if at_test and name in ("output", "scale"):
                name = {"output": "test_output", "scale": "test_scale"}[name]
            if name is None:
                continue
            if name not in asked:
                asked.append(name)
            unit = _UNIT_NAMED.search(clause)
            if unit and name in ("expected_value", "test_output"):
                units[name] = listed_positions(unit.group(0))[0]
    return asked, units


def _clause_part(clause: str) -> str | None:
    """The one part a clause asks for; a factor asked "at test time" is the test-time factor."""
    name = next((name for name, pattern in _PART_PATTERNS if pattern.search(clause)), None)
    if name == "scale" and _PATTERN["test_output"].search(clause):
        return "test_scale"
    if name == "test_output" and _PATTERN["scale"].search(clause):
        return "test_scale"
    return name


# ---------------------------------------------------------------- the method asked for

_PLAIN = re.compile(
    r"(?:without|\bno\b|\bnot\b|n't|never|do\s+not)\s+(?:any\s+|the\s+|apply\s+|use\s+|using\s+)?(?:re-?)?scal"
    r"|\bunscaled\b|non-?inverted|not\s+inverted|original\s+dropout|standard\s+dropout|vanilla\s+dropout"
    r"|srivastava|only\s+(?:apply\s+)?the\s+mask|mask\s+only",
    re.IGNORECASE,
)
_INVERTED = re.compile(
    r"invert(?:ed)?[\s-]+(?:dropout|scaling)|inverse[\s-]+dropout|\(\s*inverted\s*\)|\b(?:re-?)?scal(?:e|ed|es|ing)\b"
    r"|1\s*/\s*\(\s*1\s*-\s*p\s*\)|1\s*/\s*keep|/\s*keep_?prob|divid\w*\s+(?:\w+\s+)?by\s+(?:the\s+)?(?:keep|1\s*-\s*p|\(1\s*-\s*p\))"
    r"|pytorch|\btorch\b|nn\.dropout|keras|tensorflow|tf\.nn\.dropout|\bd2l\b|dropout_layer",
    re.IGNORECASE,
)
_AT_TEST = re.compile(r"^\W*(?:\w+\s+){0,3}(?:at|during|in)\s+(?:test|inference|evaluation)", re.IGNORECASE)
_TEST_BEFORE = re.compile(r"(?:test|inference|evaluation)[^.?!\n]*$", re.IGNORECASE)


def convention(text: str) -> bool | None:
    """True for inverted dropout, False for plain masking, None when the question does not say."""
    if _PLAIN.search(text):
        return False
    for match in _INVERTED.finditer(text):
        if match.group(0).lower().startswith(("scal", "rescal", "re-scal")) and (
            _AT_TEST.search(text[match.end() : match.end() + 40])
            or _TEST_BEFORE.search(text[max(0, match.start() - 50) : match.start()])
        ):
            continue  # "scaled at test time" describes the original method
        return True
    return None
