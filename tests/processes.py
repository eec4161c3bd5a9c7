"""Real server and worker processes for the tests that need them: spawned in their own process group,
pointed at the test database, and killed whole at the end."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

# Marks of a test that starts real workers against PostgreSQL and Redis (the distributed CI pass).
NEEDS_WORKERS = [
    pytest.mark.worker,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                       reason="needs Redis and PostgreSQL (REDIS_URL, DATABASE_URL)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_database_url() -> str:
    """The test database pytest-django created (not the `test` database DATABASE_URL names)."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def spawn(args: list[str], env: dict[str, str], output: int | None = subprocess.DEVNULL) -> subprocess.Popen:
    """`args` run with this Python's environment plus `env`, from the repository root."""
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
                            stdout=output, stderr=subprocess.STDOUT if output is not None else None)


def daphne(port: int, env: dict[str, str]) -> subprocess.Popen:
    return spawn([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                  "cloudinterview.asgi:application"], env)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def answers_http(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URLs the tests build
            return True
    except OSError:
        return False


def wait_ready(port: int, timeout: float = 30) -> None:
    if not wait_until(lambda: answers_http(f"http://127.0.0.1:{port}/healthz"), timeout):
        raise AssertionError(f"no server answered on port {port}")


def hanging_model() -> tuple[ThreadingHTTPServer, threading.Event]:
    """Stands in for the model's HTTP API on loopback: the first call hangs (a worker dies during it), later
    calls fail fast, so the provider falls back to the offline evaluator. The event is set at the first call."""
    first_call = threading.Event()

    class Model(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not first_call.is_set():
                first_call.set()
                time.sleep(30)
                return
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"type":"error","error":{"type":"api_error","message":"down"}}')

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Model)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, first_call
