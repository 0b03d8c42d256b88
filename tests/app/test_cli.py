import json
import zipfile

import lxml.etree as etree
import pytest

from app.cli import main

SEED_Q1 = (
    "The inputs X to a scalar function f are n x m matrices. What is the shape of the gradient of f w.r.t. X?"
)


def test_answer_prints_parts_steps_and_conventions(capsys):
    assert main(["answer", "TP = 80, FP = 80, FN = 20, TN = 820. Compute precision and recall."]) == 0
    out = capsys.readouterr().out
    assert "kind: confusion_binary" in out
    assert "  precision: 0.5" in out and "  recall: 0.8" in out
    assert "steps:" in out and "conventions:" in out


def test_answer_json(capsys):
    assert main(["answer", "--json", SEED_Q1]) == 0
    assert json.loads(capsys.readouterr().out)["answer"]["shape"] == ["n", "m"]


def test_grade_names_the_mistake(capsys):
    assert main(["grade", "--question", SEED_Q1, "--response", "m x n"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("score: 0.00 (graded)")
    assert "  ✗ Shape of ∂f/∂X: The dimensions are swapped." in out


def test_grade_accepts_a_json_response(capsys):
    question = "TP = 80, FP = 80, FN = 20, TN = 820. What is the F1 score?"
    assert main(["grade", "--question", question, "--response", '{"f1": "8/13"}']) == 0
    assert capsys.readouterr().out.startswith("score: 1.00 (graded)")


def test_not_understood_exits_2_with_a_message(capsys):
    assert main(["answer", "What is the airspeed velocity of an unladen swallow?"]) == 2
    assert capsys.readouterr().err.startswith("not understood:")


def test_bank_check_passes(capsys):
    assert main(["bank", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok: 30 questions")


def test_bank_export_writes_a_moodle_file(tmp_path, capsys):
    target = tmp_path / "bank.xml"
    assert main(["bank", "export", "--format", "moodle-xml", "--output", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote 30 questions (moodle-xml) to {target}\n"
    questions = etree.parse(str(target)).getroot().findall("question")
    assert len([q for q in questions if q.get("type") != "category"]) == 30


def test_bank_export_of_one_topic_to_standard_output(capsys):
    assert main(["bank", "export", "--format", "gift", "--topic", "gradients"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("$CATEGORY: $course$/top/examgrader/gradients\n")
    assert out.count("$CATEGORY:") == 1 and "[id:vanishing-and-exploding-gradients]" in out


def test_bank_export_qti_package(tmp_path, capsys):
    target = tmp_path / "bank.zip"
    assert main(["bank", "export", "--format", "qti", "--output", str(target), "--topic", "ensembles"]) == 0
    assert "wrote 1 question (qti)" in capsys.readouterr().out
    assert zipfile.ZipFile(target).namelist() == [
        "imsmanifest.xml",
        "assessmentTest.xml",
        "items/bagging-vs-boosting.xml",
    ]


def test_bank_export_rejects_an_unknown_format(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["bank", "export", "--format", "pdf"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_bank_export_to_an_unwritable_path_exits_2(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "bank.gift"
    assert main(["bank", "export", "--format", "gift", "--output", str(target)]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot write {target}:")
