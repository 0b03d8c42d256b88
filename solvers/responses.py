"""Reading a student's response: labelled parts in prose, JSON parts, numbers, vectors, shapes.

The result keeps "could not read" (a `ResponseFormatError` per part, score withheld) apart from
any judgement of right or wrong, which is `solvers.grading`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from solvers.base import PartSpec, Solution, ValueKind
from solvers.errors import InputTooLarge, ResponseFormatError
from solvers.extract import find_arrays
from solvers.limits import MAX_ENTRIES, MAX_TEXT_CHARS
from solvers.matrix_expr_answers import read_expression
from solvers.normalize import normalize
from solvers.numbers import Number, find_numbers, parse_number
from solvers.response_groups import flatten_objects, label_rows, vector_entries
from solvers.response_tables import table_rows
from solvers.shapes import Shape, parse_shape


class Undefined:
    """A response saying the value is undefined (0/0)."""

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = Undefined()
Vector = list[Number] | list[list[Number]]
Given = Number | Vector | Shape | Undefined | str


@dataclass(frozen=True)
class ReadPart:
    """One part of a response: the value read, or why it could not be read."""

    text: str
    value: Given | None = None
    error: ResponseFormatError | None = None
    note: str = ""


_UNDEFINED_WORDS = re.compile(
    r"^(?:undefined|not defined|undef|nan|n/?a|0\s*/\s*0|division by zero|cannot be computed|none|null)\.?$",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^(?:[:=≈~]|is|are|was|equals?|of|about|approximately|approx\.?|around|roughly|"
    r"would be|will be|comes? out (?:to|at)|gives?|->|→)\s*",
    re.IGNORECASE,
)


def _strip_lead_in(text: str) -> str:
    previous = None
    text = text.strip().strip(",;.")
    while previous != text:
        previous = text
        text = _LEAD_IN.sub("", text).strip()
    return text


def _last_assignment(segment: str) -> str:
    """`80/(80+80) = 0.5` → `0.5`: students show working, the value after the last `=` counts."""
    for sign in ("=", "≈"):
        if sign in segment:
            segment = segment.rsplit(sign, 1)[1]
    return segment.strip()


def read_number(text: str) -> Number | Undefined:
    """One number in a segment of prose; raises ResponseFormatError when there is none or several."""
    cleaned = _strip_lead_in(_last_assignment(text))
    if _UNDEFINED_WORDS.match(cleaned):
        return UNDEFINED
    direct = parse_number(cleaned.rstrip(".").strip())
    if direct is not None:
        return direct
    found = find_numbers(cleaned)
    if len(found) == 1:
        return found[0][0]
    if not found:
        raise ResponseFormatError(f"no number found in {text.strip()!r}", text)
    values = {round(n.value, 12) for n, _, _ in found}
    if len(values) == 1:
        return found[0][0]
    raise ResponseFormatError(
        f"several numbers in {text.strip()!r}; give one value, e.g. '0.62' or '61.5 %'", text, found[1][1]
    )


def read_vector(text: str) -> Vector:
    """`[2, 0, 0, 4.5, 6]`, `2 0 0 4.5 6`, `(2, 0, 0)`, `[[1, 2], [3, 4]]`."""
    cleaned = _last_assignment(text)
    arrays = find_arrays(cleaned)
    if arrays:
        chosen = arrays[-1]
        raw = chosen.values
        segment = cleaned[chosen.start : chosen.end]
        if chosen.is_matrix:
            return [[_as_number(x) for x in row] for row in raw]  # type: ignore[union-attr]
        numbers = [n for n, _, _ in find_numbers(segment)]
        if len(numbers) == len(raw):
            return numbers
        return [_as_number(x) for x in raw]  # type: ignore[arg-type]
    numbers = [n for n, _, _ in find_numbers(_strip_lead_in(cleaned))]
    if len(numbers) > MAX_ENTRIES:
        raise InputTooLarge(f"a vector has {len(numbers)} entries; at most {MAX_ENTRIES} are read")
    if not numbers:
        raise ResponseFormatError(f"no vector found in {text.strip()!r}; write it as [2, 0, 4.5]", text)
    return numbers


def _as_number(value: float) -> Number:
    text = repr(value)
    parsed = parse_number(text)
    return parsed if parsed is not None else Number(value, text, None, None)


def read_value(text: str, spec: PartSpec) -> Given:
    """Read `text` as the kind of value `spec` expects."""
    if spec.kind in (ValueKind.SCALAR, ValueKind.FRACTION):
        return read_number(text)
    if spec.kind is ValueKind.VECTOR:
        return read_vector(text)
    if spec.kind is ValueKind.SHAPE:
        return parse_shape(_strip_lead_in(_last_assignment(text)) or text)
    if spec.kind is ValueKind.EXPRESSION:
        return read_expression(_strip_lead_in(_last_assignment(text)).rstrip(".").strip(), spec.context)
    word = _strip_lead_in(text).strip().strip(".").lower()
    if not word:
        raise ResponseFormatError("the answer is empty", text)
    return word


SHORT_LABEL = 1  # one-letter names ("x", "W", "P") are labels only before ":" or "=", case kept


@lru_cache(maxsize=4096)
def _label_regex(names: tuple[str, ...]) -> re.Pattern[str]:
    """Long names in any case; one-letter names exactly as written, as in mathematics (x is not X)."""
    long_names = sorted({n.lower() for n in names if len(n) > SHORT_LABEL}, key=len, reverse=True)
    short_names = sorted({n for n in names if 0 < len(n) <= SHORT_LABEL})
    alternatives = [f"(?i:{re.escape(n)})" for n in long_names]
    alternatives += [rf"{re.escape(n)}(?=\s*[:=])" for n in short_names]
    return re.compile(rf"(?<![\w])(?:{'|'.join(alternatives)})(?![\w])")


def _find_labels(text: str, solution: Solution) -> list[tuple[int, int, str]]:
    """Offsets of every part label in the text, longest names first, without overlaps."""
    hits: list[tuple[int, int, str]] = []
    for name, spec in solution.parts.items():
        hits.extend((m.start(), m.end(), name) for m in _label_regex(spec.names).finditer(text))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str]] = []
    for hit in hits:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    return kept


def _read_part(text: str, spec: PartSpec) -> ReadPart:
    try:
        return ReadPart(text.strip(), read_value(text, spec))
    except ResponseFormatError as error:
        return ReadPart(text.strip(), error=error)


def _labelled_prose(text: str, solution: Solution) -> dict[str, ReadPart]:
    labels = _find_labels(text, solution)
    parts: dict[str, ReadPart] = {}
    for index, (_, end, name) in enumerate(labels):
        stop = labels[index + 1][0] if index + 1 < len(labels) else len(text)
        segment = text[end:stop]
        if not segment.strip(" \t\n,;.:=") and name in parts:
            continue
        candidate = _read_part(segment, solution.spec(name))
        if name not in parts or (parts[name].error is not None and candidate.error is None):
            parts[name] = candidate
    return parts


def _unlabelled(text: str, solution: Solution) -> dict[str, ReadPart]:
    asked = solution.asked
    if len(asked) == 1:
        return {asked[0]: _read_part(text, solution.spec(asked[0]))}
    scalar = all(solution.spec(n).kind in (ValueKind.SCALAR, ValueKind.FRACTION) for n in asked)
    pieces = [p for p in re.split(r"[,;\n]+|\s{2,}", text) if p.strip()]
    if scalar and len(pieces) == len(asked):
        return {
            name: replace(
                _read_part(piece, solution.spec(name)), note="read in the order the parts were asked"
            )
            for name, piece in zip(asked, pieces, strict=True)
        }
    labels = ", ".join(f"{solution.spec(n).label.lower()} = …" for n in asked)
    error = ResponseFormatError(
        f"this question has {len(asked)} parts; label each answer, e.g. '{labels}'", text
    )
    return {name: ReadPart(text, error=error) for name in asked}


def read_response(response: str | dict[str, Any], solution: Solution) -> dict[str, ReadPart]:
    """Every part found in the response, keyed by the solution's part names."""
    if isinstance(response, dict):
        return _spread(_read_mapping(flatten_objects(response, solution, _resolve_key), solution), solution)
    if len(response) > MAX_TEXT_CHARS:
        raise InputTooLarge(f"the response has {len(response)} characters; at most {MAX_TEXT_CHARS} are read")
    text = label_rows(table_rows(normalize(response), solution), solution)
    if not text.strip():
        raise ResponseFormatError("the response is empty", response)
    labelled = _labelled_prose(text, solution)
    if labelled and any(p.error is None for p in labelled.values()):
        return _spread(labelled, solution)
    return _unlabelled(text, solution)


