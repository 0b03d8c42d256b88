"""Tokens of the matrix-expression grammar (`solvers.matrix_expr`): numbers, one-letter names,
function names, transposes, squares, norms and operators; a word ends a question's expression."""

from __future__ import annotations

import re
from dataclasses import dataclass

FUNCTIONS = {
    "tr": "tr",
    "trace": "tr",
    "softmax": "softmax",
    "log": "log",
    "ln": "log",
    "ce": "ce",
    "crossentropy": "ce",
}
# Short letter runs that are words, not products of one-letter symbols ("is", "of", "The").
# fmt: off
WORDS = frozenset({
    "a", "an", "and", "as", "at", "be", "by", "for", "if", "in", "is", "it", "let", "of", "on",
    "or", "so", "the", "to", "we", "with", "where", "find", "what", "when", "then", "each", "its",
    "this", "that", "are", "use", "show", "give",
})
# fmt: on

_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<frac>\\[dt]?frac\s*\{\s*(?P<fn>\d{1,6})\s*\}\s*\{\s*(?P<fd>\d{1,6})\s*\})
    |(?P<num>\d{1,12}(?:\.\d{1,12})?)
    |(?P<transpose>\^\s*(?:\{\s*T\s*\}|T)|\^\s*\{\s*\\top\s*\}|\^\s*\\top|'|ᵀ|⊤)
    |(?P<square>\^\s*(?:\{\s*2\s*\}|2(?!\d)))
    |(?P<inverse>\^\s*(?:\{\s*-\s*1\s*\}|-\s*1))
    |(?P<norm>\|\||‖|\\\||\\[lr]?Vert(?![A-Za-z]))
    |(?P<sub>_\s*(?:\{\s*(?:2|F)\s*\}|2|F(?![A-Za-z])))
    |(?P<command>\\[A-Za-z]+)
    |(?P<letters>[^\W\d_]+(?:_\{?\d{1,3}\}?)?)
    |(?P<op>[-+*/·×,()\[\]{}])
    """,
    re.VERBOSE,
)
_COMMANDS = {r"\log": "log", r"\ln": "log", r"\cdot": "·", r"\top": "transpose", r"\operatorname": ""}


@dataclass(frozen=True)
class Token:
    kind: str  # num, name, func, op, transpose, square, inverse, norm, sub, word, end
    text: str
    start: int


def tokenize(text: str, symbols: frozenset[str] | None, start: int = 0) -> list[Token]:
    """Tokens from `start` up to the first character the grammar does not know (a `word` token).

    `symbols`: the names a response may use (a letter run splits when all its letters are symbols);
    None reads a question, where short runs that are not English words split.
    """
    tokens: list[Token] = []
    position = start
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            tokens.append(Token("word", text[position], position))
            return tokens
        kind = match.lastgroup or ""
        value = match.group(0)
        if kind == "frac":
            tokens.append(Token("num", f"{match.group('fn')}/{match.group('fd')}", position))
        elif kind == "command":
            meaning = _COMMANDS.get(value)
            if meaning is None:
                tokens.append(Token("word", value, position))
                return tokens
            if meaning in ("log",):
                tokens.append(Token("func", meaning, position))
            elif meaning == "·":
                tokens.append(Token("op", "·", position))
            elif meaning == "transpose":
                tokens.append(Token("transpose", value, position))
        elif kind == "letters":
            split = _split_letters(value, position, symbols)
            if split is None:
                tokens.append(Token("word", value, position))
                return tokens
            tokens.extend(split)
        elif kind != "space":
            tokens.append(Token(kind, value, position))
        position = match.end()
    tokens.append(Token("end", "", position))
    return tokens


def _split_letters(run: str, position: int, symbols: frozenset[str] | None) -> list[Token] | None:
    lowered = run.lower().replace("-", "")
    if lowered in FUNCTIONS:
        return [Token("func", FUNCTIONS[lowered], position)]
    if "_" in run:  # W_1: one name with a numeric subscript
        return [Token("name", run.replace("{", "").replace("}", ""), position)]
    if len(run) == 1:
        return [Token("name", run, position)]
    if symbols is not None:
        if all(letter in symbols for letter in run):
            return [Token("name", letter, position + i) for i, letter in enumerate(run)]
        return None
    if lowered in WORDS or len(run) > 4 or (run.islower() and len(run) > 2):
        return None
    return [Token("name", letter, position + i) for i, letter in enumerate(run)]
