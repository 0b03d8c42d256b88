"""Exports of the bank: Moodle XML, GIFT and QTI 2.1, each parsed back and checked against the bank."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import lxml.etree as etree
import lxml.html
import pytest

from question_bank.exports.bundle import ExportFormat, export_bank
from question_bank.exports.gift import render_gift
from question_bank.exports.markdown import markdown_html
from question_bank.exports.model import (
    ExportableQuestion,
    KeyPointText,
    NumericPart,
    TextPart,
    exportable,
    exportables,
    plain_number,
    shape_spellings,
    tolerance_for,
)
from question_bank.exports.moodle_xml import cdata_text, render_moodle_xml
from question_bank.exports.qti_package import render_qti
from question_bank.loader import QuestionBank, load_bank
from question_bank.models import Topic
from solvers.errors import UnknownQuestion
from solvers.route import solve_as, solve_question

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
BANK = load_bank()
CONCEPTUAL = {entry.id for entry in BANK if entry.solver is None}
NUMERIC = [entry for entry in BANK if entry.solver is not None]
HOSTILE_TITLE = "Ratio:: {a} = b # ~c \\ d & <b>bold</b> ]]> end"
HOSTILE_TEXT = "Explain ]]> and <script>alert(1)</script> & {x} = 1 # not a comment"


def solver_values(entry_id: str) -> dict[str, object]:
    """The asked answers as the solver of the entry's declared kind gives them."""
    entry = BANK.get(entry_id)
    assert entry is not None and entry.solver is not None
    solution = solve_as(entry.solver.kind, entry.prompt).solution
    return {name: solution.answer[name] for name in solution.asked}


def expected_numbers(entry_id: str) -> dict[str, float]:
    """Part name → value, vectors split into name_1, name_2…"""
    numbers: dict[str, float] = {}
    for name, value in solver_values(entry_id).items():
        if isinstance(value, list) and all(isinstance(item, int | float) for item in value):
            numbers.update({f"{name}_{i}": float(item) for i, item in enumerate(value, start=1)})
        elif isinstance(value, int | float):
            numbers[name] = float(value)
    return numbers


def hostile_question() -> ExportableQuestion:
    return ExportableQuestion(
        id="hostile-text",
        title=HOSTILE_TITLE,
        topic="evaluation",
        tags=("odd]tag",),
        prompt=HOSTILE_TEXT,
        model_answer=HOSTILE_TEXT,
        key_points=(KeyPointText("A point with <tags> & ]]>", 1.0),),
    )


@pytest.fixture(scope="module")
def moodle() -> etree._Element:
    return etree.fromstring(export_bank(BANK, ExportFormat.MOODLE_XML).content)


# --- the exportable model --------------------------------------------------------------------------


def test_tolerances_are_one_percent_absolute_and_never_zero():
    assert tolerance_for(0.9) == pytest.approx(0.009)
    assert tolerance_for(-250.0) == pytest.approx(2.5)
    assert tolerance_for(0.0) > 0


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.9, "0.9"), (2.0, "2"), (1e-08, "0.00000001"), (1234567.0, "1234567"), (-0.5, "-0.5")],
)
def test_numbers_are_written_plainly(value, text):
    assert plain_number(value) == text
    assert float(plain_number(value)) == value


def test_shape_spellings_cover_the_usual_forms():
    assert shape_spellings(["n", "m"])[:2] == ("n × m", "n x m")
    assert {"(n, m)", "n by m", "nxm"} <= set(shape_spellings(["n", "m"]))


def test_every_entry_becomes_one_question_and_numeric_parts_hold_the_solvers_values():
    questions = {q.id: q for q in exportables(BANK)}
    assert set(questions) == {entry.id for entry in BANK}
    assert {q.id for q in questions.values() if q.is_essay} == CONCEPTUAL
    for entry in NUMERIC:
        parts = questions[entry.id].parts
        numbers = {p.name: p.value for p in parts if isinstance(p, NumericPart)}
        assert numbers == expected_numbers(entry.id)
        assert all(p.tolerance > 0 for p in parts if isinstance(p, NumericPart))
    dropout = questions["dropout-mask-activations"]
    assert [p.name for p in dropout.parts] == [f"output_{i}" for i in range(1, 6)]
    shape = questions["gradient-shape-scalar-wrt-matrix"].parts
    assert len(shape) == 1 and isinstance(shape[0], TextPart) and "n x m" in shape[0].answers


