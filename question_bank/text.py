"""Free text cut into sentences and clauses, with stemmed tokens whose offsets point into the original.

* :func:`blank_markup` replaces code blocks, HTML tags, URLs, LaTeX commands and Markdown symbols
  by spaces, so the text keeps its length and every offset found later is an offset of the
  original response.
* :func:`segments` cuts the text at sentence ends, ``;``, table cell borders `` | ``, line breaks
  between items (bullets, headings, lines that end a sentence) and splits overlong runs, keeping at most
  :data:`MAX_SEGMENTS` pieces of the first :data:`MAX_CHARS` characters.
* :func:`tokenize` yields :class:`Token`: the canonical stem (Snowball after American spelling,
  abbreviations expanded, synonyms folded; hyphenated compounds joined: ``co-adaptation`` =
  ``coadaptation``), whether it is a function word or a negator (``n't`` becomes ``not``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from question_bank.lexicon import (
    ABBREVIATIONS,
    CONTRACTIONS,
    NEGATORS,
    NOT_NEGATING_AFTER,
    STOP_WORDS,
    raw_stem,
    stem,
)

MAX_CHARS = 20_000
"""Only the first 20 KB of a response are read."""

MAX_SEGMENTS = 200
"""Only the first 200 sentences and clauses are graded."""

MAX_SEGMENT_WORDS = 48
"""A run of words without a sentence end is cut into pieces of at most this many words."""

NEGATOR_STEMS = {"without": "without", "nor": "nor", "neither": "nor"}
"""Every other negator matches as ``not`` (``no labels`` = ``not ... labels``)."""

MAX_WORD_CHARS = 30
"""Longer runs of letters are not words."""


@dataclass(frozen=True, slots=True)
class Token:
    """One word (or one part of an expanded abbreviation) with its place in the original text."""

    stem: str
    word: str
    start: int
    end: int
    function: bool = False
    negator: bool = False

    @property
    def content(self) -> bool:
        return not (self.function or self.negator)


@dataclass(frozen=True)
class Segment:
    """A sentence or clause: offsets into the original text, that text, its tokens and their scopes.

    ``negated[i]`` tells whether a negator denies token ``i``; ``clauses[i]`` numbers the clause it
    belongs to (commas, brackets, dashes and linking words such as "but", "and", "which" start one).
    """

    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    negated: tuple[bool, ...]
    clauses: tuple[int, ...]

    @cached_property
    def content_stems(self) -> frozenset[str]:
        return frozenset(token.stem for token in self.tokens if token.content)


# --- markup --------------------------------------------------------------------------------------

_FENCED = re.compile(r"(```|~~~).*?(?:\1|\Z)", re.DOTALL)
_SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|<!--.*?(?:-->|\Z)", re.DOTALL)
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_MARKDOWN_SYMBOLS = re.compile(r"[*_#>`$\\{}]")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \S+ import |return\b|for \w+ in .*:\s*$|if .*:\s*$|while .*:\s*$"
    r"|#include|public |private |function |var |let |const |>>> )"
    r"|\w\.\w+\(|==|!=|\+=|-=|(?:\w\(.*\)|=.*|^\s*\S+(?:\s+\S+)?)\s*;\s*$|[{}]\s*$|;\s*--|\b(?:DROP|SELECT|INSERT|DELETE|UPDATE)\s+(?:TABLE|FROM|INTO|\*)"
)


def _blank_code_lines(text: str) -> str:
    """Blank lines that read as program code (keywords, method calls, ``==``, braces at the end, a call,
    an assignment or a one- or two-word statement ended by ``;``); a prose line ending in ``;`` stays."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _CODE_LINE.search(line):
            lines[index] = " " * len(line)
    return "\n".join(lines)


ARROW = re.compile(r"-+>|=+>|[\u2192\u21d2]")
"""An arrow in notes: "->", "=>", "→", "⇒"."""


def _comma(match: re.Match[str]) -> str:
    return "," + " " * (len(match.group(0)) - 1)


def blank_markup(text: str) -> str:
    """The text with code, tags, URLs, LaTeX commands and Markdown symbols replaced by spaces, and
    arrows ("->", "=>", "→") by a comma: in notes an arrow links cause and effect within one statement
    ("factors < 1 -> product -> 0"), it does not end a sentence."""
    for pattern in (_FENCED, _SCRIPT, _TAG, _URL, _LATEX_COMMAND):
        text = pattern.sub(_blank, text)
    text = _blank_code_lines(text)
    text = ARROW.sub(_comma, text)
    return _MARKDOWN_SYMBOLS.sub(" ", text)


