"""A real Daphne process on a free port, for tests that need the server as clients meet it (Chromium, raw
WebSocket frames): pytest-django's live server cannot speak WebSocket, and the ASGI test communicator
skips Daphne's own protocol layer.

Its tasks run eagerly inside Daphne (CELERY_BROKER_URL empty, REDIS_URL removed, so also the in-memory
channel layer) even in the distributed pass, which has no worker of its own; the database is a fresh
SQLite file in the embedded pass and the PostgreSQL test database in the distributed pass.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def server_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The server's environment and database: in the embedded pass its own SQLite file, migrated and with the
    bank; in the distributed pass the (committed) test database. Call it before anything starts an event
    loop in the test's thread (Playwright's sync API does): loading the bank uses the ORM."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "ANTHROPIC_API_KEY")}
    env.update(CELERY_BROKER_URL="", AI_PROVIDER="offline", LOG_LEVEL="WARNING", DEBUG="0",
               DJANGO_SETTINGS_MODULE="cloudinterview.settings")
    if connection.vendor == "postgresql":
        request.getfixturevalue("committed_bank")
        db = settings.DATABASES["default"]
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(tmp_path / "e2e.sqlite3")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_question_bank", "-v", "0")
    return env


@contextmanager
def daphne(env: dict[str, str], log_name: str = "daphne.log", port: int | None = None) -> Iterator[str]:
    """Serve on a free port (or `port`: a restart where clients expect the server) until the block ends, with the
    environment server_env made."""
    port = port or free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("w")
    server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                               "cloudinterview.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=log,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)  # noqa: S310 - our own loopback server
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Daphne did not start; see {ARTIFACTS / log_name}")
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        log.close()