def test_an_undefined_answer_becomes_the_word_undefined():
    entry = BANK.get("confusion-matrix-metrics-cancer")
    assert entry is not None
    question = "A confusion matrix has TP = 0, FP = 0, FN = 10, TN = 90. What is the precision?"
    exported = exportable(entry, solve_question(question).solution)
    assert exported.parts == (TextPart("precision", "Precision", ("undefined",)),)


def test_a_topic_without_questions_is_a_typed_error():
    only_gradients = QuestionBank(entry for entry in BANK if entry.topic is Topic.GRADIENTS)
    with pytest.raises(UnknownQuestion, match="no questions on the topic evaluation"):
        export_bank(only_gradients, ExportFormat.GIFT, Topic.EVALUATION)


# --- Markdown to HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("**bold** and *it*", "<p><strong>bold</strong> and <em>it</em></p>"),
        ("x $a*b*c$ y", "<p>x \\(a*b*c\\) y</p>"),
        ("$$\nx < y & z\n$$", "<p>\\[x &lt; y &amp; z\\]</p>"),
        ("- one\n  more\n- two", "<ul><li>one\nmore</li><li>two</li></ul>"),
        ("1. a\n\n2. b", "<ol><li>a</li><li>b</li></ol>"),
        ("## Head", "<h2>Head</h2>"),
        (
            "| | A |\n| :-- | :-: |\n| r | 1 |",
            "<table><thead><tr><th></th><th>A</th></tr></thead>"
            "<tbody><tr><td>r</td><td>1</td></tr></tbody></table>",
        ),
        ("use `x<y`", "<p>use <code>x&lt;y</code></p>"),
        ("a $$ never closed", "<p>a $$ never closed</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("bell\x07 char", "<p>bell char</p>"),
    ],
)
def test_markdown_renders_what_the_bank_uses(markdown, html):
    assert markdown_html(markdown) == html


# --- Moodle XML ------------------------------------------------------------------------------------


def test_moodle_quiz_has_a_category_per_topic_then_its_questions(moodle):
    assert moodle.tag == "quiz"
    questions = moodle.findall("question")
    topics = [topic.value for topic in BANK.by_topic()]
    assert len(questions) == len(BANK) + len(topics)
    current = None
    seen_categories = []
    for question in questions:
        if question.get("type") == "category":
            current = question.findtext("category/text").rsplit("/", 1)[1]
            assert question.findtext("category/text") == f"$course$/top/examgrader/{current}"
            seen_categories.append(current)
            continue
        entry = BANK.get(question.findtext("idnumber"))
        assert entry is not None and entry.topic.value == current
        assert question.findtext("name/text") == entry.title
    assert seen_categories == topics


def test_moodle_question_types_and_fields(moodle):
    by_id = {q.findtext("idnumber"): q for q in moodle.findall("question") if q.get("type") != "category"}
    assert len(by_id) == len(BANK)
    for question_id, question in by_id.items():
        assert question.find("questiontext").get("format") == "html"
        assert question.findtext("questiontext/text").strip()
        assert question.findtext("generalfeedback/text").strip()
        expected_type = "essay" if question_id in CONCEPTUAL else None
        if expected_type:
            assert question.get("type") == "essay"
            assert question.findtext("responseformat") == "editor"
            assert question.findtext("defaultgrade") == "1"
            grader = lxml.html.fragment_fromstring(question.findtext("graderinfo/text"), create_parent="div")
            grader_text = " ".join(grader.text_content().split())
            entry = BANK.get(question_id)
            assert entry is not None
            for point in entry.key_points:
                assert " ".join(point.text.split()) in grader_text
    assert by_id["confusion-matrix-metrics-cancer"].get("type") == "cloze"
    assert by_id["dropout-mask-activations"].get("type") == "cloze"
    assert by_id["confusion-matrix-metrics-cancer"].find("defaultgrade") is None
    shape = by_id["gradient-shape-scalar-wrt-matrix"]
    assert shape.get("type") == "shortanswer"
    assert {"n × m", "n x m", "(n, m)"} <= {a.findtext("text") for a in shape.findall("answer")}
    assert {a.get("fraction") for a in shape.findall("answer")} == {"100"}


