"""The sympy worker: one lazily started process that derives gradients, with a wall-clock limit.

The parent sends plain data (a tree of tuples, a variable name, the symbol table), never code or
text to parse. A request that runs past its time limit kills the process (the next request starts
a fresh one) and raises `DerivationTimeout`; the process is shut down when the interpreter exits.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import threading
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from solvers.errors import InputTooLarge, NotUnderstood
from solvers.matrix_expr import Tree
from solvers.matrix_expr_shapes import SymbolTable

DERIVE_TIMEOUT_S = 10.0
START_TIMEOUT_S = 120.0  # importing sympy in a fresh process on a busy machine
STOP_TIMEOUT_S = 2.0
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


class DerivationTimeout(InputTooLarge):
    """The derivation ran past its time limit: the expression is too large to differentiate here."""


class WorkerFailure(NotUnderstood):
    """The worker process died or could not be started."""


def serve() -> None:
    """The worker's main loop (`python -m solvers.gradient_matrix_worker`): requests arrive on stdin,
    replies leave on stdout, until a None request or the end of stdin."""
    from solvers.gradient_matrix_sympy import handle

    requests = Connection(os.dup(sys.stdin.fileno()), readable=True, writable=False)
    replies = Connection(os.dup(sys.stdout.fileno()), readable=False, writable=True)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot corrupt the replies
    replies.send(("ready", None))
    while True:
        try:
            request = requests.recv()
        except EOFError:
            return
        if request is None:
            return
        replies.send(handle(request))


class SympyWorker:
    """One worker process at a time, used under a lock (requests from several threads queue)."""

    def __init__(self, timeout: float = DERIVE_TIMEOUT_S) -> None:
        self.timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _start(self) -> tuple[Connection, Connection]:
        process = subprocess.Popen(
            [sys.executable, "-m", "solvers.gradient_matrix_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=_PROJECT_ROOT,
        )
        assert process.stdin is not None and process.stdout is not None
        self._process = process
        self._requests = Connection(os.dup(process.stdin.fileno()), readable=False, writable=True)
        self._replies = Connection(os.dup(process.stdout.fileno()), readable=True, writable=False)
        if not self._replies.poll(START_TIMEOUT_S):
            self._stop(kill=True)
            raise WorkerFailure("the derivation worker did not start in time; try again")
        self._replies.recv()
        return self._requests, self._replies

    def _stop(self, kill: bool) -> None:
        process, requests, replies = self._process, self._requests, self._replies
        self._process, self._requests, self._replies = None, None, None
        if process is None:
            return
        if requests is not None and not kill:
            with contextlib.suppress(OSError):
                requests.send(None)
        if kill:
            process.kill()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT_S)
        for connection in (requests, replies):
            if connection is not None:
                connection.close()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def request(self, message: tuple[Any, ...]) -> tuple[str, Any]:
        with self._lock:
            if self.running and self._requests is not None and self._replies is not None:
                requests, replies = self._requests, self._replies
            else:
                self._stop(kill=True)
                requests, replies = self._start()
            try:
                requests.send(message)
                if not replies.poll(self.timeout):
                    self._stop(kill=True)
                    raise DerivationTimeout(
                        f"deriving the gradient took longer than {self.timeout:g} s; "
                        "the expression is too large to differentiate"
                    )
                reply: tuple[str, Any] = replies.recv()
            except (EOFError, OSError) as error:
                self._stop(kill=True)
                raise WorkerFailure("the derivation worker stopped unexpectedly; try again") from error
            return reply

    def shutdown(self) -> None:
        with self._lock:
            self._stop(kill=False)


WORKER = SympyWorker()
atexit.register(WORKER.shutdown)


@lru_cache(maxsize=512)
def derive_gradient(tree: Tree, variable: str, table: SymbolTable) -> Tree:
    """∇ of `tree` with respect to `variable`, derived by sympy in the worker process."""
    symbols = tuple(s.as_data() for s in table if s.definition is None)
    status, value = WORKER.request(("derive", tree, variable, symbols))
    if status != "ok":
        raise NotUnderstood(f"the gradient could not be derived: {value}")
    result: Tree = value
    return result


if __name__ == "__main__":
    serve()
