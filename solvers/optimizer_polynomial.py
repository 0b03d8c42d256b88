"""A small polynomial grammar: `(w - 3)^2`, `a·w^2 + b·w + c`, `x^2 + 10y^2`, `½ wᵀAw − bᵀw`, `||w||^2`.

A recursive-descent parser of our own builds a polynomial (monomial exponents → coefficient) over the
objective's variables; constants come from a lookup of the question's other values. Nothing is
evaluated; exponentials, logarithms and roots are refused with a clear message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from solvers.errors import InvalidQuestion, NotUnderstood
from solvers.optimizer_text import Value

Monomial = tuple[int, ...]
Poly = dict[Monomial, float]
Lookup = Callable[[str], Value | None]

MAX_DEGREE = 8
MAX_TERMS = 200
MAX_BODY = 200

_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)"
    r"|(?P<trans>\^\s*\{?\s*T\s*\}?)"
    r"|(?P<norm>\|\|)"
    r"|(?P<sub>_\{?2\}?(?=\s*\^))"
    r"|(?P<ident>[A-Za-zα-ωΑ-Ω](?:_\{?[A-Za-z0-9]{1,3}\}?|[0-9](?![0-9.]))?)"
    r"|(?P<op>[-+*/^(){}·×])"
    r"|(?P<space>\s+)"
)
_FUNCTIONS = re.compile(r"\b(?:exp|log|ln|sin|cos|tan|tanh|sqrt|sigma|max|min|abs)\b|\be\s*\^", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def _tokens(body: str) -> list[Token]:
    if _FUNCTIONS.search(body):
        raise NotUnderstood(
            f"the objective {body!r} is not a polynomial; only polynomial objectives such as "
            "(w - 3)^2 or x^2 + 10y^2 are differentiated here: give the gradient instead"
        )
    tokens: list[Token] = []
    position = 0
    while position < len(body):
        match = _TOKEN.match(body, position)
        if match is None:
            raise NotUnderstood(f"could not read {body[position:]!r} in the objective {body!r}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(0)))
        position = match.end()
    return tokens


def _add(a: Poly, b: Poly, sign: float = 1.0) -> Poly:
    out = dict(a)
    for mono, coef in b.items():
        out[mono] = out.get(mono, 0.0) + sign * coef
    return {m: c for m, c in out.items() if c != 0.0}


def _mul(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            mono = tuple(x + y for x, y in zip(ma, mb, strict=True))
            if sum(mono) > MAX_DEGREE:
                raise InvalidQuestion(f"the objective has degree above {MAX_DEGREE}; it is not read")
            out[mono] = out.get(mono, 0.0) + ca * cb
    if len(out) > MAX_TERMS:
        raise InvalidQuestion(f"the objective expands to more than {MAX_TERMS} terms; it is not read")
    return {m: c for m, c in out.items() if c != 0.0}


def _constant_value(poly: Poly) -> float | None:
    if not poly:
        return 0.0
    if len(poly) == 1:
        mono, coef = next(iter(poly.items()))
        if not any(mono):
            return coef
    return None


@dataclass(frozen=True)
class Variables:
    """The objective's variables: scalars (`x`, `y`) or one vector `w` of `size` components."""

    names: tuple[str, ...]
    vector: str | None = None

    @property
    def size(self) -> int:
        return len(self.names)

    def index(self, ident: str) -> int | None:
        plain = ident.replace("{", "").replace("}", "")
        if plain in self.names:
            return self.names.index(plain)
        if self.vector is not None:
            match = re.fullmatch(rf"{re.escape(self.vector)}_?(\d)", plain)
            if match and 1 <= int(match.group(1)) <= self.size:
                return int(match.group(1)) - 1
        return None