CLOZE_NUMERICAL = re.compile(r"\{1:NUMERICAL:=([-0-9.]+):([0-9.]+)\}")


@pytest.mark.parametrize("entry_id", ["confusion-matrix-metrics-cancer", "dropout-mask-activations"])
def test_moodle_cloze_holds_one_numerical_per_asked_part_with_the_solvers_value(moodle, entry_id):
    question = next(q for q in moodle.findall("question") if q.findtext("idnumber") == entry_id)
    text = question.findtext("questiontext/text")
    codes = CLOZE_NUMERICAL.findall(text)
    expected = list(expected_numbers(entry_id).values())
    assert [float(value) for value, _ in codes] == expected
    assert all(float(tolerance) > 0 for _, tolerance in codes)
    for (_, tolerance), exact in zip(codes, expected, strict=True):
        assert float(tolerance) == pytest.approx(tolerance_for(exact))
    html = lxml.html.fragment_fromstring(text, create_parent="div")
    if entry_id == "confusion-matrix-metrics-cancer":
        rows = html.findall(".//table/tbody/tr")
        assert [[cell.text for cell in row] for row in rows] == [
            ["Predicted: Cancer", "80", "80"],
            ["Predicted: No Cancer", "20", "820"],
        ]


def test_a_single_valued_numeric_question_is_a_moodle_numerical():
    entry = BANK.get("confusion-matrix-metrics-cancer")
    assert entry is not None
    one = entry.model_copy(update={"prompt": "TP = 80, FP = 80, FN = 20, TN = 820. What is the F1 score?"})
    question = exportable(one, solve_question(one.prompt).solution)
    root = etree.fromstring(render_moodle_xml([question]))
    numerical = root.findall("question")[1]
    assert numerical.get("type") == "numerical"
    (answer,) = numerical.findall("answer")
    assert answer.get("fraction") == "100"
    assert float(answer.findtext("text")) == 8 / 13
    assert float(answer.findtext("tolerance")) == pytest.approx(0.01 * 8 / 13, rel=1e-5)


@pytest.mark.parametrize("html", ["a]]>b", "]]>", "x]]]]>y", "<p>&amp;</p>"])
def test_cdata_sections_split_around_their_end_marker(html):
    assert etree.fromstring(cdata_text(html)).text == html


def test_moodle_survives_hostile_text():
    raw = render_moodle_xml([hostile_question()])
    root = etree.fromstring(raw)
    question = root.findall("question")[1]
    assert question.findtext("name/text") == HOSTILE_TITLE
    html = lxml.html.fragment_fromstring(question.findtext("questiontext/text"), create_parent="div")
    assert html.find(".//script") is None
    assert html.text_content() == HOSTILE_TEXT
    grader = lxml.html.fragment_fromstring(question.findtext("graderinfo/text"), create_parent="div")
    assert "A point with <tags> & ]]>" in grader.text_content()


# --- GIFT ------------------------------------------------------------------------------------------


@dataclass
class GiftQuestion:
    comments: list[str]
    title: str
    text: str
    answer: str
    feedback: str


def _unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following == "n" else following)
        else:
            out.append(char)
    return "".join(out)


def _unescaped_positions(text: str, token: str) -> list[int]:
    positions, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(token, index):
            positions.append(index)
            index += len(token)
            continue
        index += 1
    return positions


def _assert_escaped(text: str) -> None:
    """Moodle reads ~ = # { } : as syntax unless a backslash precedes them."""
    for special in "~=#{}:":
        assert not _unescaped_positions(text, special), f"unescaped {special!r} in {text[:60]!r}"


