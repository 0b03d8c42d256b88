"""One IMS QTI 2.1 ``assessmentItem`` per question (namespace ``imsqti_v2p1``).

An essay is an ``extendedTextInteraction`` on a single string response, scored by a person; the
model answer, key points and misconceptions are in a ``rubricBlock`` shown to scorers only. A
numeric entry has one response per part, each with its ``correctResponse``: a float answered in a
``textEntryInteraction`` and scored by ``equal`` with the absolute tolerance, or a string whose
accepted spellings are a ``mapping``. SCORE counts the parts answered right, out of MAXSCORE.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from question_bank.exports.content import grader_blocks, prompt_blocks
from question_bank.exports.markdown import add_text
from question_bank.exports.model import ExportableQuestion, NumericPart, Part, TextPart, plain_number

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QTI_SCHEMA_LOCATION = f"{QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
ESSAY_RESPONSE = "RESPONSE"
EXPECTED_LINES = 15
EXPECTED_LENGTH = 12
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_.\-]")


def sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, attributes)


def identifier(text: str) -> str:
    """A valid QTI identifier (an XML name without colons) made from ``text``."""
    cleaned = _NOT_IDENTIFIER.sub("_", text)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"Q_{cleaned}"


def response_identifier(part: Part) -> str:
    return identifier(f"RESPONSE_{part.name}")


def _value(parent: ET.Element, text: str) -> None:
    sub(parent, "value").text = text


def _declare_part(item: ET.Element, part: Part) -> None:
    base_type = "float" if isinstance(part, NumericPart) else "string"
    declaration = sub(
        item,
        "responseDeclaration",
        identifier=response_identifier(part),
        cardinality="single",
        baseType=base_type,
    )
    correct = sub(declaration, "correctResponse")
    if isinstance(part, NumericPart):
        _value(correct, plain_number(part.value))
        return
    _value(correct, part.answers[0])
    mapping = sub(declaration, "mapping", defaultValue="0")
    for spelling in part.answers:
        sub(mapping, "mapEntry", mapKey=spelling, mappedValue="1", caseSensitive="false")


def _outcome(item: ET.Element, name: str, default: str) -> None:
    declaration = sub(item, "outcomeDeclaration", identifier=name, cardinality="single", baseType="float")
    _value(sub(declaration, "defaultValue"), default)


def _add_to_score(parent: ET.Element, amount: ET.Element) -> None:
    total = sub(sub(parent, "setOutcomeValue", identifier="SCORE"), "sum")
    sub(total, "variable", identifier="SCORE")
    total.append(amount)


def _score_part(processing: ET.Element, part: Part) -> None:
    response = response_identifier(part)
    if isinstance(part, TextPart):
        _add_to_score(processing, ET.Element("mapResponse", identifier=response))
        return
    condition = sub(sub(processing, "responseCondition"), "responseIf")
    tolerance = plain_number(part.tolerance)
    equal = sub(condition, "equal", toleranceMode="absolute", tolerance=f"{tolerance} {tolerance}")
    sub(equal, "variable", identifier=response)
    sub(equal, "correct", identifier=response)
    one = ET.Element("baseValue", baseType="float")
    one.text = "1"
    _add_to_score(condition, one)


def _body(item: ET.Element, question: ExportableQuestion) -> None:
    body = sub(item, "itemBody")
    rubric = sub(body, "rubricBlock", view="scorer")
    rubric.extend(grader_blocks(question))
    body.extend(prompt_blocks(question))
    if question.is_essay:
        sub(
            body,
            "extendedTextInteraction",
            responseIdentifier=ESSAY_RESPONSE,
            expectedLines=str(EXPECTED_LINES),
        )
        return
    for part in question.parts:
        line = sub(body, "p")
        add_text(line, f"{part.label}: ")
        sub(
            line,
            "textEntryInteraction",
            responseIdentifier=response_identifier(part),
            expectedLength=str(EXPECTED_LENGTH),
        )


def assessment_item(question: ExportableQuestion) -> ET.Element:
    """The question as a QTI 2.1 ``assessmentItem`` element."""
    item = ET.Element(
        "assessmentItem",
        {
            "xmlns": QTI_NS,
            "identifier": identifier(question.id),
            "title": question.title,
            "adaptive": "false",
            "timeDependent": "false",
            f"{{{XSI_NS}}}schemaLocation": QTI_SCHEMA_LOCATION,
        },
    )
    if question.is_essay:
        sub(item, "responseDeclaration", identifier=ESSAY_RESPONSE, cardinality="single", baseType="string")
    for part in question.parts:
        _declare_part(item, part)
    _outcome(item, "SCORE", "0")
    if not question.is_essay:
        _outcome(item, "MAXSCORE", str(len(question.parts)))
    _body(item, question)
    if not question.is_essay:
        processing = sub(item, "responseProcessing")
        for part in question.parts:
            _score_part(processing, part)
    return item


def to_bytes(element: ET.Element) -> bytes:
    """A standalone XML document. Tags are written unprefixed; the root's ``xmlns`` puts them in
    the format's namespace (ElementTree cannot combine a default namespace with plain attributes)."""
    document: bytes = ET.tostring(element, encoding="UTF-8", xml_declaration=True)
    return document
