"""The texts every format shows, as XHTML elements: question, feedback for students, notes for graders."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from question_bank.exports.markdown import inline, render
from question_bank.exports.model import ExportableQuestion, Part

CATEGORY_ROOT = "examgrader"


def category_path(topic: str) -> str:
    """The LMS category of a topic, below the course's top category."""
    return f"$course$/top/{CATEGORY_ROOT}/{topic}"


def question_name(question: ExportableQuestion, part: Part | None = None) -> str:
    return question.title if part is None else f"{question.title} — {part.label}"


def part_id(question: ExportableQuestion, part: Part) -> str:
    return f"{question.id}.{part.name}"


def prompt_blocks(question: ExportableQuestion) -> list[ET.Element]:
    """The question as asked, with how to type the answers when it has parts."""
    blocks = render(question.prompt)
    blocks.extend(inline("p", note) for note in question.instructions)
    return blocks


def _bullets(items: list[str]) -> ET.Element:
    listing = ET.Element("ul")
    listing.extend(inline("li", item) for item in items)
    return listing


def feedback_blocks(question: ExportableQuestion) -> list[ET.Element]:
    """What a student sees after answering: the model answer and the conventions it assumes."""
    blocks = render(question.model_answer)
    if question.conventions:
        blocks.append(inline("p", "**Conventions assumed**"))
        blocks.append(_bullets(list(question.conventions)))
    return blocks


def grader_blocks(question: ExportableQuestion) -> list[ET.Element]:
    """What a grader needs: the model answer, weighted key points and the usual mistakes."""
    blocks = [inline("p", "**Model answer**"), *render(question.model_answer)]
    if question.key_points:
        blocks.append(inline("p", "**Key points** (weight in brackets)"))
        blocks.append(_bullets([f"{point.text} ({point.weight:g})" for point in question.key_points]))
    if question.misconceptions:
        blocks.append(inline("p", "**Common misconceptions**"))
        blocks.append(_bullets([f"{m.text} — {m.feedback}" for m in question.misconceptions]))
    return blocks