def _spread(parts: dict[str, ReadPart], solution: Solution) -> dict[str, ReadPart]:
    """Per-class parts given as one vector in class order (`precision: [0.8, 0.5]`), see `response_groups`."""
    entries = vector_entries({name: part.value for name, part in parts.items()}, solution)
    return parts | {name: ReadPart(n.text, n) for name, n in entries.items() if name not in parts}


def _resolve_key(key: str, solution: Solution) -> str | None:
    """A JSON key to a part name: exact spelling first (x is not X), then without case."""
    wanted = normalize(key).strip()
    for exact in (True, False):
        for name, spec in solution.parts.items():
            names = spec.names if exact else tuple(n.lower() for n in spec.names)
            if (wanted if exact else wanted.lower()) in names:
                return name
    return None


def _mapping_value_text(value: Any) -> str:
    if isinstance(value, bool):
        raise ResponseFormatError(f"{value!r} is not a value")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_mapping_value_text(v) for v in value) + "]"
    if value is None:
        return "undefined"
    raise ResponseFormatError(f"unsupported value {value!r}")


def _read_mapping(response: dict[str, Any], solution: Solution) -> dict[str, ReadPart]:
    parts: dict[str, ReadPart] = {}
    unknown = []
    for key, value in response.items():
        name = _resolve_key(key, solution)
        if name is None:
            unknown.append(key)
            continue
        try:
            text = _mapping_value_text(value)
        except ResponseFormatError as error:
            parts[name] = ReadPart(str(value), error=error)
            continue
        parts[name] = _read_part(normalize(text), solution.spec(name))
    if unknown and not parts:
        expected = ", ".join(solution.asked)
        raise ResponseFormatError(f"no part of the response is named like an asked part ({expected})")
    return parts
