"""The question bank over HTTP: listing, search, filters, one entry, topics, and the answer fallback."""

import pytest


def test_list_pages_through_all_30(client):
    first = client.get("/v1/questions", params={"limit": 20}).json()
    second = client.get("/v1/questions", params={"limit": 20, "offset": 20}).json()
    assert first["total"] == second["total"] == 30
    ids = [q["id"] for q in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 30


def test_filter_by_topic_and_kind_and_tag(client):
    evaluation = client.get("/v1/questions", params={"topic": "evaluation"}).json()
    assert evaluation["total"] >= 2 and all(q["topic"] == "evaluation" for q in evaluation["items"])
    numeric = client.get("/v1/questions", params={"kind": "dropout"}).json()
    assert [q["id"] for q in numeric["items"]] == ["dropout-mask-activations"]
    tagged = client.get("/v1/questions", params={"tag": "f1-score"}).json()
    assert "confusion-matrix-metrics-cancer" in [q["id"] for q in tagged["items"]]


def test_unknown_topic_is_a_422_naming_the_choices(client):
    reply = client.get("/v1/questions", params={"topic": "astrology"})
    assert reply.status_code == 422
    assert "topic" in reply.json()["error"]["message"]


def test_search_ranks_the_obvious_entry_first(client):
    body = client.get("/v1/questions", params={"q": "tangent prop invariance"}).json()
    assert body["items"][0]["id"] == "tangent-prop"
    assert body["items"][0]["score"] > 0


def test_one_question_has_everything(client):
    body = client.get("/v1/questions/confusion-matrix-metrics-cancer").json()
    assert body["source"] == {"seed": "001_cd5403ad6a1e5571.txt", "number": 2}
    assert body["solver"]["kind"] == "confusion_binary"
    assert 4 <= len(body["key_points"]) <= 8 and body["misconceptions"]
    assert "Precision" in body["answer_markdown"]


def test_unknown_question_is_a_404(client):
    reply = client.get("/v1/questions/no-such-question")
    assert reply.status_code == 404
    assert reply.json()["error"] == {
        "code": "unknown_question",
        "message": "no question with id 'no-such-question'",
    }


def test_topics_with_counts(client):
    body = client.get("/v1/topics").json()
    counts = {t["topic"]: t["count"] for t in body["items"]}
    assert sum(counts.values()) == 30
    assert counts["invariance"] >= 4


@pytest.mark.parametrize(
    ("question", "expected_id"),
    [
        ("(d) Role of weight sharing in CNNs", "parameter-sharing-cnn-rnn"),
        ("Why does dropout act like an ensemble?", "dropout-as-ensemble"),
        ("Discuss overfitting and underfitting (6 marks)", "overfitting-and-underfitting"),
    ],
)
def test_answer_falls_back_to_the_bank(client, question, expected_id):
    body = client.post("/v1/answer", json={"question": question}).json()
    assert body["source"] == "bank"
    assert body["question_id"] == expected_id
    assert body["answer_markdown"] and body["key_points"]
    assert 0 < body["confidence"] <= 1


def test_uncovered_question_is_refused_with_suggestions(client):
    reply = client.post(
        "/v1/answer", json={"question": "How does batch normalisation reduce internal covariate shift?"}
    )
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert error["code"] == "not_understood" and error["suggestions"]


def test_grade_numeric_bank_question_by_id(client):
    reply = client.post(
        "/v1/grade", json={"question_id": "dropout-mask-activations", "response": "[2, 0, 0, 4.5, 6]"}
    )
    assert reply.status_code == 200
    assert reply.json()["score"] == 1.0


def test_grade_unknown_id_is_a_404(client):
    reply = client.post("/v1/grade", json={"question_id": "nope", "response": "x"})
    assert reply.status_code == 404


def test_numeric_entry_asked_without_data_is_answered_with_its_data_and_model_answer(client):
    body = client.post(
        "/v1/answer", json={"question": "Define precision, recall and F1 for the cancer example."}
    ).json()
    assert body["source"] == "solver"
    assert body["question_id"] == "confusion-matrix-metrics-cancer"
    assert body["answer"]["precision"] == pytest.approx(0.5)
    assert body["answer_markdown"] and body["key_points"]


def test_numeric_entry_with_its_own_numbers_is_solved_from_them(client):
    question = (
        r"Apply the mask $m = \begin{bmatrix}1 & 0 & 1\end{bmatrix}$ "
        r"to $a = \begin{bmatrix}0.2 & 0.4 & 0.6\end{bmatrix}$."
    )
    body = client.post("/v1/answer", json={"question": question}).json()
    assert body["answer"]["output"] == pytest.approx([0.2, 0.0, 0.6])