def read_gift(text: str) -> tuple[list[str], list[GiftQuestion]]:
    """A small GIFT reader: categories and questions (title, text, answer, general feedback)."""
    categories, questions = [], []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        comments = [line for line in lines if line.startswith("//")]
        body = "\n".join(line for line in lines if not line.startswith("//"))
        assert "\n" not in body, "one question per block, on one line"
        if body.startswith("$CATEGORY: "):
            categories.append(body.removeprefix("$CATEGORY: "))
            continue
        assert body.startswith("::")
        title_end = _unescaped_positions(body[2:], "::")[0] + 2
        rest = body[title_end + 2 :]
        assert rest.startswith("[html]")
        opening, closing = _unescaped_positions(rest, "{"), _unescaped_positions(rest, "}")
        assert len(opening) == len(closing) == 1 and closing[0] == len(rest) - 1, (
            "one answer block, at the end"
        )
        inside = rest[opening[0] + 1 : closing[0]]
        split = _unescaped_positions(inside, "####")
        answer, feedback = (inside[: split[-1]], inside[split[-1] + 4 :]) if split else (inside, "")
        title, text = body[2:title_end], rest[6 : opening[0]]
        for part in (title, text, feedback):
            _assert_escaped(part)
        questions.append(GiftQuestion(comments, _unescape(title), _unescape(text), answer, feedback))
    return categories, questions


def _gift_id(question: GiftQuestion) -> str:
    match = re.search(r"\[id:((?:\\\]|[^\]])+)\]", question.comments[0])
    assert match
    return match.group(1)


def test_gift_blocks_categories_and_answers():
    categories, questions = read_gift(export_bank(BANK, ExportFormat.GIFT).content.decode())
    assert categories == [f"$course$/top/examgrader/{topic.value}" for topic in BANK.by_topic()]
    expected_blocks = sum(max(1, len(q.parts)) for q in exportables(BANK))
    assert len(questions) == expected_blocks
    ids = [_gift_id(q) for q in questions]
    assert len(set(ids)) == len(ids)
    by_id = {_gift_id(q): q for q in questions}
    for entry_id in CONCEPTUAL:
        essay = by_id[entry_id]
        entry = BANK.get(entry_id)
        assert essay.answer == "" and essay.title == entry.title and essay.feedback
    for entry in NUMERIC:
        for name, value in expected_numbers(entry.id).items():
            question = by_id[f"{entry.id}.{name}"]
            exact, tolerance = question.answer.removeprefix("#").split(":")
            assert float(exact) == value and float(tolerance) > 0
            assert question.title.startswith(entry.title + " — ")
    shape = by_id["gradient-shape-scalar-wrt-matrix"]
    assert {"n × m", "n x m", "(n, m)"} <= {_unescape(a.strip()) for a in shape.answer.split("=") if a}


def test_gift_escapes_special_characters_and_survives_hostile_text():
    _, (question,) = read_gift(render_gift([hostile_question()]).decode())
    assert question.title == HOSTILE_TITLE
    assert lxml.html.fragment_fromstring(question.text, create_parent="div").text_content() == HOSTILE_TEXT
    assert question.answer == ""
    assert r"[tag:odd\]tag]" in question.comments[0]


# --- QTI 2.1 ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qti_zip() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export_bank(BANK, ExportFormat.QTI).content))


def _items(qti_zip: zipfile.ZipFile) -> dict[str, etree._Element]:
    return {
        name: etree.fromstring(qti_zip.read(name)) for name in qti_zip.namelist() if name.startswith("items/")
    }


