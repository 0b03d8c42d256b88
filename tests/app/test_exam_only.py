"""Exam-only bank entries: their model answer and key points reach only a key with the read scope.

The app runs on a copy of the shipped bank with two entries marked `exam_only: true`: a conceptual
one and a numeric one."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.schemas import GradeRequest
from app.storage.keys import KeyStore
from question_bank.loader import QuestionBank, default_root, load_bank
from question_bank.models import QuestionEntry

CONCEPTUAL = "bagging-vs-boosting"
NUMERIC = "confusion-matrix-metrics-cancer"
CONCEPTUAL_RESPONSE = (
    "Bagging trains models independently in parallel on bootstrap samples and averages them, which reduces "
    "variance. Boosting trains models sequentially, each focusing on the errors of the previous ones."
)
NUMERIC_RESPONSE = "accuracy 0.9, precision 0.5, recall 0.8, F1 0.615"


def _refusal(question_id: str) -> dict[str, Any]:
    message = f"question {question_id!r} is exam-only: its model answer is shown only to an API key with the read scope"
    return {"error": {"code": "forbidden", "message": message}}


@pytest.fixture(scope="module")
def exam_bank(tmp_path_factory: pytest.TempPathFactory) -> QuestionBank:
    root = tmp_path_factory.mktemp("bank") / "questions"
    shutil.copytree(default_root(), root)
    for topic, question_id in (("ensembles", CONCEPTUAL), ("evaluation", NUMERIC)):
        path = root / topic / f"{question_id}.md"
        path.write_text(path.read_text().replace("\ndifficulty:", "\nexam_only: true\ndifficulty:", 1))
    return load_bank(root)


@pytest.fixture
def client(exam_bank: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr("app.main.load_bank", lambda: exam_bank)
    app = create_app(Settings(data_dir=tmp_path, rate_limit_per_minute=0))
    with TestClient(app) as client:
        yield client
    app.state.db.dispose()


def _secrets(entry: QuestionEntry) -> list[str]:
    """What states the answer: the model answer, key points, corrections; a conceptual entry's key
    point ids too (a numeric entry's are the names of the quantities asked, not secrets)."""
    ids = [k.id for k in entry.key_points] if entry.solver is None else []
    return [
        entry.answer_markdown[:200],
        *(k.text for k in entry.key_points),
        *ids,
        *(m.feedback for m in entry.misconceptions),
    ]


def _keys(client: TestClient) -> dict[str, dict[str, str]]:
    store = KeyStore(client.app.state.db)  # type: ignore[attr-defined]
    made = {name: store.create(name, frozenset({name}))[1] for name in ("grade", "read", "admin")}
    return {name: {"Authorization": f"Bearer {key}"} for name, key in made.items()}


def test_the_flag_is_read_and_validated(exam_bank: QuestionBank, tmp_path: Path) -> None:
    assert [entry.id for entry in exam_bank.entries if entry.exam_only] == [CONCEPTUAL, NUMERIC]
    assert not any(entry.exam_only for entry in load_bank().entries)  # the shipped bank: none
    root = tmp_path / "questions"
    shutil.copytree(default_root() / "ensembles", root / "ensembles")
    path = root / "ensembles" / f"{CONCEPTUAL}.md"
    path.write_text(path.read_text().replace("\ndifficulty:", "\nexam_only: maybe\ndifficulty:", 1))
    with pytest.raises(Exception, match="exam_only: Input should be a valid boolean"):
        load_bank(root)


@pytest.mark.parametrize("question_id", [CONCEPTUAL, NUMERIC])
def test_the_question_detail_needs_a_read_key(client: TestClient, question_id: str) -> None:
    assert client.get(f"/v1/questions/{question_id}").json() == _refusal(question_id)  # open mode too
    keys = _keys(client)
    for headers in ({}, keys["grade"]):
        reply = client.get(f"/v1/questions/{question_id}", headers=headers)
        assert reply.status_code == 403 and reply.json() == _refusal(question_id)
    for name in ("read", "admin"):
        shown = client.get(f"/v1/questions/{question_id}", headers=keys[name])
        assert shown.status_code == 200 and shown.json()["answer_markdown"]


def test_the_question_stays_listed_without_its_answer(client: TestClient) -> None:
    items = [item for item in client.get("/v1/questions", params={"limit": 100}).json()["items"]]
    items = [item for item in items if item["id"] == CONCEPTUAL]
    assert len(items) == 1 and items[0]["prompt"]
    entry = client.app.state.service.bank.get(CONCEPTUAL)  # type: ignore[attr-defined]
    assert not any(secret in json.dumps(items) for secret in _secrets(entry))


def test_answering_its_text_needs_a_read_key(client: TestClient) -> None:
    entry = client.app.state.service.bank.get(CONCEPTUAL)  # type: ignore[attr-defined]
    refused = client.post("/v1/answer", json={"question": entry.prompt})
    assert refused.status_code == 403 and refused.json() == _refusal(CONCEPTUAL)
    keys = _keys(client)
    assert (
        client.post("/v1/answer", json={"question": entry.prompt}, headers=keys["grade"]).status_code == 403
    )
    shown = client.post("/v1/answer", json={"question": entry.prompt}, headers=keys["read"])
    assert shown.status_code == 200 and shown.json()["answer_markdown"] == entry.answer_markdown


@pytest.mark.parametrize(
    ("question_id", "response"), [(CONCEPTUAL, CONCEPTUAL_RESPONSE), (NUMERIC, NUMERIC_RESPONSE)]
)
def test_grading_works_but_the_grade_never_states_the_answer(
    client: TestClient, question_id: str, response: str
) -> None:
    entry = client.app.state.service.bank.get(question_id)  # type: ignore[attr-defined]
    request = {"question_id": question_id, "response": response}
    full = client.app.state.service.grade  # type: ignore[attr-defined]
    keys = _keys(client)
    for headers in ({}, keys["grade"]):
        reply = client.post("/v1/grade", json=request, headers=headers)
        assert reply.status_code == 200
        body = reply.json()
        assert body["score"] is not None and body["score"] >= 0.5
        assert body["solution"]["answer"] == {} and body["solution"]["steps"] == []
        assert all(part["expected"] is None for part in body["parts"])
        assert "model answer and key points are not shown" in body["feedback"]
        assert not any(secret in reply.text for secret in _secrets(entry))
    batch = client.post("/v1/grade/batch", json={"items": [request]}, headers=keys["grade"])
    assert not any(secret in batch.text for secret in _secrets(entry))
    shown = client.post("/v1/grade", json=request, headers=keys["read"]).json()
    assert shown["solution"]["answer"] and shown["score"] == reply.json()["score"]
    assert shown == json.loads(full(GradeRequest(**request), reveal_exam_only=True).model_dump_json())


def test_grading_by_its_text_is_redacted_too(client: TestClient) -> None:
    entry = client.app.state.service.bank.get(CONCEPTUAL)  # type: ignore[attr-defined]
    reply = client.post("/v1/grade", json={"question": entry.prompt, "response": CONCEPTUAL_RESPONSE})
    assert reply.status_code == 200 and reply.json()["question_id"] == CONCEPTUAL
    assert reply.json()["score"] >= 0.5
    assert not any(secret in reply.text for secret in _secrets(entry))


def test_exporting_a_bank_with_exam_only_entries_needs_a_read_key(client: TestClient) -> None:
    message = "the bank holds exam-only questions: exporting it needs an API key with the read scope"
    refused = client.get("/v1/questions/export", params={"format": "gift"})
    assert refused.status_code == 403 and refused.json()["error"]["message"] == message
    keys = _keys(client)
    assert (
        client.get("/v1/questions/export", params={"format": "gift"}, headers=keys["grade"]).status_code
        == 403
    )
    assert (
        client.get("/v1/questions/export", params={"format": "gift"}, headers=keys["read"]).status_code == 200
    )
