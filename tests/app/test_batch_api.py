"""POST /v1/grade/batch through the real app: order, per-item errors, limits."""

import asyncio
import json
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.schemas import SEED_Q2

SEED_Q8 = (
    "What will be the output activations of this layer after applying dropout?\n"
    "Activations: a = [2.0, 5.0, 7.12, 4.5, 6.0]\nDropout mask: m = [1, 0, 0, 1, 1]"
)
RIGHT = {"question": SEED_Q2, "response": "accuracy 90%, precision 0.5, recall 0.8, F1 = 8/13"}
SWAPPED = {"question": SEED_Q2, "response": "accuracy 90%, precision 0.8, recall 0.5, F1 = 8/13"}
DROPOUT = {"question": SEED_Q8, "response": "[2, 0, 0, 4.5, 6]"}
UNKNOWN_ID = {"question_id": "no-such-question", "response": "42"}
NOT_UNDERSTOOD = {"question": "What is the airspeed velocity of a swallow?", "response": "11 m/s"}
OBJECT_FOR_PROSE = {"question_id": "dropout-as-ensemble", "response": {"answer": "ensembles"}}
TOO_MANY_DIGITS = {"question": f"TP = {'9' * 60}, FP = 1, FN = 2, TN = 3. Precision?", "response": "1"}


def test_results_keep_the_order_and_match_single_grades(client):
    items = [DROPOUT, RIGHT, SWAPPED, RIGHT]
    reply = client.post("/v1/grade/batch", json={"items": items})
    assert reply.status_code == 200
    body = reply.json()
    assert [r["index"] for r in body["results"]] == [0, 1, 2, 3]
    assert body["succeeded"] == 4 and body["failed"] == 0
    for item, result in zip(items, body["results"], strict=True):
        assert result["ok"] is True
        assert result["result"] == client.post("/v1/grade", json=item).json()
    assert [r["result"]["kind"] for r in body["results"]] == ["dropout", *["confusion_binary"] * 3]
    assert body["results"][2]["result"]["misconceptions"]


def test_one_items_error_does_not_fail_the_others(client):
    items = [UNKNOWN_ID, RIGHT, NOT_UNDERSTOOD, OBJECT_FOR_PROSE, TOO_MANY_DIGITS, DROPOUT]
    body = client.post("/v1/grade/batch", json={"items": items}).json()
    assert body["succeeded"] == 2 and body["failed"] == 4
    results = body["results"]
    assert [r["ok"] for r in results] == [False, True, False, False, False, True]
    assert results[0]["error"] == {
        "code": "unknown_question",
        "message": "no question with id 'no-such-question'",
        "suggestions": [],
    }
    assert results[2]["error"]["code"] == "not_understood" and results[2]["error"]["suggestions"]
    assert results[3]["error"]["code"] == "unreadable_response"
    assert results[4]["error"]["code"] == "input_too_large"
    assert results[1]["result"]["correct"] is True and results[5]["result"]["correct"] is True
    # Each failed item carries the same error a single request would get.
    single = client.post("/v1/grade", json=UNKNOWN_ID)
    assert single.status_code == 404 and single.json()["error"]["message"] == results[0]["error"]["message"]


def test_an_empty_batch_is_an_empty_result(client):
    assert client.post("/v1/grade/batch", json={"items": []}).json() == {
        "results": [],
        "succeeded": 0,
        "failed": 0,
    }


def test_a_thousand_items_are_accepted_beyond_the_single_request_body_limit(client):
    payload = json.dumps({"items": [RIGHT, SWAPPED] * 500}).encode()
    assert len(payload) > 64 * 1024  # over the limit of every other route
    reply = client.post("/v1/grade/batch", content=payload, headers={"content-type": "application/json"})
    assert reply.status_code == 200
    results = reply.json()["results"]
    assert len(results) == 1000
    assert [r["index"] for r in results] == list(range(1000))
    assert [r["result"]["correct"] for r in results[:4]] == [True, False, True, False]


