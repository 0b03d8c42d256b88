"""GET /metrics through the real app, parsed with prometheus_client's own parser."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.schemas import SEED_Q2

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

RIGHT = {"question": SEED_Q2, "response": "accuracy 90%, precision 0.5, recall 0.8, F1 = 8/13"}
HALF_RIGHT = {"question": SEED_Q2, "response": "accuracy 90%, precision 0.8, recall 0.5, F1 = 8/13"}


def scrape(client) -> Samples:
    reply = client.get("/metrics")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(reply.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_requests_are_counted_by_route_template_not_raw_path(client):
    before = scrape(client)
    client.get("/v1/questions/dropout-as-ensemble")
    client.get("/v1/questions/no-such-question")
    client.get("/v1/questions/no-such-question")
    after = scrape(client)
    route = "/v1/questions/{question_id}"
    assert (
        moved(before, after, "examgrader_http_requests_total", method="GET", route=route, status="200") == 1
    )
    assert (
        moved(before, after, "examgrader_http_requests_total", method="GET", route=route, status="404") == 2
    )
    latency = "examgrader_http_request_duration_seconds"
    assert moved(before, after, f"{latency}_count", method="GET", route=route) == 3
    assert moved(before, after, f"{latency}_bucket", method="GET", route=route, le="+Inf") == 3
    assert moved(before, after, f"{latency}_sum", method="GET", route=route) > 0
    assert not any("no-such-question" in label for _, labels in after for _, label in labels)


def test_unrouted_requests_and_made_up_methods_share_one_label(client):
    before = scrape(client)
    client.get("/v1/nothing-here-1")
    client.get("/v1/nothing-here-2")
    client.request("BREW", "/healthz")
    after = scrape(client)
    requests = "examgrader_http_requests_total"
    assert moved(before, after, requests, method="GET", route="unmatched", status="404") == 2
    assert moved(before, after, requests, method="other", route="/healthz", status="405") == 1


def test_the_page_its_files_and_the_openapi_document_have_templates_too(client):
    before = scrape(client)
    client.get("/static/app.js")
    client.get("/static/style.css")
    client.get("/static/no-such-file.js")
    client.get("/openapi.json")
    client.get("/healthz/")  # a redirect to /healthz: no route took it
    after = scrape(client)
    requests = "examgrader_http_requests_total"
    assert moved(before, after, requests, method="GET", route="/static/{path}", status="200") == 2
    assert moved(before, after, requests, method="GET", route="/static/{path}", status="404") == 1
    assert moved(before, after, requests, method="GET", route="/openapi.json", status="200") == 1
    assert moved(before, after, requests, method="GET", route="unmatched", status="307") == 1


def test_the_scrape_itself_is_not_counted(client):
    scrape(client)
    samples = scrape(client)
    assert not any(dict(labels).get("route") == "/metrics" for _, labels in samples)


def test_grades_are_counted_by_kind_and_outcome(client):
    before = scrape(client)
    client.post("/v1/grade", json=RIGHT)
    client.post("/v1/grade", json=RIGHT)
    client.post("/v1/grade", json=HALF_RIGHT)
    client.post("/v1/grade", json={"question": SEED_Q2, "response": "accuracy 10%"})
    client.post("/v1/grade", json={"question": SEED_Q2, "response": "no idea"})
    after = scrape(client)
    grades = "examgrader_grades_total"
    assert moved(before, after, grades, kind="confusion_binary", outcome="correct") == 2
    assert moved(before, after, grades, kind="confusion_binary", outcome="partial") == 1
    assert moved(before, after, grades, kind="confusion_binary", outcome="wrong") == 1
    assert moved(before, after, grades, kind="confusion_binary", outcome="unreadable") == 1


def test_answers_are_counted_by_source_and_kind(client):
    before = scrape(client)
    client.post("/v1/answer", json={"question": SEED_Q2})
    bank = client.post("/v1/answer", json={"question": "Why does dropout act like an ensemble?"}).json()
    after = scrape(client)
    answers = "examgrader_answers_total"
    assert moved(before, after, answers, source="solver", kind="confusion_binary") == 1
    assert bank["source"] == "bank"
    assert moved(before, after, answers, source="bank", kind=bank["kind"]) == 1


def test_batch_items_are_counted_by_outcome(client):
    items = [RIGHT, {"question_id": "no-such-question", "response": "1"}, HALF_RIGHT]
    before = scrape(client)
    client.post("/v1/grade/batch", json={"items": items})
    after = scrape(client)
    assert moved(before, after, "examgrader_batch_items_total", outcome="ok") == 2
    assert moved(before, after, "examgrader_batch_items_total", outcome="unknown_question") == 1
    assert moved(before, after, "examgrader_batch_size_count") == 1
    assert moved(before, after, "examgrader_batch_size_sum") == 3
    assert moved(before, after, "examgrader_batch_size_bucket", le="1.0") == 0
    assert moved(before, after, "examgrader_batch_size_bucket", le="10.0") == 1
    # Every graded item is a grade too.
    assert moved(before, after, "examgrader_grades_total", kind="confusion_binary", outcome="correct") == 1


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/openmetrics-text; version=1.0.0", "application/openmetrics-text; version=1.0.0"),
        ("text/html", "text/plain; version=0.0.4"),
    ],
)
def test_the_format_follows_the_accept_header(client, accept, content_type):
    reply = client.get("/metrics", headers={"Accept": accept})
    assert reply.headers["content-type"].startswith(content_type)
    assert "examgrader_http_requests" in reply.text
