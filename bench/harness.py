"""What the benchmarks share: the real server in a subprocess with its own data directory and an API
key made for the run, and a minimal keep-alive HTTP/1.1 client that costs far less than the server.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.storage.db import Database, database_url
from app.storage.keys import KeyStore

REPLY_TIMEOUT_S = 60.0
# The bench sends tens of thousands of requests from one address: keep the limiter on, out of reach.
SERVER_ENV = {
    "EXAMGRADER_LOG_LEVEL": "warning",
    "EXAMGRADER_RATE_LIMIT_PER_MINUTE": "1000000",
    "EXAMGRADER_RATE_LIMIT_BURST": "1000000",
}


@dataclass(frozen=True)
class BenchServer:
    port: int
    pid: int
    api_key: str  # scopes grade and read

    def rss_kib(self) -> int:
        """The server's resident set size (VmRSS), in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS in /proc: is the server still running?")


def encode(
    method: str, path: str, port: int, body: object = None, headers: dict[str, str] | None = None
) -> bytes:
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one request on a kept-alive connection and read the whole reply; its status code."""
    writer.write(request)
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), REPLY_TIMEOUT_S)
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await asyncio.wait_for(reader.readexactly(length), REPLY_TIMEOUT_S)
    return status


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def _create_key(data_dir: Path) -> str:
    db = Database(database_url(data_dir, None))
    try:
        db.migrate()
        _, key = KeyStore(db).create("bench", frozenset({"grade", "read"}))
        return key
    finally:
        db.dispose()


@contextmanager
def bench_server() -> Iterator[BenchServer]:
    """One uvicorn worker on a free port, on SQLite in a fresh temporary data directory."""
    with tempfile.TemporaryDirectory(prefix="examgrader-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        key = _create_key(data_dir)
        port = _free_port()
        env = {**os.environ, **SERVER_ENV, "EXAMGRADER_DATA_DIR": str(data_dir)}
        env.pop("EXAMGRADER_DATABASE_URL", None)
        command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
        server = subprocess.Popen(command, env=env)
        try:
            _wait_ready(port, server)
            yield BenchServer(port, server.pid, key)
        finally:
            server.terminate()
            server.wait(timeout=10)