# --- tokens --------------------------------------------------------------------------------------

_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:[-\u2010\u2011'\u2019][^\W_]+)*")
_APOSTROPHE = re.compile(r"['\u2019]")
_HYPHEN = re.compile(r"[-\u2010\u2011]")
_HE_FOLLOWERS = ("init", "normal", "uniform", "weight", "et", "scheme", "method", "variant")
"""Words after which "he" is the name (He initialization), not the pronoun; so is "He" inside a sentence."""


def _word_tokens(word: str, start: int, end: int, synonyms: bool) -> Iterator[Token]:
    lower = unicodedata.normalize("NFKC", word).lower()
    if len(lower) > MAX_WORD_CHARS:
        return
    negated = False
    if _APOSTROPHE.search(lower):
        head, tail = _APOSTROPHE.split(lower, maxsplit=1)
        if tail == "t" and head.endswith("n"):
            head, negated = CONTRACTIONS.get(head[:-1], head[:-1]), True
        lower = head
    parts = _HYPHEN.split(lower)
    words = parts if any(part.isdigit() for part in parts) else ["".join(parts)]
    for item in words:
        for piece in ABBREVIATIONS.get(item, (item,)):
            if not piece:
                continue
            if piece in NEGATORS:
                yield Token(NEGATOR_STEMS.get(piece, "not"), piece, start, end, negator=True)
            elif piece in STOP_WORDS:
                yield Token(piece, piece, start, end, function=True)
            else:
                yield Token(stem(piece) if synonyms else raw_stem(piece), piece, start, end)
    if negated:
        yield Token("not", "not", start, end, negator=True)


def tokenize(text: str, offset: int = 0, synonyms: bool = True) -> tuple[Token, ...]:
    """The tokens of ``text``; their offsets are shifted by ``offset``.

    ``synonyms``: fold the field's synonyms (bank rubrics); without, stems are plain Snowball stems.
    """
    found: list[Token] = []
    for match in _WORD.finditer(text):
        found.extend(_word_tokens(match.group(0), offset + match.start(), offset + match.end(), synonyms))
    for index, token in enumerate(found):
        if token.stem != "he":
            continue
        follower = found[index + 1].stem if index + 1 < len(found) else ""
        capital = index > 0 and text[token.start - offset] == "H"
        if capital or follower.startswith(_HE_FOLLOWERS):
            found[index] = Token("kaiming", "kaiming", token.start, token.end)
    return tuple(found)


def stems_of(text: str, synonyms: bool = True) -> tuple[str, ...]:
    """Stems of the content words of a short text (a cue, a key point), in order."""
    return tuple(token.stem for token in tokenize(text, synonyms=synonyms) if token.content)


NEGATION_SCOPE = 3
"""A negator denies the next three content words of its clause."""

_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\u2013\u2014]|\s-\s")
CLAUSE_WORDS = frozenset(
    (
        "but",
        "although",
        "though",
        "whereas",
        "while",
        "however",
        "yet",
        "instead",
        "and",
        "so",
        "because",
        "which",
        "that",
        "then",
        "since",
        "thus",
        "hence",
        "therefore",
        "who",
        "where",
        "when",
        "whereby",
        "unlike",
    )
)


_SUBJECTS = frozenset(
    ("it", "they", "this", "these", "we", "he", "she", "there", "i", "you", "one", "its", "their")
)
_NEGATION_BREAK = re.compile(r"[;:()\[\]\u2013\u2014]|\s-\s")


_OPERATORS = frozenset("=+-*/^×·<>")


def _outside_formulas(text: str, start: int, end: int, brackets: list[bool]) -> str:
    """``text[start:end]`` without what sits inside a formula's brackets, ``brackets`` being the stack
    of open brackets before ``start`` (True: a parenthetical remark, whose brackets break clauses).

    A bracket opened right after a word or an operator ("tp/(tp+fp)", "f(x, y)", "= [2, 0]") belongs
    to a formula: neither it nor the commas inside it start a clause. One opened after a space
    ("dropout (which ...)") is a remark and does."""
    kept: list[str] = []
    for position in range(start, end):
        char = text[position]
        if char in "([":
            previous = position - 1
            while previous >= 0 and text[previous] in " \t":
                previous -= 1
            glued = previous == position - 1
            formula = previous >= 0 and (glued or text[previous] in _OPERATORS) and text[previous] != "\n"
            brackets.append(not formula)
            kept.append(char if not formula else " ")
        elif char in ")]":
            remark = brackets.pop() if brackets else True
            kept.append(char if remark else " ")
        elif brackets and not brackets[-1]:
            kept.append(" ")
        else:
            kept.append(char)
    return "".join(kept)


