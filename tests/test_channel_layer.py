"""The Redis channel layer delivers a message even when the socket that was fetching it for the process goes away.

All sockets of one Daphne process share one Redis queue; one of them at a time pops from it for all. When that
socket disconnected at the moment a message for another socket arrived, the message was popped and dropped: a
socket on the same session missed its `answer_evaluated`.
"""

import asyncio
import os
import threading
import time

import pytest
from channels.layers import get_channel_layer

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")


def send_while_the_loop_is_blocked(layer, channel: str, message: dict) -> None:
    """Send from another thread and give Redis time to answer the pending pop before this loop reads it."""
    sender = threading.Thread(target=lambda: asyncio.run(layer.send(channel, message)))
    sender.start()
    sender.join()
    time.sleep(0.05)


def test_a_message_popped_for_a_receiver_that_is_cancelled_reaches_its_channel():
    async def scenario() -> list[int]:
        layer = get_channel_layer()
        leaving, staying = await layer.new_channel(), await layer.new_channel()
        received = []
        for number in range(3):
            fetching = asyncio.ensure_future(layer.receive(leaving))  # it holds the process's pop
            await asyncio.sleep(0.05)
            send_while_the_loop_is_blocked(layer, staying, {"type": "event", "number": number})
            fetching.cancel()  # the leaving socket disconnects with the pop's answer unread
            with pytest.raises(asyncio.CancelledError):
                await fetching
            received.append((await asyncio.wait_for(layer.receive(staying), timeout=10))["number"])
        return received

    assert asyncio.run(scenario()) == [0, 1, 2]


def test_a_receive_cancelled_while_waiting_for_the_pop_leaves_no_lock_behind():
    """Each test runs its own event loop: a lock left over from one failed the next test's sockets."""

    async def scenario() -> dict:
        locks = get_channel_layer().receive_clean_locks
        await locks.acquire("queue")
        waiting = asyncio.ensure_future(locks.acquire("queue"))  # a socket's receive, waiting its turn
        await asyncio.sleep(0.01)
        waiting.cancel()  # the socket closes
        with pytest.raises(asyncio.CancelledError):
            await waiting
        locks.release("queue")
        return {**locks.locks, **locks.wait_counts}

    assert asyncio.run(scenario()) == {}
