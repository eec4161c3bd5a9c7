"""Daphne stops cleanly on SIGTERM while serving: no request thread is left waiting on a stopped loop."""

import contextlib
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from accounts.tokens import login_start
from tests.accounts.factories import UserFactory
from tests.processes import daphne, free_port, server_database_url, stop, wait_ready


def test_every_middleware_is_async_capable():
    """One sync-only middleware under Daphne parks request threads on the event loop (see the test below)."""
    sync_only = [path for path in settings.MIDDLEWARE if not getattr(import_string(path), "async_capable", False)]

    assert sync_only == []


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (DATABASE_URL)")
def test_daphne_exits_within_ten_seconds_of_sigterm_under_load(transactional_db):
    token = login_start(user=UserFactory())["accessToken"]
    port = free_port()
    server = daphne(port, {"DATABASE_URL": server_database_url(), "LOG_LEVEL": "ERROR",
                           "RATE_LIMIT_QUESTIONS": "100000/min"})
    urls = [(f"http://127.0.0.1:{port}/v1/api/questions?limit=20", {"Authorization": f"Bearer {token}"}),
            (f"http://127.0.0.1:{port}/accounts/login/", {}), (f"http://127.0.0.1:{port}/healthz", {})]
    stopping = threading.Event()

    def load(worker: int) -> None:
        url, headers = urls[worker % len(urls)]
        while not stopping.is_set():
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers),  # noqa: S310 - loopback
                                            timeout=5) as response:
                    response.read()
            except (OSError, urllib.error.URLError):
                time.sleep(0.01)

    workers = [threading.Thread(target=load, args=(i,), daemon=True) for i in range(24)]
    try:
        wait_ready(port)
        for worker in workers:
            worker.start()
        time.sleep(3)
        started = time.monotonic()
        os.killpg(server.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):  # measured below
            server.wait(timeout=10)
        exited_after = time.monotonic() - started
        exited = server.poll() is not None
    finally:
        stopping.set()
        stop(server)
        for worker in workers:
            worker.join(timeout=10)

    assert exited, "Daphne was still running 10 s after SIGTERM"
    assert exited_after < 10
