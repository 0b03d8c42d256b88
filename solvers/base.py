"""The solver contract: detect → parse → solve, plus the wrong variants a grader diagnoses with.

A solver is one module exposing one `Solver` subclass; `solvers.registry.SOLVERS` lists them.
Answers are plain JSON-able values; `PartSpec` says how each one is read and compared.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

# A part's value: a number (None when undefined, e.g. 0/0), a vector or matrix, a shape
# (list of dimensions, symbols as strings) or a word.
AnswerValue = float | None | str | list[Any]


class ValueKind(StrEnum):
    """How a part is read from a response and compared with the expected value."""

    SCALAR = "scalar"  # any real number
    FRACTION = "fraction"  # a proportion in [0, 1]; "61.5 %" and "0.615" are the same
    VECTOR = "vector"  # a list of numbers, or a list of rows
    SHAPE = "shape"  # dimensions: ["n", "m"], [3, 4], [] for a scalar
    CHOICE = "choice"  # one word from a small set ("unchanged", "scaled")
    EXPRESSION = "expression"  # a matrix expression ("(A + A^T) x"), compared by value on random matrices


@dataclass(frozen=True)
class PartSpec:
    """One quantity a question can ask for."""

    name: str
    label: str  # for people: "Precision"
    kind: ValueKind
    aliases: tuple[str, ...] = ()  # other names a response may use ("sensitivity", "tpr")
    rtol: float | None = None  # a per-part tolerance overriding the default
    context: tuple[Any, ...] = ()  # what comparing needs beyond the value (EXPRESSION: the symbol table)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.label.lower(), *self.aliases)


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    latex: str = ""


@dataclass(frozen=True)
class Derivation:
    """How an asked part follows from other asked parts, for error carried forward.

    `compute` maps the values of `inputs` (plain numbers or lists, as in `Solution.answer`) to the
    part's value; graded with the student's own inputs, a later part worked out correctly from
    earlier wrong values earns its credit. It may raise `ArithmeticError` or `ValueError` when the
    inputs give no value (a division by zero, a vector for a number): then nothing is carried.
    """

    inputs: tuple[str, ...]
    compute: Callable[[Mapping[str, AnswerValue]], AnswerValue]


def number_input(values: Mapping[str, AnswerValue], name: str) -> float:
    """One input of a derivation as a number; `ValueError` when it is not one."""
    value = values[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} is not a number")
    return float(value)


def vector_input(values: Mapping[str, AnswerValue], name: str) -> tuple[float, ...]:
    """One input as a flat tuple of numbers (a number, a vector or rows); `ValueError` otherwise."""
    value = values[name]
    numbers: list[float] = []
    for x in _flatten(value) if isinstance(value, list) else [value]:
        if isinstance(x, bool) or not isinstance(x, int | float):
            raise ValueError(f"{name} is not a list of numbers")
        numbers.append(float(x))
    return tuple(numbers)


def _flatten(value: list[Any]) -> list[Any]:
    return [x for item in value for x in (_flatten(item) if isinstance(item, list) else [item])]


@dataclass
class Solution:
    """A solver's answer: the values asked for, how they were found and under what conventions."""

    kind: str
    asked: tuple[str, ...]
    answer: dict[str, AnswerValue]
    parts: dict[str, PartSpec]
    steps: list[Step]
    conventions: list[str]
    given: dict[str, Any] = field(default_factory=dict)  # what was read from the question
    notes: list[str] = field(default_factory=list)
    derived: dict[str, Derivation] = field(default_factory=dict)  # part → how it follows from others

    def spec(self, name: str) -> PartSpec:
        return self.parts[name]


@dataclass(frozen=True)
class Variant:
    """The answer a known mistake (or an accepted other convention) leads to."""

    code: str  # stable identifier: "precision_recall_swapped"
    feedback: str  # what went wrong, in plain words
    answer: dict[str, AnswerValue]
    accepted: bool = False  # True: another common convention, full credit with a note


@dataclass(frozen=True)
class Example:
    """A question a solver must answer, with (some of) the expected answer; run by the registry test."""

    question: str
    expected: dict[str, AnswerValue]


ProblemT = TypeVar("ProblemT")


class Solver(ABC, Generic[ProblemT]):
    """One kind of numeric question."""

    kind: ClassVar[str]
    title: ClassVar[str]
    topic: ClassVar[str]

    @abstractmethod
    def detect(self, text: str) -> float:
        """How sure (0..1) this solver is that the normalised `text` is its kind of question."""

    @abstractmethod
    def parse(self, text: str) -> ProblemT:
        """Read the problem's data; raise `NotUnderstood` or `InvalidQuestion` when it cannot."""

    @abstractmethod
    def solve(self, problem: ProblemT) -> Solution:
        """Compute every asked part, with steps and the conventions used."""

    @abstractmethod
    def variants(self, problem: ProblemT) -> list[Variant]:
        """Answers produced by known mistakes, found by re-running the solution with the mistake."""

    @abstractmethod
    def examples(self) -> tuple[Example, ...]:
        """Questions with known answers; the registry test runs every one."""

    @abstractmethod
    def practice(self, rng: random.Random) -> str:
        """A fresh question of this kind, worded in one of several styles, numbers from `rng`.

        Deterministic for a given `rng` state; `solvers.practice` redraws when a known mistake
        would go unnoticed.
        """
