"""The abuse corpus, sent to the real server: every item is refused with a 4xx or graded as
unreadable within 2 s, the server keeps serving, and nothing is executed or written.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, ServerFailed, start_server

DEADLINE_S = 2.0
CANARY_DIR = Path("/tmp") / f"examgrader-canary-{uuid.uuid4().hex}"
QUESTION = "TP = 40, FP = 10, FN = 20, TN = 30. Compute precision and recall."

# Strings that would do something if anything evaluated, templated or shelled them.
INJECTIONS = [
    f"__import__('os').makedirs('{CANARY_DIR}')",
    f"eval(\"__import__('os').makedirs('{CANARY_DIR}')\")",
    f"exec('import os; os.makedirs(\"{CANARY_DIR}\")')",
    f"$(mkdir {CANARY_DIR})",
    f"`mkdir {CANARY_DIR}`",
    "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
    "${jndi:ldap://127.0.0.1:1/a}",
    "'; DROP TABLE submissions; --",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "lambda: (yield)",
    "Symbol('x').__class__.__mro__[-1].__subclasses__()",
]
HUGE_EXPRESSIONS = [
    "9**9**9**9",
    "9^9^9^9",
    "(20!)!",
    "10^10^10^10",
    "1e999999",
    "9" * 5000,
    "0." + "1" * 5000,
    "(" * 600 + "1" + ")" * 600,
    "[" * 600 + "1" + "]" * 600,
]
ODD_TEXT = [
    "precision\u202e 0.8 \u202drecall\u2066 0.67",  # right-to-left override and isolates
    "precision 0.8\x00 recall\x00 0.67",
    "\ufeff\u200b\u200c\u200d precision 0.8",
    "x" * 19_000,  # one very long line, under the text limit
    "𝟎.𝟖 ٠٫٨ ०.८",  # digits from other scripts
]


@dataclass
class Sent:
    status: int
    seconds: float
    body: bytes


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    data = tmp_path_factory.mktemp("data")
    log = tmp_path_factory.mktemp("server") / "server.log"
    try:
        server = start_server(
            {"EXAMGRADER_DATA_DIR": str(data), "EXAMGRADER_RATE_LIMIT_PER_MINUTE": "1000000"}, log
        )
    except ServerFailed as failure:
        pytest.fail(str(failure))
    yield server, data
    server.stop()


def post(server: LiveServer, path: str, content: bytes) -> Sent:
    started = time.monotonic()
    reply = httpx.post(
        server.base + path, content=content, headers={"content-type": "application/json"}, timeout=30
    )
    return Sent(reply.status_code, time.monotonic() - started, reply.content)


def post_json(server: LiveServer, path: str, body: object) -> Sent:
    return post(server, path, json.dumps(body).encode())


def still_serving(server: LiveServer) -> None:
    assert httpx.get(server.base + "/healthz", timeout=5).status_code == 200
    good = post_json(server, "/v1/answer", {"question": QUESTION})
    assert good.status == 200 and json.loads(good.body)["answer"]["precision"] == 0.8


def refused_or_unreadable(sent: Sent) -> bool:
    if 400 <= sent.status < 500:
        return "error" in json.loads(sent.body)
    if sent.status != 200:
        return False
    grade = json.loads(sent.body)
    return grade["status"] == "unreadable" or grade["score"] == 0 or grade["score"] is None


CORPUS = INJECTIONS + HUGE_EXPRESSIONS + ODD_TEXT


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_as_a_question(live: tuple[LiveServer, Path], text: str) -> None:
    server, _ = live
    sent = post_json(server, "/v1/answer", {"question": text})
    assert 400 <= sent.status < 500, sent.body[:300]
    assert sent.seconds < DEADLINE_S
    assert not CANARY_DIR.exists()


HOSTILE = INJECTIONS + HUGE_EXPRESSIONS


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_as_a_response(live: tuple[LiveServer, Path], text: str) -> None:
    server, _ = live
    for response in (text, {"precision": text, "recall": text}):
        sent = post_json(server, "/v1/grade", {"question": QUESTION, "response": response})
        assert refused_or_unreadable(sent), sent.body[:300]
        assert sent.seconds < DEADLINE_S
    assert not CANARY_DIR.exists()


# Invisible and bidirectional controls are stripped and other scripts' digits read: the value counts.
ODD_RESPONSES = [(ODD_TEXT[0], 1.0), (ODD_TEXT[1], 1.0), (ODD_TEXT[2], 0.5)]


@pytest.mark.parametrize(("text", "score"), ODD_RESPONSES, ids=range(len(ODD_RESPONSES)))
def test_odd_text_is_read_for_what_it_says(live: tuple[LiveServer, Path], text: str, score: float) -> None:
    server, _ = live
    sent = post_json(server, "/v1/grade", {"question": QUESTION, "response": text})
    assert sent.status == 200 and sent.seconds < DEADLINE_S
    assert json.loads(sent.body)["score"] == score


@pytest.mark.parametrize("text", HUGE_EXPRESSIONS, ids=range(len(HUGE_EXPRESSIONS)))
def test_inside_a_question(live: tuple[LiveServer, Path], text: str) -> None:
    server, _ = live
    sent = post_json(
        server, "/v1/answer", {"question": f"TP = {text}, FP = 10, FN = 20, TN = 30. Precision?"}
    )
    assert 400 <= sent.status < 500, sent.body[:300]
    assert sent.seconds < DEADLINE_S


def huge_table(rows: int) -> str:
    header = "| | " + " | ".join(f"c{i}" for i in range(rows)) + " |"
    lines = [header, "|" + "---|" * (rows + 1)]
    lines += ["| r | " + " | ".join("1" for _ in range(rows)) + " |" for _ in range(rows)]
    return "Compute the accuracy.\n" + "\n".join(lines)


RAW_BODIES = {
    "12 MB body": b'{"question": "' + b"a" * (12 * 1024 * 1024) + b'"}',
    "invalid UTF-8": b'{"question": "TP = 4\xff\xfe, FP = 1"}',
    "NUL in JSON": b'{"question": "TP = 4\x00"}',
    "truncated JSON": b'{"question": "TP = 4',
    "deeply nested JSON": b'{"question": ' + b"[" * 600 + b"]" * 600 + b"}",
    "not an object": b'"just a string"',
    "empty": b"",
    "huge table": json.dumps({"question": huge_table(120)}).encode(),
}


@pytest.mark.parametrize("name", list(RAW_BODIES))
def test_raw_bodies(live: tuple[LiveServer, Path], name: str) -> None:
    server, _ = live
    for path in ("/v1/answer", "/v1/grade"):
        sent = post(server, path, RAW_BODIES[name])
        assert 400 <= sent.status < 500, (path, sent.status, sent.body[:300])
        assert sent.seconds < DEADLINE_S


def test_the_server_kept_serving_and_wrote_nothing_but_its_database(live: tuple[LiveServer, Path]) -> None:
    server, data = live
    for text in CORPUS:
        post_json(server, "/v1/grade", {"question": QUESTION, "response": text})
    still_serving(server)
    assert server.process.poll() is None
    assert not CANARY_DIR.exists()
    assert {p.name for p in data.iterdir()} <= {
        "examgrader.sqlite3",
        "examgrader.sqlite3-wal",
        "examgrader.sqlite3-shm",
        "examgrader.sqlite3.migrate-lock",
    }
