"""Two real Daphne processes and a real Celery worker sharing Redis and the test database: a socket on
process A receives `answer_evaluated` for an answer POSTed over REST to process B."""

import asyncio
import json
import os
import sys
import urllib.request

import pytest
import websockets

from accounts.tokens import login_start
from interviews.services.flow import question_next
from interviews.services.planning import session_start
from tests.accounts.factories import UserFactory
from tests.interviews.helpers import pinned_theory_question
from tests.processes import daphne, free_port, server_database_url, spawn, stop, wait_ready

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                       reason="needs Redis and PostgreSQL (REDIS_URL, DATABASE_URL)"),
]


def _env() -> dict[str, str]:
    return {"DATABASE_URL": server_database_url(), "AI_PROVIDER": "offline", "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_SESSIONS": "1000/min", "DB_POOL_MIN_SIZE": "1"}


@pytest.fixture
def cluster():
    """Daphne A, Daphne B and a Celery worker; killed before the test database is flushed."""
    ports = [free_port(), free_port()]
    processes = [daphne(port, _env()) for port in ports]
    processes.append(spawn([sys.executable, "-m", "celery", "-A", "cloudinterview", "worker", "-Q", "celery",
                            "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
                            "-n", f"multiprocess-{os.getpid()}@%h"], _env()))
    try:
        for port in ports:
            wait_ready(port)
        yield ports
    finally:
        for process in processes:
            stop(process)


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
