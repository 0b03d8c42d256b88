"""A small grammar of matrix-calculus expressions: `x^T A x`, `a^T X b`, `||Xw - y||_2^2`, `tr(AX)`,
`CE(softmax(z), y)`, as written in questions and in student responses. Never `eval`.

A parse gives a plain tree of tuples (hashable, picklable, safe to send to another process):
`("sym", "A")`, `("num", "1/2")`, `("add", t, ...)`, `("neg", t)`, `("mul", t, ...)`, `("T", t)`,
`("tr", t)`, `("norm2", t)` (a squared 2- or Frobenius norm), `("softmax", t)`, `("log", t)` and
`("ce", p, y)` (cross-entropy −yᵀ log p). Letters are one-letter symbols, so `Xw` is `X w`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from solvers.errors import InputTooLarge, ResponseFormatError
from solvers.matrix_expr_tokens import Token, tokenize

Tree = tuple[Any, ...]

MAX_EXPRESSION_CHARS = 400
MAX_DEPTH = 24  # nested brackets and calls
MAX_NODES = 160

_OPEN = {"(": ")", "[": "]", "{": "}"}


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.nodes = 0
        self.norm_open = False

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def fail(self, message: str, token: Token | None = None) -> ResponseFormatError:
        where = (token or self.token).start
        return ResponseFormatError(f"{message} (at character {where + 1})", self.text, where)

    def node(self, *parts: Any) -> Tree:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputTooLarge(f"the expression has more than {MAX_NODES} parts; write a shorter one")
        return tuple(parts)

    def expression(self) -> Tree:
        terms: list[Tree] = []
        sign = ""
        if self.token.kind == "op" and self.token.text in "+-":
            sign = self.take().text
        term = self.product()
        terms.append(self.node("neg", term) if sign == "-" else term)
        while self.token.kind == "op" and self.token.text in ("+", "-"):
            sign = self.take().text
            term = self.product()
            terms.append(self.node("neg", term) if sign == "-" else term)
        return terms[0] if len(terms) == 1 else self.node("add", *terms)

    def _starts_factor(self) -> bool:
        token = self.token
        if token.kind in ("name", "func", "num"):
            return True
        if token.kind == "norm":
            return not self.norm_open
        return token.kind == "op" and token.text in _OPEN

    def product(self) -> Tree:
        factors = [self.postfix()]
        while True:
            token = self.token
            if token.kind == "op" and token.text in ("*", "·", "×"):
                self.take()
                factors.append(self.postfix())
            elif token.kind == "op" and token.text == "/":
                self.take()
                divisor = self.postfix()
                if divisor[0] != "num" or Fraction(divisor[1]) == 0:
                    raise self.fail("only division by a non-zero number is supported", token)
                if factors[-1][0] == "num":  # `1/2` is one number
                    factors[-1] = self.node("num", str(Fraction(factors[-1][1]) / Fraction(divisor[1])))
                else:
                    factors.append(self.node("num", str(1 / Fraction(divisor[1]))))
            elif self._starts_factor():
                factors.append(self.postfix())
            else:
                break
        return factors[0] if len(factors) == 1 else self.node("mul", *factors)

    def postfix(self) -> Tree:
        if self.token.kind == "op" and self.token.text == "-":
            self.take()
            return self.node("neg", self.postfix())
        tree = self.primary()
        while True:
            kind = self.token.kind
            if kind == "transpose":
                self.take()
                tree = self.node("T", tree)
            elif kind == "square":
                self.take()
                tree = self.node("mul", tree, tree)
            elif kind == "inverse":
                raise self.fail("matrix inverses are not supported")
            else:
                return tree

    def primary(self) -> Tree:
        token = self.take()
        if token.kind == "num":
            denominator = token.text.partition("/")[2]
            if denominator and int(denominator) == 0:
                raise self.fail("division by zero", token)
            return self.node("num", str(Fraction(token.text)))
        if token.kind == "name":
            return self.node("sym", token.text)
        if token.kind == "op" and token.text in _OPEN:
            return self.group(token)
        if token.kind == "func":
            return self.call(token)
        if token.kind == "norm" and not self.norm_open:
            return self.norm(token)
        if token.kind == "end":
            raise self.fail("the expression ends too early", token)
        if token.kind == "word":
            raise self.fail(f"unknown name {token.text!r}", token)
        raise self.fail(f"unexpected {token.text!r}", token)

    def nested(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InputTooLarge(
                f"the expression is nested more than {MAX_DEPTH} levels deep (at character {token.start + 1})"
            )

    def group(self, opening: Token) -> Tree:
        self.nested(opening)
        inner = self.expression()
        closing = self.take()
        if closing.kind != "op" or closing.text != _OPEN[opening.text]:
            raise self.fail(f"{opening.text!r} is not closed", closing)
        self.depth -= 1
        return inner

    def call(self, name: Token) -> Tree:
        self.nested(name)
        if self.token.kind == "op" and self.token.text in _OPEN:
            opening = self.take()
            args = [self.expression()]
            while self.token.kind == "op" and self.token.text == ",":
                self.take()
                args.append(self.expression())
            closing = self.take()
            if closing.kind != "op" or closing.text != _OPEN[opening.text]:
                raise self.fail(f"{opening.text!r} is not closed", closing)
        else:
            args = [self.postfix()]  # `log softmax(z)`, `\log p`
        self.depth -= 1
        wanted = 2 if name.text == "ce" else 1
        if len(args) != wanted:
            raise self.fail(f"{name.text} takes {wanted} argument{'s' if wanted > 1 else ''}", name)
        return self.node(name.text, *args)

    def norm(self, opening: Token) -> Tree:
        self.nested(opening)
        self.norm_open = True
        inner = self.expression()
        closing = self.take()
        if closing.kind != "norm":
            raise self.fail("the norm is not closed", closing)
        self.norm_open = False
        self.depth -= 1
        if self.token.kind == "sub":
            self.take()
        if self.token.kind != "square":
            raise self.fail("only squared norms ||v||^2 are supported", self.token)
        self.take()
        return self.node("norm2", inner)


def parse_prefix(text: str, start: int = 0) -> tuple[Tree, int]:
    """The longest expression at `text[start:]` (a question), and where it ends."""
    tokens = tokenize(text[: start + MAX_EXPRESSION_CHARS], None, start)
    parser = _Parser(text, tokens)
    tree = parser.expression()
    return tree, parser.token.start


def parse_expression(text: str, symbols: frozenset[str]) -> Tree:
    """A whole response: every character must belong to the expression."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise InputTooLarge(
            f"the expression has {len(text)} characters; at most {MAX_EXPRESSION_CHARS} are read"
        )
    if not text.strip():
        raise ResponseFormatError("the expression is empty", text)
    parser = _Parser(text, tokenize(text, symbols))
    tree = parser.expression()
    if parser.token.kind != "end":
        token = parser.token
        what = "unknown name" if token.kind == "word" else "unexpected"
        raise parser.fail(f"{what} {token.text!r}", token)
    return tree


def symbols_of(tree: Tree) -> set[str]:
    if tree[0] == "sym":
        return {tree[1]}
    if tree[0] == "num":
        return set()
    return set().union(*(symbols_of(child) for child in tree[1:]))
