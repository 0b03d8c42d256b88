"""GET /v1/questions/export: the bank as Moodle XML, GIFT or a QTI zip, with its media type and file name."""

import io
import zipfile

import lxml.etree as etree
import pytest

from question_bank.loader import load_bank

BANK = load_bank()


@pytest.mark.parametrize(
    ("export_format", "media_type", "filename"),
    [
        ("moodle-xml", "application/xml", "examgrader-moodle.xml"),
        ("gift", "text/plain; charset=utf-8", "examgrader-gift.txt"),
        ("qti", "application/zip", "examgrader-qti21.zip"),
    ],
)
def test_export_returns_the_file_as_an_attachment(client, export_format, media_type, filename):
    reply = client.get("/v1/questions/export", params={"format": export_format})
    assert reply.status_code == 200
    assert reply.headers["content-type"] == media_type
    assert reply.headers["content-disposition"] == f'attachment; filename="{filename}"'
    if export_format == "moodle-xml":
        quiz = etree.fromstring(reply.content)
        ids = {q.findtext("idnumber") for q in quiz.findall("question") if q.get("type") != "category"}
        assert ids == {entry.id for entry in BANK}
    elif export_format == "qti":
        names = zipfile.ZipFile(io.BytesIO(reply.content)).namelist()
        assert "imsmanifest.xml" in names and len([n for n in names if n.startswith("items/")]) == len(BANK)
    else:
        assert reply.text.startswith("$CATEGORY: $course$/top/examgrader/evaluation\n")


def test_export_of_one_topic_holds_only_that_topic(client):
    reply = client.get("/v1/questions/export", params={"format": "moodle-xml", "topic": "invariance"})
    assert reply.headers["content-disposition"] == 'attachment; filename="examgrader-invariance-moodle.xml"'
    questions = etree.fromstring(reply.content).findall("question")
    categories = [q.findtext("category/text") for q in questions if q.get("type") == "category"]
    assert categories == ["$course$/top/examgrader/invariance"]
    ids = {q.findtext("idnumber") for q in questions if q.get("type") != "category"}
    assert ids == {entry.id for entry in BANK if entry.topic.value == "invariance"}


def test_export_is_not_read_as_a_question_id(client):
    reply = client.get("/v1/questions/export")
    assert reply.status_code == 422
    assert reply.json()["error"] == {"code": "invalid_request", "message": "query.format: Field required"}
    assert client.get("/v1/questions/tangent-prop").json()["id"] == "tangent-prop"


@pytest.mark.parametrize(
    ("params", "named"),
    [({"format": "pdf"}, "query.format"), ({"format": "gift", "topic": "astrology"}, "query.topic")],
)
def test_bad_format_or_topic_is_a_422_naming_it(client, params, named):
    reply = client.get("/v1/questions/export", params=params)
    assert reply.status_code == 422
    assert reply.json()["error"]["message"].startswith(named)


def test_export_is_described_in_openapi(client):
    operation = client.get("/openapi.json").json()["paths"]["/v1/questions/export"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"format", "topic"}
    assert set(operation["responses"]["200"]["content"]) == {
        "application/xml",
        "text/plain; charset=utf-8",
        "application/zip",
    }