def test_a_thousand_and_one_items_are_refused_naming_the_limit(client):
    reply = client.post("/v1/grade/batch", json={"items": [RIGHT] * 1001})
    assert reply.status_code == 422
    assert reply.json()["error"] == {
        "code": "invalid_request",
        "message": "items: List should have at most 1000 items after validation, not 1001",
    }


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"question": SEED_Q2}, "items.2.response: Field required"),
        ({"response": "0.5"}, "items.2: Value error, give exactly one of 'question' or 'question_id'"),
        ({**RIGHT, "score": 1}, "items.2.score: Extra inputs are not permitted"),
        ("just text", "items.2: Input should be a valid dictionary or object to extract fields from"),
    ],
)
def test_a_badly_shaped_item_refuses_the_batch_naming_its_index(client, item, message):
    reply = client.post("/v1/grade/batch", json={"items": [RIGHT, RIGHT, item]})
    assert reply.status_code == 422
    assert reply.json()["error"] == {"code": "invalid_request", "message": message}


@pytest.mark.parametrize("payload", [{}, {"items": RIGHT}, {"items": [RIGHT], "extra": 1}, []])
def test_a_badly_shaped_batch_is_a_422(client, payload):
    reply = client.post("/v1/grade/batch", json=payload)
    assert reply.status_code == 422
    assert reply.json()["error"]["code"] == "invalid_request"


def test_a_batch_over_its_own_body_limit_is_a_413(client):
    too_big = b"x" * (8 * 1024 * 1024 + 1)
    reply = client.post("/v1/grade/batch", content=too_big, headers={"content-type": "application/json"})
    assert reply.status_code == 413
    assert reply.json()["error"] == {
        "code": "body_too_large",
        "message": "the request body exceeds 8388608 bytes",
    }


def test_other_routes_keep_their_64_kb_limit(client):
    reply = client.post("/v1/grade", json={**RIGHT, "response": "a" * 70_000})
    assert reply.status_code == 413
    assert reply.json()["error"]["message"] == "the request body exceeds 65536 bytes"


def test_grading_a_batch_leaves_the_event_loop_free(client):
    """A request sent while a large batch is graded is answered long before the batch is done."""

    async def race() -> tuple[float, float]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            started = time.perf_counter()
            batch = asyncio.create_task(http.post("/v1/grade/batch", json={"items": [SWAPPED] * 1000}))
            await asyncio.sleep(0.05)  # the batch is read and validated; grading starts
            health = await http.get("/healthz")
            assert health.status_code == 200
            health_done = time.perf_counter() - started
            assert (await batch).status_code == 200
            return health_done, time.perf_counter() - started

    health_done, batch_done = asyncio.run(race())
    assert health_done < batch_done / 3


def test_openapi_documents_the_batch(client):
    batch = client.get("/openapi.json").json()["paths"]["/v1/grade/batch"]["post"]
    assert {"200", "413", "422"} <= set(batch["responses"])


@pytest.fixture(scope="module")
def keyed_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("keyed"))))


def test_once_keys_exist_a_batch_needs_the_grade_scope(keyed_client):
    keys = keyed_client.app.state.keys
    _, grade_key = keys.create("lms", frozenset({"grade"}))
    _, read_key = keys.create("viewer", frozenset({"read"}))
    batch = {"items": [RIGHT]}
    assert keyed_client.post("/v1/grade/batch", json=batch).status_code == 401
    refused = keyed_client.post(
        "/v1/grade/batch", json=batch, headers={"Authorization": f"Bearer {read_key}"}
    )
    assert refused.status_code == 403
    graded = keyed_client.post(
        "/v1/grade/batch", json=batch, headers={"Authorization": f"Bearer {grade_key}"}
    )
    assert graded.status_code == 200 and graded.json()["succeeded"] == 1
