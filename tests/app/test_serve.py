"""`examgrader serve --workers 2` as a real server: one metrics view over both workers, JSON logs."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.serve import clear_multiprocess_dir

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthz_count(base: str) -> float:
    text = urllib.request.urlopen(f"{base}/metrics", timeout=10).read().decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "examgrader_http_requests_total" and sample.labels.get("route") == "/healthz"
    )


def worker_pids(metrics_dir: Path) -> set[str]:
    return {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("*.db")}


def wait_for_workers(base: str, metrics_dir: Path, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 240  # a busy machine: each worker loads the bank and the grader
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5)
        except OSError:
            time.sleep(0.5)
            continue
        if len(worker_pids(metrics_dir)) >= 2:
            return
        time.sleep(0.5)
    raise AssertionError("two workers did not start in time")


@pytest.mark.timeout(360)
def test_two_workers_count_as_one_and_log_json(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left by an earlier run")  # unreadable if kept
    (metrics_dir / "notes.txt").write_text("not a metrics file")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "EXAMGRADER_DATA_DIR": str(tmp_path / "data"),
        "EXAMGRADER_LOG_FORMAT": "json",
        "EXAMGRADER_LOG_LEVEL": "info",
    }
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_workers(base, metrics_dir, server)
            before = healthz_count(base)
            for _ in range(REQUESTS):  # a new connection each: either worker may take it
                reply = urllib.request.urlopen(
                    urllib.request.Request(f"{base}/healthz", headers={"X-Request-ID": "probe-1"}), timeout=10
                )
                assert reply.headers["X-Request-ID"] == "probe-1"
            # Whichever worker answers the scrape, it reports both workers' requests.
            assert [healthz_count(base) - before for _ in range(4)] == [REQUESTS] * 4
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    assert not (metrics_dir / "counter_1.db").exists() and (metrics_dir / "notes.txt").exists()
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    loggers = {line["logger"] for line in lines}
    assert {"uvicorn.error", "examgrader.access"} <= loggers and "uvicorn.access" not in loggers
    probes = [line for line in lines if line.get("request_id") == "probe-1"]
    assert len(probes) == REQUESTS
    assert all(line["route"] == "/healthz" and line["status"] == 200 for line in probes)
    assert len({line["pid"] for line in lines}) == 3  # the supervisor and two workers


def test_clearing_removes_only_metrics_files(tmp_path):
    target = tmp_path / "new" / "dir"
    clear_multiprocess_dir(target)
    assert target.is_dir()
    for name in ("counter_7.db", "gauge_all_7.db", "histogram_7.db", "summary_7.db", "other.db", "a.txt"):
        (target / name).write_text("x")
    clear_multiprocess_dir(target)
    assert sorted(path.name for path in target.iterdir()) == ["a.txt", "other.db"]