def scopes(tokens: tuple[Token, ...], text: str, offset: int = 0) -> tuple[tuple[bool, ...], tuple[int, ...]]:
    """Per token: whether a negator denies it, and the number of its clause.

    A clause starts at a comma, bracket, dash or linking word ("but", "and", "which"...), but not
    inside a formula's brackets ("tp/(tp+fp)", "[2.0, 0, 4.5]": see :func:`_outside_formulas`). A negator
    denies the next :data:`NEGATION_SCOPE` content words up to a linking word, a stronger break than a
    comma, or a comma before a new subject ("nothing to do with subnetworks, averaging or ensembles"
    denies all three; "not weights, it zeroes activations" denies only "weights").
    ``text`` is the string the token offsets point into, less ``offset``.
    """
    clauses: list[int] = []
    breaks: list[bool] = []
    clause = 0
    brackets: list[bool] = []
    for index, token in enumerate(tokens):
        strong = False
        if index:
            start = tokens[index - 1].end - offset
            between = _outside_formulas(text, start, token.start - offset, brackets)
            linking = token.word in CLAUSE_WORDS
            new_subject = token.word in _SUBJECTS and "," in between
            strong = linking or new_subject or bool(_NEGATION_BREAK.search(between))
            if strong or _CLAUSE_BREAK.search(between):
                clause += 1
        clauses.append(clause)
        breaks.append(strong)
    negated = [False] * len(tokens)
    for index, token in enumerate(tokens):
        if not token.negator or (index + 1 < len(tokens) and tokens[index + 1].word in NOT_NEGATING_AFTER):
            continue
        remaining = NEGATION_SCOPE
        for follower in range(index + 1, len(tokens)):
            if breaks[follower]:
                break
            if tokens[follower].content:
                negated[follower] = True
                remaining -= 1
                if remaining == 0:
                    break
    return tuple(negated), tuple(clauses)


# --- segments ------------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-+*\u2022\u00b7\u25aa\u25e6\u2023]|\d{1,2}[.)]|[a-hA-H][.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|;\s*|\s+[-\u2013\u2014]{1,2}\s+|\s+\|\s+")
ABBREVIATION_WINDOW = 12
"""Characters before a full stop searched for an abbreviation (the longest, "approx.", has 7)."""
_ABBREVIATION_END = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|resp|fig|eq|no|incl|w\.p)\.$", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.!?:;]\s*$")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Spans of logical lines: a line joins the previous one when it continues a wrapped sentence."""
    start = 0
    position = 0
    previous = ""
    for line in text.split("\n"):
        begins_item = bool(_BULLET.match(line)) or not line.strip() or not line[:1].islower()
        if position > start and (begins_item or not previous.strip() or _ENDS_SENTENCE.search(previous)):
            yield start, position - 1
            start = position
        position += len(line) + 1
        previous = line
    yield start, len(text)


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    line = text[start:end]
    bullet = _BULLET.match(line)
    cursor = bullet.end() if bullet else 0
    for match in _SENTENCE_END.finditer(line, cursor):
        if _ABBREVIATION_END.search(line, max(0, match.start() - ABBREVIATION_WINDOW), match.start()):
            continue
        yield start + cursor, start + match.start()
        cursor = match.end()
    yield start + cursor, end


def segments(original: str, limit: int = MAX_SEGMENTS, synonyms: bool = True) -> list[Segment]:
    """Sentences and clauses of the response, with offsets into ``original``."""
    text = blank_markup(original[:MAX_CHARS])
    found: list[Segment] = []
    for line_start, line_end in _lines(text):
        for start, end in _pieces(text, line_start, line_end):
            tokens = tokenize(text[start:end], start, synonyms)
            for index in range(0, len(tokens), MAX_SEGMENT_WORDS):
                chunk = tokens[index : index + MAX_SEGMENT_WORDS]
                left, right = chunk[0].start, chunk[-1].end
                negated, clauses = scopes(chunk, text)
                found.append(Segment(left, right, original[left:right], chunk, negated, clauses))
                if len(found) >= limit:
                    return found
    return found
