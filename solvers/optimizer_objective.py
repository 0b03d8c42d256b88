"""Objectives whose gradient the optimizer solver works out itself, from `optimizer_polynomial`'s grammar."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from solvers.errors import NotUnderstood
from solvers.numbers import format_number
from solvers.optimizer_polynomial import MAX_BODY, Lookup, Monomial, Parser, Variables


@dataclass(frozen=True)
class Objective:
    """A polynomial objective and its gradient."""

    source: str
    variables: Variables
    terms: tuple[tuple[Monomial, float], ...]

    def value(self, point: Sequence[float]) -> float:
        return sum(c * math.prod(x**e for x, e in zip(point, m, strict=True)) for m, c in self.terms)

    def derivative(self, index: int) -> tuple[tuple[Monomial, float], ...]:
        out: list[tuple[Monomial, float]] = []
        for mono, coef in self.terms:
            if mono[index]:
                lowered = tuple(e - 1 if i == index else e for i, e in enumerate(mono))
                out.append((lowered, coef * mono[index]))
        return tuple(out)

    def gradient(self, point: Sequence[float]) -> tuple[float, ...]:
        return tuple(
            sum(c * math.prod(x**e for x, e in zip(point, m, strict=True)) for m, c in self.derivative(i))
            for i in range(self.variables.size)
        )

    def latex(self) -> str:
        return poly_latex(self.terms, self.variables.names)

    def gradient_latex(self) -> list[str]:
        return [poly_latex(self.derivative(i), self.variables.names) for i in range(self.variables.size)]


def _tex_name(name: str) -> str:
    return re.sub(r"_(\w+)", r"_{\1}", name).replace("θ", r"\theta ").strip()


def poly_latex(terms: Sequence[tuple[Monomial, float]], names: Sequence[str]) -> str:
    """`2w^{2} - 6w + 9`, highest degree first."""
    ordered = sorted(terms, key=lambda t: (-sum(t[0]), [-e for e in t[0]]))
    pieces: list[str] = []
    for mono, coef in ordered:
        factors = "".join(
            _tex_name(names[i]) + (f"^{{{e}}}" if e > 1 else "") for i, e in enumerate(mono) if e
        )
        magnitude = abs(coef)
        shown = format_number(magnitude) if (magnitude != 1 or not factors) else ""
        body = shown + (" " if shown and factors and not shown[-1].isdigit() else "") + factors
        sign = "-" if coef < 0 else "+"
        pieces.append(f"{sign} {body}" if pieces else (f"-{body}" if coef < 0 else body))
    return " ".join(pieces) if pieces else "0"


def parse_objective(body: str, variables: Variables, lookup: Lookup) -> Objective:
    """Read `body` (the right-hand side of `f(x) = …`) as a polynomial in `variables`."""
    if len(body) > MAX_BODY:
        raise NotUnderstood(f"the objective is longer than {MAX_BODY} characters")
    poly = Parser(body, variables, lookup).parse()
    if not any(any(m) for m in poly):
        raise NotUnderstood(f"the objective {body!r} does not depend on {', '.join(variables.names)}")
    return Objective(body.strip(), variables, tuple(sorted(poly.items())))
