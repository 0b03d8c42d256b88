"""An IMS QTI 2.1 content package: a zip of item files, a test over them, and ``imsmanifest.xml``.

The manifest (IMS Content Packaging 1.1) lists each item as a resource of type
``imsqti_item_xmlv2p1`` with its ``href`` and ``file``, and the ``assessmentTest`` (one section per
topic) as ``imsqti_test_xmlv2p1`` depending on every item. Entries are written in a fixed order
with a fixed date, so the same bank always gives the same bytes.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from itertools import groupby

from question_bank.exports.model import ExportableQuestion
from question_bank.exports.qti_item import (
    QTI_NS,
    QTI_SCHEMA_LOCATION,
    XSI_NS,
    assessment_item,
    identifier,
    sub,
    to_bytes,
)

CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_SCHEMA_LOCATION = f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
MANIFEST = "imsmanifest.xml"
TEST_FILE = "assessmentTest.xml"
TEST_IDENTIFIER = "examgrader-bank"
ITEM_TYPE = "imsqti_item_xmlv2p1"
TEST_TYPE = "imsqti_test_xmlv2p1"
FIXED_DATE = (2020, 1, 1, 0, 0, 0)


def item_href(question: ExportableQuestion) -> str:
    return f"items/{identifier(question.id)}.xml"


def _resource_id(question: ExportableQuestion) -> str:
    return f"RES-{identifier(question.id)}"


def assessment_test(questions: Sequence[ExportableQuestion]) -> ET.Element:
    """A test with one visible section per topic, referring to every item."""
    test = ET.Element(
        "assessmentTest",
        {
            "xmlns": QTI_NS,
            "identifier": TEST_IDENTIFIER,
            "title": "examgrader question bank",
            f"{{{XSI_NS}}}schemaLocation": QTI_SCHEMA_LOCATION,
        },
    )
    part = sub(test, "testPart", identifier="PART-1", navigationMode="nonlinear", submissionMode="individual")
    for topic, group in groupby(questions, key=lambda question: question.topic):
        section = sub(part, "assessmentSection", identifier=identifier(f"SECTION-{topic}"), title=topic)
        section.set("visible", "true")
        for question in group:
            sub(section, "assessmentItemRef", identifier=identifier(question.id), href=item_href(question))
    return test


def manifest(questions: Sequence[ExportableQuestion]) -> bytes:
    """``imsmanifest.xml``: the test and every item as resources."""
    root = ET.Element(
        "manifest",
        {
            "xmlns": CP_NS,
            "identifier": f"MANIFEST-{TEST_IDENTIFIER}",
            f"{{{XSI_NS}}}schemaLocation": CP_SCHEMA_LOCATION,
        },
    )
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "QTIv2.1 Package"
    ET.SubElement(metadata, "schemaversion").text = "1.0.0"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    test = ET.SubElement(resources, "resource", identifier="RES-TEST", type=TEST_TYPE, href=TEST_FILE)
    ET.SubElement(test, "file", href=TEST_FILE)
    for question in questions:
        ET.SubElement(test, "dependency", identifierref=_resource_id(question))
    for question in questions:
        resource = ET.SubElement(
            resources,
            "resource",
            identifier=_resource_id(question),
            type=ITEM_TYPE,
            href=item_href(question),
        )
        ET.SubElement(resource, "file", href=item_href(question))
    return to_bytes(root)


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    archive.writestr(zipfile.ZipInfo(name, FIXED_DATE), data, compress_type=zipfile.ZIP_DEFLATED)


def render_qti(questions: Sequence[ExportableQuestion]) -> bytes:
    """The questions as a QTI 2.1 package (zip bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write(archive, MANIFEST, manifest(questions))
        _write(archive, TEST_FILE, to_bytes(assessment_test(questions)))
        for question in questions:
            _write(archive, item_href(question), to_bytes(assessment_item(question)))
    return buffer.getvalue()
