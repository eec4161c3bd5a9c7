"""The socket's handshake and its actions run off Django's one sync thread, the handshake in a fixed number of
queries, and give every pooled database connection back."""

import asyncio
import os
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test.utils import CaptureQueriesContext

from cloudinterview import ws_auth
from cloudinterview.asgi import application
from interviews import live
from interviews.services.flow import answer_submit, question_next
from tests.interviews.test_consumers import HOST, Live
from tests.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


QUERIES = 14


def test_the_handshake_queries_do_not_grow_with_the_session():
    """One answered question or three: the same queries (the snapshot reads the current state, not history)."""
    early, late = (Live(category=f"zz {name}", questions=3, follow_ups=0) for name in ("early", "late"))
    for candidate, answered in ((early, 1), (late, 3)):
        for _ in range(answered):
            question_next(session=candidate.session)
            answer_submit(session=candidate.session, text="A write-ahead log is appended before the data page.")

    counts = []
    for candidate in (early, late):
        with CaptureQueriesContext(connections["default"]) as captured:
            ws_auth.token_login.__wrapped__(candidate.token)
            live.session_state.__wrapped__(user=candidate.user, session_id=candidate.session_id)
        counts.append(len(captured))

    assert counts[0] == counts[1]
    assert counts[1] <= QUERIES


def test_the_handshake_does_not_run_on_djangos_sync_thread():
    """A busy sync thread (a long action) does not hold up sockets that are opening."""
    candidate = Live(category="zz busy")

    async def scenario() -> dict:
        held = hold_the_sync_thread(3)
        await asyncio.sleep(0.1)
        socket = WebsocketCommunicator(application, f"/v1/interviews/{candidate.session_id}?token={candidate.token}",
                                       headers=[(b"host", HOST.encode())])
        try:
            assert (await socket.connect(timeout=2))[0]
            event = await socket.receive_json_from(timeout=2)  # well before the sync thread is free
        finally:
            await socket.disconnect()
        await held
        return event

    assert asyncio.run(scenario())["type"] == "session_state"


def hold_the_sync_thread(seconds: float) -> asyncio.Task:
    """Keep Django's one sync thread busy for `seconds`, as a long action or REST request would."""
    return asyncio.create_task(sync_to_async(time.sleep, thread_sensitive=True)(seconds))


def test_a_socket_action_does_not_wait_for_djangos_sync_thread():
    """1,000 interviews answering at once were queued one action at a time behind that thread (seconds each)."""
    candidate = Live(category="zz busy action")

    async def scenario() -> list[str]:
        held = hold_the_sync_thread(3)
        await asyncio.sleep(0.1)
        socket = WebsocketCommunicator(application, f"/v1/interviews/{candidate.session_id}?token={candidate.token}",
                                       headers=[(b"host", HOST.encode())])
        try:
            assert (await socket.connect(timeout=2))[0]
            kinds = [(await socket.receive_json_from(timeout=2))["type"]]
            await socket.send_json_to({"type": "next_question"})
            kinds.append((await socket.receive_json_from(timeout=2))["type"])  # well before the sync thread is free
        finally:
            await socket.disconnect()
        await held
        return kinds

    assert asyncio.run(scenario()) == ["session_state", "question_presented"]


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL's connection pool (DATABASE_URL)")
def test_opening_and_closing_500_sockets_leaves_the_pool_as_it_was(settings):
    """Each socket also runs an action (next_question), which uses the same pool of threads and connections."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sessions": "1000/min"}
    candidate = Live(category="zz pool")
    connections["default"].close()
    before = connections["default"].pool.get_stats()

    async def open_and_close(count: int) -> int:
        async def one(number: int) -> bool:
            socket = WebsocketCommunicator(application,
                                           f"/v1/interviews/{candidate.session_id}?token={candidate.token}",
                                           headers=[(b"host", HOST.encode())])
            try:
                await socket.connect(timeout=30)
                if (await socket.receive_json_from(timeout=30))["type"] != "session_state":
                    return False
                await socket.send_json_to({"type": "next_question", "requestId": f"r-{number}"})
                while (event := await socket.receive_json_from(timeout=30)).get("requestId") != f"r-{number}":
                    continue  # the other sockets' questions, on the same session
                return event["type"] == "question_presented"
            finally:
                await socket.disconnect(timeout=30)

        served = 0
        for batch in range(count // 50):
            served += sum(await asyncio.gather(*(one(batch * 50 + n) for n in range(50))))
        return served

    def in_use(stats: dict[str, int]) -> int:
        return stats["pool_size"] - stats["pool_available"]

    served = asyncio.run(open_and_close(500))
    # The pool takes a returned connection back in its own worker thread (it checks the connection first).
    pool = connections["default"].pool
    returned = wait_until(lambda: in_use(pool.get_stats()) == in_use(before), timeout=10, interval=0.1)

    assert served == 500
    assert returned, (before, pool.get_stats())
    assert pool.get_stats()["pool_size"] <= pool.max_size
