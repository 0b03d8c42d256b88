"""Export the bank (or one topic of it) to a file: the formats, their media types, one entry point."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from question_bank.exports.gift import render_gift
from question_bank.exports.model import ExportableQuestion, Solve, exportables
from question_bank.exports.moodle_xml import render_moodle_xml
from question_bank.exports.qti_package import render_qti
from question_bank.loader import QuestionBank
from question_bank.models import Topic
from solvers.errors import UnknownQuestion
from solvers.route import solve_question


class ExportFormat(StrEnum):
    MOODLE_XML = "moodle-xml"
    GIFT = "gift"
    QTI = "qti"


@dataclass(frozen=True)
class Exporter:
    render: Callable[[Sequence[ExportableQuestion]], bytes]
    media_type: str
    suffix: str  # file name ending


EXPORTERS: dict[ExportFormat, Exporter] = {
    ExportFormat.MOODLE_XML: Exporter(render_moodle_xml, "application/xml", "moodle.xml"),
    ExportFormat.GIFT: Exporter(render_gift, "text/plain; charset=utf-8", "gift.txt"),
    ExportFormat.QTI: Exporter(render_qti, "application/zip", "qti21.zip"),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str
    questions: int


def export_bank(
    bank: QuestionBank, export_format: ExportFormat, topic: Topic | None = None, solve: Solve = solve_question
) -> ExportFile:
    """The bank's questions (grouped by topic, then by id) in ``export_format``.

    Raises :class:`UnknownQuestion` when the topic has no questions.
    """
    entries = [
        entry
        for group_topic, group in bank.by_topic().items()
        if topic is None or group_topic is topic
        for entry in group
    ]
    if not entries:
        raise UnknownQuestion(f"the question bank has no questions on the topic {topic}")
    exporter = EXPORTERS[export_format]
    stem = "examgrader" if topic is None else f"examgrader-{topic.value}"
    content = exporter.render(exportables(entries, solve))
    return ExportFile(content, exporter.media_type, f"{stem}-{exporter.suffix}", len(entries))
