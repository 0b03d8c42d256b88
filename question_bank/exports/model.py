"""What every export format writes: a bank entry with its answer, solved once, in plain values.

A conceptual entry becomes an essay (model answer, key points, misconceptions). A numeric entry
is solved from its own prompt by the solvers; each quantity it asks for becomes a part: a number
with an absolute tolerance, or a short text answer (a shape such as ``n × m``, a word). Vectors
are split into one part per component, since LMS numeric fields hold one number each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from question_bank.exports.markdown import xml_safe
from question_bank.models import QuestionEntry
from solvers.base import AnswerValue, PartSpec, Solution, ValueKind
from solvers.compare import ATOL_DEFAULT, RTOL_DEFAULT
from solvers.route import Solved, solve_question

Solve = Callable[[str], Solved]

# LMS numeric tolerances are absolute (Moodle accepts value ± tolerance), so the grader's relative
# tolerance is turned into one per value: RTOL × |value|, or ATOL_DEFAULT when the value is 0.
TOLERANCE_DIGITS = 6
PROPORTION_NOTE = "Give proportions as decimals between 0 and 1 (for example 0.25, not 25 %)."
VECTOR_NOTE = "Give each entry of a vector in its own box, in order."
SHAPE_NOTE = "Write a shape as its dimensions separated by x, for example 3 x 4."


def tolerance_for(value: float, rtol: float = RTOL_DEFAULT) -> float:
    """The absolute tolerance matching a relative one (always > 0), rounded to 6 significant figures."""
    if value == 0:
        return ATOL_DEFAULT
    return float(f"{rtol * abs(value):.{TOLERANCE_DIGITS}g}")


def plain_number(value: float) -> str:
    """Shortest exact decimal, never in exponent form (``1e-08`` → ``0.00000001``)."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class NumericPart:
    name: str
    label: str
    value: float
    tolerance: float
    proportion: bool = False  # a FRACTION part: 0.25, not 25 %
    component: bool = False  # one entry of a vector or matrix


@dataclass(frozen=True)
class TextPart:
    name: str
    label: str
    answers: tuple[str, ...]  # accepted spellings, the usual one first
    component: bool = False
    shape: bool = False


Part = NumericPart | TextPart


@dataclass(frozen=True)
class KeyPointText:
    text: str
    weight: float


@dataclass(frozen=True)
class MisconceptionText:
    text: str
    feedback: str


@dataclass(frozen=True)
class ExportableQuestion:
    id: str
    title: str
    topic: str
    tags: tuple[str, ...]
    prompt: str  # Markdown
    model_answer: str  # Markdown
    key_points: tuple[KeyPointText, ...] = ()
    misconceptions: tuple[MisconceptionText, ...] = ()
    parts: tuple[Part, ...] = ()  # empty for an essay
    conventions: tuple[str, ...] = ()

    @property
    def is_essay(self) -> bool:
        return not self.parts

    @property
    def instructions(self) -> tuple[str, ...]:
        """How to type the answers, for questions with parts."""
        notes: list[str] = []
        if any(isinstance(part, NumericPart) and part.proportion for part in self.parts):
            notes.append(PROPORTION_NOTE)
        if any(isinstance(part, TextPart) and part.shape for part in self.parts):
            notes.append(SHAPE_NOTE)
        if any(part.component for part in self.parts):
            notes.append(VECTOR_NOTE)
        if any(isinstance(part, NumericPart) for part in self.parts):
            notes.append(f"Answers within {RTOL_DEFAULT * 100:g} % of the exact value are accepted.")
        return tuple(notes)


def shape_spellings(dimensions: list[Any]) -> tuple[str, ...]:
    """Common ways to write a shape: ``n × m``, ``n x m``, ``(n, m)``, ``n by m``…"""
    dims = [str(dimension) for dimension in dimensions]
    if not dims:
        return ("scalar", "()")
    spellings = [
        " × ".join(dims),
        " x ".join(dims),
        "×".join(dims),
        "x".join(dims),
        f"({', '.join(dims)})",
        f"({','.join(dims)})",
        " by ".join(dims),
    ]
    return tuple(dict.fromkeys(spellings))


def _components(value: list[Any], prefix: tuple[int, ...] = ()) -> Iterable[tuple[tuple[int, ...], Any]]:
    for index, item in enumerate(value, start=1):
        if isinstance(item, list):
            yield from _components(item, (*prefix, index))
        else:
            yield (*prefix, index), item


def _scalar_part(name: str, label: str, value: Any, spec: PartSpec, component: bool = False) -> Part:
    if value is None:
        return TextPart(name, label, ("undefined",), component)
    if isinstance(value, int | float) and not isinstance(value, bool):
        rtol = spec.rtol if spec.rtol is not None else RTOL_DEFAULT
        proportion = spec.kind is ValueKind.FRACTION
        return NumericPart(
            name, label, float(value), tolerance_for(float(value), rtol), proportion, component
        )
    return TextPart(name, label, (xml_safe(str(value)),), component)


def parts_of(name: str, spec: PartSpec, value: AnswerValue) -> list[Part]:
    """The exportable parts of one answer value."""
    if spec.kind is ValueKind.SHAPE and isinstance(value, list):
        return [TextPart(name, spec.label, shape_spellings(value), shape=True)]
    if isinstance(value, list):
        return [
            _scalar_part(
                f"{name}_{'_'.join(map(str, index))}",
                f"{spec.label} [{', '.join(map(str, index))}]",
                item,
                spec,
                component=True,
            )
            for index, item in _components(value)
        ]
    return [_scalar_part(name, spec.label, value, spec)]


def exportable(entry: QuestionEntry, solution: Solution | None = None) -> ExportableQuestion:
    """An entry ready to export; numeric entries need the solver's ``solution`` of their prompt."""
    parts: list[Part] = []
    conventions: tuple[str, ...] = ()
    if solution is not None:
        for name in solution.asked:
            parts.extend(parts_of(name, solution.spec(name), solution.answer.get(name)))
        conventions = tuple(xml_safe(text) for text in solution.conventions)
    return ExportableQuestion(
        id=entry.id,
        title=xml_safe(entry.title),
        topic=entry.topic.value,
        tags=tuple(xml_safe(tag) for tag in entry.tags),
        prompt=xml_safe(entry.prompt),
        model_answer=xml_safe(entry.answer_markdown),
        key_points=tuple(KeyPointText(xml_safe(p.text), p.weight) for p in entry.key_points),
        misconceptions=tuple(
            MisconceptionText(xml_safe(m.text), xml_safe(m.feedback)) for m in entry.misconceptions
        ),
        parts=tuple(parts),
        conventions=conventions,
    )


def exportables(entries: Iterable[QuestionEntry], solve: Solve = solve_question) -> list[ExportableQuestion]:
    """Every entry as an exportable question, numeric ones solved from their prompt by ``solve``."""
    return [
        exportable(entry, solve(entry.prompt).solution if entry.solver is not None else None)
        for entry in entries
    ]
