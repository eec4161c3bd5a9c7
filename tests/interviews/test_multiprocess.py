"""Two real Daphne processes and a real Celery worker sharing Redis and the test database: a socket on
process A receives `answer_evaluated` for an answer POSTed over REST to process B."""

import asyncio
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
import websockets
from django.conf import settings

from accounts.tokens import login_start
from interviews.services.flow import question_next
from interviews.services.planning import session_start
from tests.accounts.factories import UserFactory
from tests.interviews.helpers import pinned_theory_question

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                       reason="needs Redis and PostgreSQL (REDIS_URL, DATABASE_URL)"),
]


def _test_database_url() -> str:
    """The test database pytest-django created (not the `test` database DATABASE_URL names)."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": _test_database_url(), "AI_PROVIDER": "offline", "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_SESSIONS": "1000/min", "DB_POOL_MIN_SIZE": "1"}


def _spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_ready(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"Daphne on port {port} did not start")


@pytest.fixture
def cluster():
    """Daphne A, Daphne B and a Celery worker; killed before the test database is flushed."""
    ports = [_free_port(), _free_port()]
    processes = [_spawn([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                         "cloudinterview.asgi:application"]) for port in ports]
    processes.append(_spawn([sys.executable, "-m", "celery", "-A", "cloudinterview", "worker", "-Q", "celery",
                             "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
                             "-n", f"multiprocess-{os.getpid()}@%h"]))
    try:
        for port in ports:
            _wait_ready(port)
        yield ports
    finally:
        for process in processes:
            _stop(process)


def _post_answer(port: int, session_id: str, token: str, text: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/api/sessions/{session_id}/answers", method="POST",
        data=json.dumps({"answerText": text}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - a fixed http:// loopback URL
        return json.loads(response.read())


def test_a_socket_on_one_process_hears_an_answer_posted_to_another(transactional_db, cluster):
    pinned_theory_question(category="zz multiprocess")
    user = UserFactory()
    token = login_start(user=user)["accessToken"]
    session = session_start(user=user, mode="technical", include_coding=False, topics=["zz multiprocess"],
                            duration=10)
    question_next(session=session)
    port_a, port_b = cluster

    async def scenario() -> tuple[dict, list[dict]]:
        url = f"ws://127.0.0.1:{port_a}/v1/interviews/{session.public_id}?token={token}"
        async with websockets.connect(url) as ws:
            assert json.loads(await ws.recv())["type"] == "session_state"
            posted = asyncio.create_task(asyncio.to_thread(
                _post_answer, port_b, session.public_id, token, "The log is written before the data page; "
                                                                "recovery replays it after a crash."))
            events = []
            while not events or events[-1]["type"] != "answer_evaluated":
                events.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=30)))
            return await posted, events

    response, events = asyncio.run(scenario())

    assert response["answer"]["status"] == "evaluated"
    assert events[0]["type"] == "typing_indicator"
    evaluated = events[-1]["data"]
    assert evaluated["answer"]["answerId"] == response["answer"]["answerId"]
    assert evaluated["answer"]["evaluator"]["provider"] == "offline"
