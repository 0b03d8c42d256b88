"""GIFT, Moodle's plain-text question format: one question per block, blocks apart by a blank line.

Each topic starts with a ``$CATEGORY:`` line. A question is ``::title::[html]text{answer}``: ``{}``
for an essay, ``{#value:tolerance}`` for a number (tolerance absolute), ``{=a =b}`` for a short
text answer; ``####`` inside the braces starts the general feedback. GIFT has no multi-part
question, so each part of a numeric entry is its own question, titled and numbered by its part.
Every text escapes ``~ = # { } :`` and the backslash with a backslash, and newlines as ``\\n``,
as Moodle's own GIFT export does; the ``[id:…]`` comment carries the stable id.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from question_bank.exports.content import (
    category_path,
    feedback_blocks,
    part_id,
    prompt_blocks,
    question_name,
)
from question_bank.exports.markdown import inline, to_html
from question_bank.exports.model import ExportableQuestion, NumericPart, Part, plain_number

_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "~": "\\~",
        "=": "\\=",
        "#": "\\#",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped, on one line."""
    return text.translate(_ESCAPES)


def _comment(identifier: str, tags: Sequence[str]) -> str:
    def token(kind: str, value: str) -> str:
        cleaned = " ".join(value.split()).replace("]", "\\]")
        return f"[{kind}:{cleaned}]"

    return "// " + " ".join([token("id", identifier), *(token("tag", tag) for tag in tags)])


def _answer(part: Part) -> str:
    if isinstance(part, NumericPart):
        return f"#{plain_number(part.value)}:{plain_number(part.tolerance)}"
    return " ".join(f"={escape(spelling)}" for spelling in part.answers)


def _block(identifier: str, tags: Sequence[str], name: str, html: str, answer: str, feedback: str) -> str:
    return "\n".join(
        (
            _comment(identifier, tags),
            f"::{escape(name)}::[html]{escape(html)}{{{answer}####{escape(feedback)}}}",
        )
    )


def _question(question: ExportableQuestion) -> list[str]:
    feedback = to_html(feedback_blocks(question))
    if question.is_essay:
        html = to_html(prompt_blocks(question))
        return [_block(question.id, question.tags, question_name(question), html, "", feedback)]
    blocks: list[str] = []
    for part in question.parts:
        asked = inline("p", f"Give **{part.label}**.") if len(question.parts) > 1 else None
        html = to_html([*prompt_blocks(question), *([asked] if asked is not None else [])])
        name = question_name(question, part if len(question.parts) > 1 else None)
        identifier = part_id(question, part) if len(question.parts) > 1 else question.id
        blocks.append(_block(identifier, question.tags, name, html, _answer(part), feedback))
    return blocks


def render_gift(questions: Sequence[ExportableQuestion]) -> bytes:
    """The questions as one GIFT file, a category line before each topic."""
    blocks: list[str] = []
    for topic, group in groupby(questions, key=lambda question: question.topic):
        blocks.append(f"$CATEGORY: {category_path(topic)}")
        for question in group:
            blocks.extend(_question(question))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
