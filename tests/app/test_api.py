"""The REST contract v1, through httpx against the real app."""

import pytest

SEED_Q2 = (
    "Compute accuracy, precision, recall and F1.\n"
    "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
    "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |"
)
SEED_Q8 = (
    "What will be the output activations of this layer after applying dropout? "
    "(Show the final activation vector)\nActivations: a = [2.0, 5.0, 7.12, 4.5, 6.0]\n"
    "Dropout mask: m = [1, 0, 0, 1, 1]"
)
SEED_Q1 = (
    "Assume that the inputs X to some scalar function f are n x m matrices. What is the "
    "dimensionality of the gradient of f with respect to X? Give reasons to justify your answer."
)


def test_healthz_lists_the_solvers(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert {"confusion_binary", "dropout", "gradient_shape"} <= set(body["solvers"])


def test_answer_confusion_table(client):
    reply = client.post("/v1/answer", json={"question": SEED_Q2})
    assert reply.status_code == 200
    body = reply.json()
    assert body["source"] == "solver" and body["kind"] == "confusion_binary"
    assert body["asked"] == ["accuracy", "precision", "recall", "f1"]
    assert body["answer"]["accuracy"] == pytest.approx(0.9)
    assert body["answer"]["precision"] == pytest.approx(0.5)
    assert body["answer"]["recall"] == pytest.approx(0.8)
    assert body["answer"]["f1"] == pytest.approx(8 / 13)
    assert body["steps"] and all({"title", "text", "latex"} <= set(s) for s in body["steps"])
    assert any("predicted" in c.lower() for c in body["conventions"])


def test_answer_dropout(client):
    body = client.post("/v1/answer", json={"question": SEED_Q8}).json()
    assert body["kind"] == "dropout"
    assert body["answer"]["output"] == pytest.approx([2.0, 0, 0, 4.5, 6.0])


def test_answer_gradient_shape(client):
    body = client.post("/v1/answer", json={"question": SEED_Q1}).json()
    assert body["kind"] == "gradient_shape"
    assert body["answer"]["shape"] == ["n", "m"]
    assert body["conventions"]


def test_grade_names_swapped_precision_and_recall(client):
    reply = client.post(
        "/v1/grade",
        json={"question": SEED_Q2, "response": "accuracy 90%, precision 0.8, recall 0.5, F1 = 8/13"},
    )
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "graded"
    assert body["score"] == pytest.approx(0.5)
    assert not body["correct"]
    by_name = {p["name"]: p for p in body["parts"]}
    assert by_name["precision"]["misconception"] == "precision_recall_swapped"
    assert by_name["f1"]["correct"] and by_name["accuracy"]["correct"]
    assert body["solution"]["answer"]["precision"] == pytest.approx(0.5)


@pytest.mark.parametrize("f1", ["8/13", "61.5 %", "0.615"])
def test_grade_accepts_f1_forms(client, f1):
    body = client.post("/v1/grade", json={"question": SEED_Q2, "response": {"f1": f1}}).json()
    f1_part = next(p for p in body["parts"] if p["name"] == "f1")
    assert f1_part["correct"]


def test_grade_names_a_transposed_shape(client):
    body = client.post("/v1/grade", json={"question": SEED_Q1, "response": "m x n"}).json()
    assert body["score"] == 0.0
    assert body["parts"][0]["misconception"] == "shape_transposed"


def test_unreadable_response_is_not_a_zero(client):
    body = client.post("/v1/grade", json={"question": SEED_Q8, "response": "no idea"}).json()
    assert body["status"] == "unreadable"
    assert body["score"] is None
    assert body["parts"][0]["status"] == "unreadable"


def test_not_understood_has_suggestions(client):
    reply = client.post("/v1/answer", json={"question": "What is the airspeed velocity of a swallow?"})
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert error["code"] == "not_understood"
    assert error["suggestions"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "question: Field required"),
        ({"question": ""}, "question: String should have at least 1 character"),
        ({"question": 5}, "question: Input should be a valid string"),
        ({"question": "x", "extra": 1}, "extra: Extra inputs are not permitted"),
    ],
)
def test_invalid_answer_requests(client, payload, message):
    reply = client.post("/v1/answer", json=payload)
    assert reply.status_code == 422
    assert reply.json()["error"] == {"code": "invalid_request", "message": message}


def test_grade_needs_exactly_one_question(client):
    reply = client.post("/v1/grade", json={"response": "0.5"})
    assert reply.status_code == 422
    assert "give exactly one of 'question' or 'question_id'" in reply.json()["error"]["message"]


def test_malformed_json_is_a_422(client):
    reply = client.post("/v1/answer", content=b'{"question": ', headers={"content-type": "application/json"})
    assert reply.status_code == 422
    assert reply.json()["error"] == {
        "code": "invalid_request",
        "message": "body: not valid JSON at character 13 (Expecting value)",
    }


def test_invalid_utf8_is_a_4xx(client):
    reply = client.post(
        "/v1/answer", content=b'{"question": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    assert 400 <= reply.status_code < 500


def test_body_over_64_kb_is_a_413(client):
    reply = client.post("/v1/answer", json={"question": "a" * 70_000})
    assert reply.status_code == 413
    assert reply.json()["error"]["code"] == "body_too_large"


def test_too_many_digits_is_a_413(client):
    reply = client.post(
        "/v1/answer", json={"question": f"TP = {'9' * 60}, FP = 1, FN = 2, TN = 3. Precision?"}
    )
    assert reply.status_code == 413
    assert reply.json()["error"]["code"] == "input_too_large"


def test_unknown_route_is_a_json_404(client):
    reply = client.get("/v1/nothing")
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "not_found"


def test_openapi_documents_the_contract(client):
    schema = client.get("/openapi.json").json()
    assert {"/v1/answer", "/v1/grade", "/healthz"} <= set(schema["paths"])
    grade = schema["paths"]["/v1/grade"]["post"]
    assert "422" in grade["responses"] and "413" in grade["responses"]
    assert schema["components"]["schemas"]["GradeRequest"]["examples"]