def test_qti_manifest_lists_every_item_file_and_each_exists(qti_zip):
    manifest = etree.fromstring(qti_zip.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    items = [r for r in resources if r.get("type") == "imsqti_item_xmlv2p1"]
    assert len(items) == len(BANK)
    identifiers = [r.get("identifier") for r in resources]
    assert len(set(identifiers)) == len(identifiers)
    names = set(qti_zip.namelist())
    for resource in items:
        (file,) = resource.findall(f"{CP}file")
        assert file.get("href") == resource.get("href") and resource.get("href") in names
    assert {r.get("href") for r in items} == {n for n in names if n.startswith("items/")}
    (test,) = [r for r in resources if r.get("type") == "imsqti_test_xmlv2p1"]
    assert {d.get("identifierref") for d in test.findall(f"{CP}dependency")} == {
        r.get("identifier") for r in items
    }


def test_qti_items_are_namespaced_with_unique_identifiers(qti_zip):
    items = _items(qti_zip)
    identifiers = [item.get("identifier") for item in items.values()]
    assert sorted(identifiers) == sorted(entry.id for entry in BANK)
    for item in items.values():
        assert item.tag == f"{QTI}assessmentItem"
        assert item.get("adaptive") == "false" and item.get("timeDependent") == "false"
        assert all(el.tag.startswith(QTI) for el in item.iter() if isinstance(el.tag, str))
        assert item.find(f"{QTI}itemBody/{QTI}rubricBlock").get("view") == "scorer"


def test_qti_essays_take_extended_text_with_the_model_answer_for_scorers(qti_zip):
    items = {item.get("identifier"): item for item in _items(qti_zip).values()}
    for entry_id in CONCEPTUAL:
        item = items[entry_id]
        (declaration,) = item.findall(f"{QTI}responseDeclaration")
        assert (declaration.get("cardinality"), declaration.get("baseType")) == ("single", "string")
        interaction = item.find(f"{QTI}itemBody/{QTI}extendedTextInteraction")
        assert interaction.get("responseIdentifier") == declaration.get("identifier")
        rubric = " ".join("".join(item.find(f"{QTI}itemBody/{QTI}rubricBlock").itertext()).split())
        entry = BANK.get(entry_id)
        assert all(" ".join(p.text.split()) in rubric for p in entry.key_points)


@pytest.mark.parametrize("entry", NUMERIC, ids=lambda entry: entry.id)
def test_qti_numeric_items_hold_correct_responses_and_tolerant_scoring(qti_zip, entry):
    item = etree.fromstring(qti_zip.read(f"items/{entry.id}.xml"))
    declarations = item.findall(f"{QTI}responseDeclaration")
    floats = {d.get("identifier"): d for d in declarations if d.get("baseType") == "float"}
    expected = expected_numbers(entry.id)
    assert {
        key.removeprefix("RESPONSE_"): float(d.findtext(f"{QTI}correctResponse/{QTI}value"))
        for key, d in floats.items()
    } == expected
    entries = {i.get("responseIdentifier") for i in item.iter(f"{QTI}textEntryInteraction")}
    assert entries == {d.get("identifier") for d in declarations}
    checks = {e.find(f"{QTI}variable").get("identifier"): e for e in item.iter(f"{QTI}equal")}
    assert set(checks) == set(floats)
    for check in checks.values():
        low, high = map(float, check.get("tolerance").split())
        assert check.get("toleranceMode") == "absolute" and low == high > 0
    maxscore = item.find(f"{QTI}outcomeDeclaration[@identifier='MAXSCORE']/{QTI}defaultValue/{QTI}value")
    assert float(maxscore.text) == len(declarations)
    for text_part in (d for d in declarations if d.get("baseType") == "string"):
        keys = {m.get("mapKey") for m in text_part.iter(f"{QTI}mapEntry")}
        assert text_part.findtext(f"{QTI}correctResponse/{QTI}value") in keys


def test_qti_test_refers_to_every_item_by_topic(qti_zip):
    test = etree.fromstring(qti_zip.read("assessmentTest.xml"))
    sections = test.findall(f"{QTI}testPart/{QTI}assessmentSection")
    assert [s.get("title") for s in sections] == [topic.value for topic in BANK.by_topic()]
    hrefs = [ref.get("href") for ref in test.iter(f"{QTI}assessmentItemRef")]
    assert sorted(hrefs) == sorted(n for n in qti_zip.namelist() if n.startswith("items/"))


def test_qti_survives_hostile_text_and_is_byte_stable():
    package = render_qti([hostile_question()])
    assert package == render_qti([hostile_question()])
    archive = zipfile.ZipFile(io.BytesIO(package))
    item = etree.fromstring(archive.read("items/hostile-text.xml"))
    assert item.get("title") == HOSTILE_TITLE
    body = item.find(f"{QTI}itemBody")
    assert not list(body.iter(f"{QTI}script")) and not list(body.iter("script"))
    prompt = body.findall(f"{QTI}p")[0]
    assert "".join(prompt.itertext()) == HOSTILE_TEXT
