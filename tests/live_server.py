"""The real server under uvicorn in a subprocess, on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 60


class ServerFailed(RuntimeError):
    """The server exited or did not answer /healthz in time; the message holds its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _wait_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.process.poll() is not None:
            raise ServerFailed(
                f"the server exited with {server.process.returncode}:\n{server.log.read_text()}"
            )
        try:
            with urlopen(f"{server.base}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise ServerFailed(f"no answer on /healthz within {START_TIMEOUT_S} s:\n{server.log.read_text()}")
        time.sleep(0.1)


def start_server(env: Mapping[str, str], log: Path, port: int | None = None) -> LiveServer:
    """Start `app.main:create_app` with these EXAMGRADER_* settings and wait until it is healthy."""
    port = port or free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_healthy(server)
    except ServerFailed:
        server.stop()
        raise
    return server


@contextmanager
def running_server(env: Mapping[str, str], log: Path) -> Iterator[LiveServer]:
    server = start_server(env, log)
    try:
        yield server
    finally:
        server.stop()
