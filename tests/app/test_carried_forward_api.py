"""Error carried forward through the REST contract: the part's feedback and `carried_forward`."""

SEED_Q2 = (
    "Compute accuracy, precision, recall and F1.\n"
    "| | Actual: Cancer | Actual: No Cancer |\n|---|---|---|\n"
    "| Predicted: Cancer | 80 | 80 |\n| Predicted: No Cancer | 20 | 820 |"
)


def parts_by_name(body: dict) -> dict[str, dict]:
    return {p["name"]: p for p in body["parts"]}


def test_grade_marks_a_part_carried_forward(client):
    response = {"accuracy": 0.9, "precision": 0.4, "recall": 0.8, "f1": 0.5333}
    reply = client.post("/v1/grade", json={"question": SEED_Q2, "response": response})
    assert reply.status_code == 200
    body = reply.json()
    parts = parts_by_name(body)
    assert parts["f1"]["carried_forward"] is True
    assert parts["f1"]["status"] == "correct" and parts["f1"]["score"] == 1.0
    assert parts["f1"]["feedback"] == (
        "F1 is consistent with your precision (carried forward); with the right values it is 0.6154."
    )
    assert parts["precision"]["carried_forward"] is False and parts["precision"]["status"] == "wrong"
    assert body["score"] == 0.75 and body["correct"] is False
    assert "Carried forward from your earlier values: F1." in body["feedback"]


def test_inconsistent_later_part_is_not_carried_forward(client):
    text = "accuracy 0.9, precision 0.4, recall 0.8, F1 = 0.45"
    body = client.post("/v1/grade", json={"question": SEED_Q2, "response": text}).json()
    f1 = parts_by_name(body)["f1"]
    assert f1["carried_forward"] is False and f1["status"] == "wrong" and f1["score"] == 0.0


def test_carried_forward_is_in_the_openapi_schema(client):
    schema = client.get("/openapi.json").json()
    field = schema["components"]["schemas"]["PartOut"]["properties"]["carried_forward"]
    assert field["type"] == "boolean" and field["default"] is False
