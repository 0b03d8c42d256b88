"""The question bank: the shipped files, and the loader's validation and error messages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from question_bank import check
from question_bank.loader import BankError, QuestionBank, default_root, load_bank, load_entry, question_files
from question_bank.models import Difficulty, QuestionEntry, Topic

QUESTIONS = default_root()
FILES = question_files(QUESTIONS)

SEED_000 = "000_05495adf0d68d6bf.txt"
SEED_001 = "001_cd5403ad6a1e5571.txt"
SEED_QUESTIONS = {(SEED_000, n) for n in range(1, 21)} | {(SEED_001, n) for n in range(1, 11)}


def _rel(path: Path) -> str:
    return path.relative_to(QUESTIONS).as_posix()


def _entries() -> list[QuestionEntry]:
    return [load_entry(path) for path in FILES]


# The shipped bank ------------------------------------------------------------------------------


def test_the_bank_has_question_files() -> None:
    assert FILES, "no question files found"


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_every_file_validates(path: Path) -> None:
    try:
        entry = load_entry(path)
    except BankError as exc:
        pytest.fail("\n".join(exc.problems))
    assert entry.path == _rel(path)


def test_the_whole_bank_loads_with_related_links_resolved() -> None:
    try:
        bank = load_bank()
    except BankError as exc:
        pytest.fail("\n".join(exc.problems))
    assert len(bank) == len(FILES)


def test_ids_are_unique() -> None:
    counts = Counter(entry.id for entry in _entries())
    assert [question_id for question_id, count in counts.items() if count > 1] == []


def test_every_key_point_has_cues() -> None:
    for entry in _entries():
        for point in entry.key_points:
            assert point.cues, f"{entry.path}: key point {point.id} has no cues"
            assert all(cue.strip() for cue in point.cues), f"{entry.path}: key point {point.id}"


def test_cues_follow_the_authoring_rules() -> None:
    """Key points carry 3 to 12 lower-case cues; every misconception has cues and feedback."""
    problems = []
    for entry in _entries():
        for point in entry.key_points:
            if not 3 <= len(point.cues) <= 12:
                problems.append(f"{entry.path}: {point.id}: {len(point.cues)} cues")
            problems += [f"{entry.path}: {point.id}: {cue!r}" for cue in point.cues if cue != cue.lower()]
        for item in entry.misconceptions:
            problems += [f"{entry.path}: {item.id}: {cue!r}" for cue in item.cues if cue != cue.lower()]
    assert problems == []


def test_each_seed_question_is_present_exactly_once() -> None:
    counts = Counter((entry.source.seed, entry.source.number) for entry in _entries())
    missing = sorted(SEED_QUESTIONS - set(counts))
    repeated = sorted(source for source, count in counts.items() if count > 1)
    unknown = sorted(set(counts) - SEED_QUESTIONS)
    assert (missing, repeated, unknown) == ([], [], [])


def test_numeric_entries_name_their_solver() -> None:
    kinds = {(entry.source.seed, entry.source.number): entry.kind for entry in _entries()}
    expected = {(SEED_001, 1): "gradient_shape", (SEED_001, 2): "confusion_binary", (SEED_001, 8): "dropout"}
    for source, kind in expected.items():
        if source in kinds:
            assert kinds[source] == kind
    assert {source for source, kind in kinds.items() if kind != "conceptual"} <= set(expected)


def test_check_reports_ok_for_a_valid_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(
        tmp_path, "regularization/first-question.md", _entry("first-question", related=["second-question"])
    )
    _write(
        tmp_path,
        "evaluation/second-question.md",
        _entry("second-question", "evaluation", related=["first-question"]),
    )
    assert check.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == "ok: 2 questions in 2 topics\n"


def test_check_prints_each_problem_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "regularization/first-question.md", _entry("first-question", title=""))
    _write(tmp_path, "regularization/other.md", "no front matter\n")
    assert check.main([str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "regularization/first-question.md: title: String should have at least 1 character",
        "regularization/other.md: missing front matter (open and close it with '---' lines)",
    ]


# Building test files ---------------------------------------------------------------------------


def _front(question_id: str, topic: str = "regularization", **overrides: Any) -> dict[str, Any]:
    front: dict[str, Any] = {
        "id": question_id,
        "title": "A title",
        "topic": topic,
        "tags": ["tag"],
        "difficulty": "easy",
        "source": {"seed": SEED_000, "number": 1},
        "prompt": "Explain it.",
        "key_points": [
            {"id": f"point-{n}", "text": f"Point {n}.", "weight": 1, "cues": ["one", "two", "three"]}
            for n in range(1, 5)
        ],
        "misconceptions": [
            {"id": f"wrong-{n}", "text": "A wrong idea.", "cues": ["wrong"], "feedback": "The right idea."}
            for n in range(1, 3)
        ],
        "related": [],
    }
    front.update(overrides)
    return front


def _entry(
    question_id: str, topic: str = "regularization", body: str = "The answer.\n", **overrides: Any
) -> str:
    front = yaml.safe_dump(_front(question_id, topic, **overrides), sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{body}"


def _write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _problems(root: Path) -> list[str]:
    with pytest.raises(BankError) as info:
        load_bank(root)
    return info.value.problems


# The loader ------------------------------------------------------------------------------------


def test_a_valid_entry_loads(tmp_path: Path) -> None:
    solver = {"kind": "confusion_binary", "parameters": {"tp": 1, "fp": 2, "fn": 3, "tn": 4}}
    _write(
        tmp_path,
        "evaluation/numbers.md",
        _entry("numbers", "evaluation", body="\n# Answer\n\nText.\n\n", solver=solver),
    )
    _write(tmp_path, "regularization/words.md", _entry("words"))
    bank = load_bank(tmp_path)
    assert isinstance(bank, QuestionBank)
    assert [entry.id for entry in bank.entries] == ["numbers", "words"]
    numbers = bank.get("numbers")
    assert numbers is not None
    assert numbers.kind == "confusion_binary"
    assert numbers.topic is Topic.EVALUATION
    assert numbers.difficulty is Difficulty.EASY
    assert numbers.answer_markdown == "# Answer\n\nText."
    assert numbers.path == "evaluation/numbers.md"
    words = bank.get("words")
    assert words is not None and words.kind == "conceptual"
    assert bank.get("missing") is None
    assert "words" in bank and len(bank) == 2
    assert dict(bank.by_topic()) == {Topic.EVALUATION: (numbers,), Topic.REGULARIZATION: (words,)}


def test_the_bank_is_immutable(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/words.md", _entry("words"))
    bank = load_bank(tmp_path)
    with pytest.raises(AttributeError):
        bank.entries = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        bank.by_topic()[Topic.EVALUATION] = ()  # type: ignore[index]
    with pytest.raises(ValueError, match="frozen"):
        bank.entries[0].id = "other"  # type: ignore[misc]


def test_a_field_error_names_the_file_and_the_field(tmp_path: Path) -> None:
    front = _front("l1-vs-l2")
    front["key_points"][2]["cues"] = []
    _write(tmp_path, "regularization/l1-vs-l2.md", "---\n" + yaml.safe_dump(front) + "---\nBody.\n")
    assert _problems(tmp_path) == [
        "regularization/l1-vs-l2.md: key_points.2.cues: "
        "List should have at least 1 item after validation, not 0"
    ]


def test_all_field_errors_of_all_files_are_collected(tmp_path: Path) -> None:
    points = _front("x")["key_points"][:3]
    _write(
        tmp_path,
        "regularization/first.md",
        _entry("first", difficulty="trivial", key_points=points, colour="red"),
    )
    _write(tmp_path, "regularization/second.md", _entry("second", source={"seed": SEED_000, "number": 0}))
    assert _problems(tmp_path) == [
        "regularization/first.md: difficulty: Input should be 'easy', 'medium' or 'hard'",
        "regularization/first.md: key_points: List should have at least 4 items after validation, not 3",
        "regularization/first.md: colour: Extra inputs are not permitted",
        "regularization/second.md: source.number: Input should be greater than or equal to 1",
    ]


def test_bad_slugs_and_topics_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/Bad_Id.md", _entry("Bad_Id", topic="magic"))
    assert _problems(tmp_path) == [
        "regularization/Bad_Id.md: id: String should match pattern '^[a-z0-9]+(-[a-z0-9]+)*$'",
        "regularization/Bad_Id.md: topic: Input should be 'evaluation', 'generalization', 'regularization', "
        "'optimization', 'initialization', 'ensembles', 'invariance', 'learning-paradigms', 'gradients' "
        "or 'representations'",
    ]


def test_duplicate_ids_inside_an_entry_are_reported(tmp_path: Path) -> None:
    front = _front("words", related=["words"])
    front["key_points"][3]["id"] = "point-1"
    front["misconceptions"][1]["id"] = "wrong-1"
    _write(tmp_path, "regularization/words.md", "---\n" + yaml.safe_dump(front) + "---\nBody.\n")
    assert _problems(tmp_path) == [
        "regularization/words.md: key_points: Value error, duplicate key point id(s): point-1",
        "regularization/words.md: misconceptions: Value error, duplicate misconception id(s): wrong-1",
        "regularization/words.md: related: Value error, an entry cannot be related to itself",
    ]


def test_missing_front_matter_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/plain.md", "# Just Markdown\n\nNo front matter.\n")
    _write(tmp_path, "regularization/unclosed.md", "---\nid: unclosed\n")
    assert _problems(tmp_path) == [
        "regularization/plain.md: missing front matter (open and close it with '---' lines)",
        "regularization/unclosed.md: missing front matter (open and close it with '---' lines)",
    ]


def test_bad_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/broken.md", "---\nid: broken\ntitle: Precision: the share\n---\nBody.\n")
    _write(tmp_path, "regularization/listed.md", "---\n- a\n- b\n---\nBody.\n")
    _write(tmp_path, "regularization/empty.md", "---\n---\nBody.\n")
    assert _problems(tmp_path) == [
        "regularization/broken.md: invalid YAML at line 3, column 17: mapping values are not allowed here",
        "regularization/empty.md: front matter is empty",
        "regularization/listed.md: front matter is a list, not a mapping",
    ]


def test_repeated_yaml_keys_are_reported(tmp_path: Path) -> None:
    text = _entry("words").replace("title: A title\n", "title: A title\ntitle: Another title\n")
    _write(tmp_path, "regularization/words.md", text)
    assert _problems(tmp_path) == ["regularization/words.md: line 4: key 'title' appears more than once"]


def test_invalid_utf8_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/words.md", _entry("words").encode("utf-8") + b"caf\xe9\n")
    problems = _problems(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("regularization/words.md: not valid UTF-8 (byte ")
    assert problems[0].endswith(": invalid continuation byte)")


def test_loader_fields_and_empty_bodies_are_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/words.md", _entry("words", path="elsewhere.md"))
    _write(tmp_path, "regularization/blank.md", _entry("blank", body="\n  \n"))
    assert _problems(tmp_path) == [
        "regularization/blank.md: answer_markdown: Value error, the model answer "
        "(the Markdown body after the front matter) is empty",
        "regularization/words.md: path: filled in by the loader, not allowed in front matter",
    ]


def test_folder_must_match_topic_and_file_name_must_match_id(tmp_path: Path) -> None:
    _write(tmp_path, "evaluation/words.md", _entry("words"))
    _write(tmp_path, "regularization/other-name.md", _entry("the-id"))
    _write(tmp_path, "loose.md", _entry("loose"))
    assert _problems(tmp_path) == [
        "evaluation/words.md: topic: 'regularization' does not match the folder 'evaluation'",
        "loose.md: must be at <topic>/<id>.md (one folder deep)",
        "regularization/other-name.md: id: 'the-id' does not match the file name 'other-name.md'",
    ]


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/twice.md", _entry("twice"))
    _write(tmp_path, "evaluation/twice.md", _entry("twice", "evaluation"))
    assert _problems(tmp_path) == [
        "regularization/twice.md: id: duplicate id 'twice' (also in evaluation/twice.md)",
    ]


def test_dangling_and_one_way_related_links_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/first.md", _entry("first", related=["second", "nowhere"]))
    _write(tmp_path, "regularization/second.md", _entry("second"))
    assert _problems(tmp_path) == [
        "regularization/first.md: related.0: 'second' does not link back (add 'first' to related in "
        "regularization/second.md)",
        "regularization/first.md: related.1: unknown id 'nowhere'",
    ]


def test_links_to_a_broken_file_are_not_reported_twice(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/first.md", _entry("first", related=["second"]))
    _write(tmp_path, "regularization/second.md", _entry("second", difficulty="unknown", related=["first"]))
    assert _problems(tmp_path) == [
        "regularization/second.md: difficulty: Input should be 'easy', 'medium' or 'hard'",
    ]


def test_hidden_and_non_markdown_files_are_ignored(tmp_path: Path) -> None:
    _write(tmp_path, "regularization/words.md", _entry("words"))
    _write(tmp_path, "regularization/.#words.md", "lock file")
    _write(tmp_path, "regularization/notes.txt", "not a question")
    assert [entry.id for entry in load_bank(tmp_path).entries] == ["words"]


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nope") == [f"{tmp_path / 'nope'}: questions folder not found"]


def test_an_empty_folder_is_an_empty_bank(tmp_path: Path) -> None:
    bank = load_bank(tmp_path)
    assert bank.entries == () and dict(bank.by_topic()) == {}