class Parser:
    def __init__(self, body: str, variables: Variables, lookup: Lookup) -> None:
        self.body = body
        self.tokens = _tokens(body)
        self.position = 0
        self.variables = variables
        self.lookup = lookup

    # -- token helpers ------------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise NotUnderstood(f"the objective {self.body!r} ends too early")
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise NotUnderstood(f"expected {text!r} in the objective {self.body!r}, found {token.text!r}")

    def zero(self) -> Monomial:
        return (0,) * self.variables.size

    def constant(self, value: float) -> Poly:
        return {self.zero(): value} if value else {}

    def variable(self, index: int) -> Poly:
        mono = [0] * self.variables.size
        mono[index] = 1
        return {tuple(mono): 1.0}

    # -- grammar ------------------------------------------------------------------------------------
    def parse(self) -> Poly:
        poly = self.expression()
        if self.peek() is not None:
            raise NotUnderstood(f"could not read {self.peek()!r} in the objective {self.body!r}")
        return poly

    def expression(self) -> Poly:
        sign = 1.0
        token = self.peek()
        if token is not None and token.text in "+-":
            sign = -1.0 if self.take().text == "-" else 1.0
        poly = _mul(self.constant(sign), self.term()) if sign < 0 else self.term()
        while (token := self.peek()) is not None and token.text in ("+", "-"):
            self.take()
            poly = _add(poly, self.term(), -1.0 if token.text == "-" else 1.0)
        return poly

    def term(self) -> Poly:
        poly = self.factor()
        while (token := self.peek()) is not None:
            if token.text in ("*", "·", "×"):
                self.take()
                poly = _mul(poly, self.factor())
            elif token.text == "/":
                self.take()
                divisor = _constant_value(self.factor())
                if divisor is None or divisor == 0:
                    raise NotUnderstood(f"the objective {self.body!r} divides by a variable or by zero")
                poly = {m: c / divisor for m, c in poly.items()}
            elif token.kind in ("num", "ident", "norm") or token.text in ("(", "{"):
                poly = _mul(poly, self.factor())  # implicit product: 2w, 10y^2, (w-1)(w+1)
            else:
                break
        return poly

    def factor(self) -> Poly:
        base = self.base()
        token = self.peek()
        if token is not None and token.text == "^":
            self.take()
            base = self.power(base)
        return base

    def power(self, base: Poly) -> Poly:
        token = self.take()
        text = token.text
        if text in ("{", "("):
            text = self.take().text
            self.expect("}" if token.text == "{" else ")")
        if not re.fullmatch(r"\d", text):
            raise NotUnderstood(f"only whole powers up to 9 are read in the objective {self.body!r}")
        result = self.constant(1.0)
        for _ in range(int(text)):
            result = _mul(result, base)
        return result

    def base(self) -> Poly:
        token = self.take()
        if token.kind == "num":
            return self.constant(float(token.text))
        if token.text in ("(", "{"):
            inner = self.expression()
            self.expect(")" if token.text == "(" else "}")
            return inner
        if token.kind == "norm":
            return self.norm_squared()
        if token.kind == "ident":
            following = self.peek()
            if following is not None and following.kind == "trans":
                self.take()
                return self.transposed(token.text)
            return self.name(token.text)
        raise NotUnderstood(f"unexpected {token.text!r} in the objective {self.body!r}")

    def name(self, ident: str) -> Poly:
        index = self.variables.index(ident)
        if index is not None:
            return self.variable(index)
        if self.variables.vector is not None and ident == self.variables.vector:
            raise NotUnderstood(
                f"the objective uses the vector {ident} as a number; write it with components "
                f"({ident}_1, {ident}_2), as {ident}^T A {ident}, or as ||{ident}||^2"
            )
        value = self.lookup(ident)
        if value is None:
            raise NotUnderstood(f"the value of {ident} in the objective {self.body!r} is not given")
        if not isinstance(value, float):
            raise NotUnderstood(f"{ident} is a vector or matrix; the objective uses it as a number")
        return self.constant(value)

    def norm_squared(self) -> Poly:
        ident = self.take()
        self.expect("||")
        if (token := self.peek()) is not None and token.kind == "sub":
            self.take()
        self.expect("^")
        self.expect("2")
        if self.variables.vector != ident.text and self.variables.index(ident.text) is None:
            raise NotUnderstood(f"||{ident.text}||^2 names no variable of the objective")
        return self.sum_of_squares()

    def sum_of_squares(self) -> Poly:
        poly: Poly = {}
        for i in range(self.variables.size):
            poly = _add(poly, _mul(self.variable(i), self.variable(i)))
        return poly

    def vector_constant(self, ident: str) -> list[float]:
        value = self.lookup(ident)
        n = self.variables.size
        if not isinstance(value, list):
            raise NotUnderstood(f"the vector {ident} of the objective is not given")
        entries = [x for x in value if isinstance(x, int | float)]
        if len(entries) != n or len(value) != n:
            raise InvalidQuestion(f"{ident} should be a vector of {n} entries to match the variable")
        return [float(x) for x in entries]

    def matrix_constant(self, ident: str) -> list[list[float]]:
        value = self.lookup(ident)
        n = self.variables.size
        if not isinstance(value, list):
            raise NotUnderstood(f"the matrix {ident} of the objective is not given")
        rows = [r for r in value if isinstance(r, list) and len(r) == n]
        if len(rows) != n or len(value) != n:
            raise InvalidQuestion(f"{ident} should be a {n} × {n} matrix to match the variable")
        return [[float(x) for x in row] for row in rows]

    def transposed(self, ident: str) -> Poly:
        vector = self.variables.vector
        n = self.variables.size
        if ident == vector:
            middle = self.take()
            if middle.kind != "ident":
                raise NotUnderstood(f"could not read the product after {ident}^T in {self.body!r}")
            if middle.text == vector:
                return self.sum_of_squares()
            if (after := self.peek()) is not None and after.text == vector:
                self.take()
                matrix = self.matrix_constant(middle.text)
                poly: Poly = {}
                for i in range(n):
                    for j in range(n):
                        entry = matrix[i][j]
                        term = _mul(self.variable(i), self.variable(j))
                        poly = _add(poly, {m: c * entry for m, c in term.items()})
                return poly
            coefficients = self.vector_constant(middle.text)
        else:
            coefficients = self.vector_constant(ident)
            self.expect(vector or "")
        poly = {}
        for i, b in enumerate(coefficients):
            poly = _add(poly, {m: c * b for m, c in self.variable(i).items()})
        return poly
