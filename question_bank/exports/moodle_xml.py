"""Moodle XML (``<quiz>``): a category question per topic, then that topic's questions.

Conceptual entries are ``essay`` questions (graded by hand; the model answer, key points and
misconceptions go to ``graderinfo``). A numeric entry with one numeric part is ``numerical``, with
one text part ``shortanswer``, and with several parts ``cloze`` (embedded answers, one
``{1:NUMERICAL:=value:tolerance}`` per part). Moodle tolerances are absolute: value ± tolerance.
HTML goes into CDATA sections; a ``]]>`` inside is split across two sections.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from xml.sax.saxutils import escape

from question_bank.exports.content import (
    category_path,
    feedback_blocks,
    grader_blocks,
    prompt_blocks,
    question_name,
)
from question_bank.exports.markdown import add_text, inline, to_html
from question_bank.exports.model import ExportableQuestion, NumericPart, Part, TextPart, plain_number

RESPONSE_LINES = 15
NUMERICAL_PENALTY = "0.3333333"


def _text(value: str) -> str:
    return f"<text>{escape(value)}</text>"


def cdata_text(value: str) -> str:
    return "<text><![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]></text>"


def _element(tag: str, value: str | int | float) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>"


def _category(topic: str) -> str:
    return "\n".join(
        (
            '  <question type="category">',
            f"    <category>{_text(category_path(topic))}</category>",
            f'    <info format="html">{cdata_text(f"<p>Questions on {escape(topic)}.</p>")}</info>',
            "  </question>",
        )
    )


def _header(question: ExportableQuestion, qtype: str, question_html: str, grade: bool = True) -> list[str]:
    lines = [
        f'  <question type="{qtype}">',
        f"    <name>{_text(question_name(question))}</name>",
        f'    <questiontext format="html">{cdata_text(question_html)}</questiontext>',
        f'    <generalfeedback format="html">{cdata_text(to_html(feedback_blocks(question)))}</generalfeedback>',
    ]
    if grade:  # Moodle leaves the grade of a cloze question to its parts
        lines.append("    <defaultgrade>1</defaultgrade>")
    lines += [
        f"    <penalty>{NUMERICAL_PENALTY if qtype != 'essay' else 0}</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{escape(question.id)}</idnumber>",
    ]
    return lines


def _tags(question: ExportableQuestion) -> list[str]:
    if not question.tags:
        return []
    return ["    <tags>", *(f"      <tag>{_text(tag)}</tag>" for tag in question.tags), "    </tags>"]


def _essay(question: ExportableQuestion) -> list[str]:
    return [
        *_header(question, "essay", to_html(prompt_blocks(question))),
        "    <responseformat>editor</responseformat>",
        "    <responserequired>1</responserequired>",
        f"    <responsefieldlines>{RESPONSE_LINES}</responsefieldlines>",
        "    <attachments>0</attachments>",
        "    <attachmentsrequired>0</attachmentsrequired>",
        f'    <graderinfo format="html">{cdata_text(to_html(grader_blocks(question)))}</graderinfo>',
        '    <responsetemplate format="html"><text></text></responsetemplate>',
    ]


def _answer(text: str, extra: str = "") -> str:
    return (
        f'    <answer fraction="100" format="moodle_auto_format">{_text(text)}'
        f'<feedback format="html"><text></text></feedback>{extra}</answer>'
    )


def _numerical(question: ExportableQuestion, part: NumericPart) -> list[str]:
    return [
        *_header(question, "numerical", to_html(prompt_blocks(question))),
        _answer(plain_number(part.value), _element("tolerance", plain_number(part.tolerance))),
        "    <unitgradingtype>0</unitgradingtype>",
        "    <showunits>3</showunits>",
        "    <unitsleft>0</unitsleft>",
    ]


def _shortanswer(question: ExportableQuestion, part: TextPart) -> list[str]:
    return [
        *_header(question, "shortanswer", to_html(prompt_blocks(question))),
        "    <usecase>0</usecase>",
        *(_answer(spelling) for spelling in part.answers),
    ]


def cloze_escape(text: str) -> str:
    """Escape what ends or splits a cloze answer: ``} # ~ / " \\``."""
    return "".join(f"\\{char}" if char in '}#~/"\\' else char for char in text)


def cloze_code(part: Part, weight: int = 1) -> str:
    """The embedded sub-question of one part, e.g. ``{1:NUMERICAL:=0.5:0.005}`` (1 = its weight)."""
    if isinstance(part, NumericPart):
        return f"{{{weight}:NUMERICAL:={plain_number(part.value)}:{plain_number(part.tolerance)}}}"
    spellings = "~".join(f"={cloze_escape(spelling)}" for spelling in part.answers)
    return f"{{{weight}:SHORTANSWER:{spellings}}}"


def _cloze(question: ExportableQuestion) -> list[str]:
    blocks = prompt_blocks(question)
    for part in question.parts:
        line = inline("p", f"{part.label}: ")
        add_text(line, cloze_code(part))
        blocks.append(line)
    return _header(question, "cloze", to_html(blocks), grade=False)


def _question(question: ExportableQuestion) -> str:
    if question.is_essay:
        lines = _essay(question)
    elif len(question.parts) > 1:
        lines = _cloze(question)
    elif isinstance(part := question.parts[0], NumericPart):
        lines = _numerical(question, part)
    else:
        assert isinstance(part, TextPart)
        lines = _shortanswer(question, part)
    return "\n".join([*lines, *_tags(question), "  </question>"])


def render_moodle_xml(questions: Sequence[ExportableQuestion]) -> bytes:
    """The questions as one Moodle XML file, grouped by topic in the order given."""
    chunks = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for topic, group in groupby(questions, key=lambda question: question.topic):
        chunks.append(_category(topic))
        chunks.extend(_question(question) for question in group)
    chunks.append("</quiz>\n")
    return "\n".join(chunks).encode("utf-8")
