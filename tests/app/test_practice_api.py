"""GET /v1/practice and grading a practice question by its id, through the real app."""

import pytest
from fastapi.testclient import TestClient

from solvers.practice import MAX_SEED, regenerate
from tests.solvers.test_practice import KINDS  # the kinds with a practice generator, one line each

SEEDS = [7, 8, 9]


def test_same_seed_same_question(client: TestClient) -> None:
    first = client.get("/v1/practice", params={"kind": "dropout", "seed": 7})
    second = client.get("/v1/practice", params={"kind": "dropout", "seed": 7})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    body = first.json()
    assert body["question_id"] == "practice:dropout:7"
    assert body["kind"] == "dropout"
    assert body["topic"] == "regularization"
    assert body["question"] and body["asked"]


def test_another_seed_another_question(client: TestClient) -> None:
    questions = {
        client.get("/v1/practice", params={"kind": "dropout", "seed": seed}).json()["question"]
        for seed in range(5)
    }
    assert len(questions) == 5


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", SEEDS)
def test_grading_by_id_with_the_right_answer_scores_one(client: TestClient, kind: str, seed: int) -> None:
    practice = client.get("/v1/practice", params={"kind": kind, "seed": seed}).json()
    answered = client.post("/v1/answer", json={"question": practice["question"]}).json()
    assert answered["kind"] == kind
    assert answered["asked"] == practice["asked"]
    response = {part: answered["answer"][part] for part in practice["asked"]}
    graded = client.post("/v1/grade", json={"question_id": practice["question_id"], "response": response})
    assert graded.status_code == 200
    body = graded.json()
    assert body["score"] == 1.0
    assert body["correct"] is True
    assert body["misconceptions"] == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", SEEDS)
def test_grading_by_id_names_a_known_mistake(client: TestClient, kind: str, seed: int) -> None:
    practice = client.get("/v1/practice", params={"kind": kind, "seed": seed}).json()
    drawn = regenerate(practice["question_id"])
    right = drawn.solution.answer
    mistakes = [v for v in drawn.variants if not v.accepted]
    # a mistake on an asked part (one that only changes a part not asked cannot show), whose every asked
    # value can be written (a scalar shape [] cannot go in a JSON list)
    asked = drawn.solution.asked
    mistake = next(
        v
        for v in mistakes
        if any(part in v.answer for part in asked)
        and all(v.answer.get(part, right[part]) != [] for part in asked)
    )
    response = {part: mistake.answer.get(part, right[part]) for part in drawn.solution.asked}
    body = client.post(
        "/v1/grade", json={"question_id": practice["question_id"], "response": response}
    ).json()
    assert body["score"] < 1.0
    assert mistake.code in body["misconceptions"]
    for part in body["parts"]:
        given = response[part["name"]]
        if given == right[part["name"]]:
            assert part["correct"] is True
            continue
        if part["carried_forward"]:  # worked on from the mistaken earlier part: credited, not named
            assert part["correct"] is True and part["misconception"] is None
            continue
        # the first known mistake giving this value is the one named
        named = next(v for v in mistakes if v.answer.get(part["name"]) == given)
        assert part["misconception"] == named.code
        assert named.code in body["misconceptions"]


def test_a_topic_draws_a_question_of_that_topic(client: TestClient) -> None:
    reply = client.get("/v1/practice", params={"topic": "gradients", "seed": 3})
    assert reply.status_code == 200
    body = reply.json()
    assert body["kind"] in {"gradient_shape", "gradient_matrix"}
    assert body["topic"] == "gradients"
    assert body["question_id"] == f"practice:{body['kind']}:3"


def test_without_a_seed_a_fresh_question_that_regenerates(client: TestClient) -> None:
    body = client.get("/v1/practice", params={"kind": "gradient_shape"}).json()
    assert body["question_id"].startswith("practice:gradient_shape:")
    assert regenerate(body["question_id"]).question == body["question"]


def test_unknown_kind_is_a_404_json_error(client: TestClient) -> None:
    reply = client.get("/v1/practice", params={"kind": "no_such_kind"})
    assert reply.status_code == 404
    assert reply.json() == {
        "error": {
            "code": "unknown_question",
            "message": "no practice questions for kind='no_such_kind', topic=None",
        }
    }


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1])
def test_seed_out_of_range_is_a_422(client: TestClient, seed: int) -> None:
    reply = client.get("/v1/practice", params={"kind": "dropout", "seed": seed})
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert error["code"] == "invalid_request"
    assert "seed" in error["message"]


def test_grading_a_malformed_practice_id_is_a_404(client: TestClient) -> None:
    reply = client.post("/v1/grade", json={"question_id": "practice:dropout:abc", "response": "1"})
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "unknown_question"
