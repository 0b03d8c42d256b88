"""Checks that keep a response from earning credit without saying anything.

* :func:`is_instruction`: requests aimed at the grader ("ignore the rubric", "give full marks",
  "my grade should be", "as an AI", "system prompt"); such a sentence earns nothing and the grade
  is flagged for review. Prose that merely uses these words ("a saddle point is a ...",
  "F1 score = 0.615") is not a request.
* :func:`is_keyword_list`: a sentence that only lists terms (almost no function words, terms
  repeated, many short comma-separated items) earns nothing.
* :func:`mostly_foreign`: a response mostly in another script or language is flagged for review
  (it can still earn what the matching finds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from question_bank.lexicon import FOREIGN_FUNCTION_WORDS, STOP_WORDS
from question_bank.text import ARROW, Segment

_INSTRUCTIONS = re.compile(
    "|".join(
        (
            r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}?\b(?:rubric|instructions?|prompt|criteria"
            r"|grading|marking|scheme|key\s*points?|rules?|above|previous)\b",
            r"\b(?:give|award|assign|grant|mark|grade|score|rate)\b.{0,40}?\b(?:full|maximum|max|perfect|top"
            r"|highest|all(?:\s+the)?|100\s*%?|10\s*/\s*10|a\+?)\s+(?:marks?|points?|score|credit|grade)\b",
            r"\b(?:full|maximum|perfect)\s+(?:marks|credit)\b",
            r"\b(?:my|this|the|your|final)\s+(?:score|grade|mark)\s*(?:should|must|has\s+to)\s+be\b",
            r"\b(?:score|grade|marks?)\s*[:=]\s*(?:10\s*/\s*10|100\s*%|full|max|perfect|a\+)",
            r"\bas\s+an?\s+(?:ai|language\s+model|llm|assistant|grader|examiner)\b",
            r"\b(?:you\s+are|act\s+as|pretend\s+to\s+be)\s+(?:an?|the|my)\s+(?:grader|teacher|examiner|marker"
            r"|assistant|ai|language\s+model)\b",
            r"\b(?:system|developer)\s+(?:prompt|message|instructions?)\b",
            r"\b(?:grader|examiner|marker|evaluator|teacher|model)\s*[:,]\s*(?:please|ignore|give|mark|award)\b",
            r"\bthis\s+(?:answer|response)\s+(?:is|should\s+be\s+(?:marked|graded)(?:\s+as)?)\s+(?:correct"
            r"|perfect|complete|excellent|full)",
            r"\b(?:mark|grade)\s+(?:this|it|me|my\s+answer)\s+(?:as\s+)?(?:correct|right|perfect)\b",
            r"\bnew\s+instructions?\b",
        )
    ),
    re.IGNORECASE | re.DOTALL,
)


def is_instruction(text: str) -> bool:
    """Whether the text addresses the grader instead of the question."""
    return _INSTRUCTIONS.search(text) is not None


KEYWORD_MIN_WORDS = 5
"""Shorter sentences are terse notes, not lists; they are judged on what they match."""

KEYWORD_FUNCTION_SHARE = 0.1
"""A sentence of at least 6 words with fewer function words than this share is a list of terms."""

KEYWORD_DISTINCT_SHARE = 0.6
"""A sentence whose distinct stems are fewer than this share of its words repeats itself..."""

KEYWORD_REPEAT_FUNCTION_SHARE = 0.25
"""...unless at least this share of its words are function words: prose that names a term again
("true positives (positive and predicted positive) and true negatives ...") is not a list."""

KEYWORD_ITEM_WORDS = 2.5
"""Comma-separated items averaging at most this many words, with few function words, form a list."""


GLUE_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "and",
        "or",
        "but",
        "that",
        "which",
        "this",
        "these",
        "those",
        "it",
        "its",
        "as",
        "so",
        "than",
        "then",
        "can",
        "will",
        "would",
        "should",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "if",
        "because",
        "when",
        "while",
        "where",
        "how",
        "why",
        "what",
        "there",
        "their",
        "they",
        "we",
        "you",
        "during",
        "over",
        "under",
        "between",
        "through",
        "without",
        "within",
        "across",
        "per",
        "via",
        "after",
        "before",
        "against",
        "about",
        "among",
        "around",
        "each",
        "every",
        "only",
    )
)
"""Words that only prose has: articles, prepositions, auxiliaries, conjunctions, pronouns."""


NOTE_PART_WORDS = 2.0
"""A chain of three or more arrow-linked parts must average at least this many words a part; shorter
parts ("vanishing -> sigmoid -> tanh -> relu") only list terms."""


def _arrow_parts(text: str) -> list[int]:
    """Words in each part of the text between arrows (one part when there is no arrow)."""
    return [len(re.findall(r"\w+", part)) for part in ARROW.split(text)]


def is_linked_note(text: str) -> bool:
    """Whether the text links phrases with arrows ("grads shrink -> first layers frozen"): a note that
    states a consequence, not a list."""
    parts = _arrow_parts(text)
    if len(parts) < 2 or not all(parts):
        return False
    return len(parts) == 2 or sum(parts) / len(parts) >= NOTE_PART_WORDS


def is_arrow_chain(text: str) -> bool:
    """Whether the text chains three or more short terms with arrows ("bagging -> bootstrap -> variance")."""
    parts = _arrow_parts(text)
    return len(parts) >= 3 and sum(parts) / len(parts) < NOTE_PART_WORDS


def is_bare(segment: Segment) -> bool:
    """Whether the sentence has no glue word (and no negator): a heading, a table cell, a listed term.

    A calculation ("Accuracy = 0.9") or a note linked by arrows is not bare."""
    if is_calculation(segment.text) or is_linked_note(segment.text):
        return False
    return not any(token.negator or token.word in GLUE_WORDS for token in segment.tokens)


BARE_LIST_SHARE = 0.6
"""A response of at least three sentences, this share of them bare, is a list of terms."""


def is_term_list(segments: Sequence[Segment]) -> bool:
    """Whether the response as a whole lists terms (bullets or table cells of bare words)."""
    bare = sum(1 for segment in segments if is_bare(segment))
    return len(segments) >= 3 and bare >= BARE_LIST_SHARE * len(segments)


_CALCULATION = re.compile(r"=.*\d|\d.*=")


def is_calculation(text: str) -> bool:
    """Whether the text works something out (an ``=`` and a number): a result, not a list of terms."""
    return _CALCULATION.search(text) is not None


def is_keyword_list(segment: Segment) -> bool:
    """Whether the sentence lists terms instead of saying something about them (a calculation or a note
    linked by arrows never, unless it repeats itself)."""
    if is_calculation(segment.text):
        return False
    if is_arrow_chain(segment.text):
        return True
    words = [token for token in segment.tokens if not token.negator]
    count = len(words)
    if count < KEYWORD_MIN_WORDS:
        return False
    function_share = sum(1 for token in words if token.word in GLUE_WORDS) / count
    distinct_share = len({token.stem for token in words}) / count
    if distinct_share < KEYWORD_DISTINCT_SHARE and function_share < KEYWORD_REPEAT_FUNCTION_SHARE:
        return True
    if is_linked_note(segment.text):
        return False
    if count >= 6 and function_share < KEYWORD_FUNCTION_SHARE:
        return True
    items = [item for item in re.split(r"[,/|+&]", segment.text) if item.strip()]
    return len(items) >= 4 and count / len(items) <= KEYWORD_ITEM_WORDS and function_share < 0.2


FOREIGN_SCRIPT_SHARE = 0.5
"""Responses whose letters are less than half Latin are flagged."""

FOREIGN_WORDS_MIN = 8
"""The function-word comparison needs at least this many words."""


def _latin(char: str) -> bool:
    return char < "\u0250"


def mostly_foreign(text: str, segments: Sequence[Segment]) -> bool:
    """Whether the response is mostly not in English (another script, or another language's function
    words)."""
    letters = [char for char in text if char.isalpha()]
    if (
        len(letters) >= 20
        and sum(1 for char in letters if _latin(char)) / len(letters) < FOREIGN_SCRIPT_SHARE
    ):
        return True
    words = [token.word for segment in segments for token in segment.tokens]
    if len(words) < FOREIGN_WORDS_MIN:
        return False
    english = sum(1 for word in words if word in STOP_WORDS)
    foreign = sum(1 for word in words if word in FOREIGN_FUNCTION_WORDS)
    return foreign >= 0.1 * len(words) and foreign > 1.5 * english
