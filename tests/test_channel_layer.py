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


def test_an_event_for_a_thousand_sockets_reaches_each_in_order():
    async def scenario() -> list[list[int]]:
        layer = get_channel_layer()
        channels = [await layer.new_channel() for _ in range(1000)]
        for channel in channels:
            await layer.group_add("fan-out", channel)
        receiving = [asyncio.ensure_future(_take(layer, channel, 3)) for channel in channels]
        await asyncio.sleep(0.1)
        for number in range(3):
            await layer.group_send("fan-out", {"type": "event", "number": number})
        received = await asyncio.wait_for(asyncio.gather(*receiving), timeout=30)
        for channel in channels:
            await layer.group_discard("fan-out", channel)
        return received

    assert asyncio.run(scenario()) == [[0, 1, 2]] * 1000


def test_messages_sent_to_one_socket_are_taken_in_batches():
    """Messages queued for a process's sockets are popped many at a time, not one round trip (and four
    commands) each."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])

    async def scenario() -> tuple[list[int], int]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        for number in range(300):
            await layer.send(channel, {"type": "event", "number": number})
        before = await asyncio.to_thread(_pops, client)
        received = await asyncio.wait_for(_take(layer, channel, 300), timeout=30)
        return received, await asyncio.to_thread(_pops, client) - before

    received, pops = asyncio.run(scenario())
    assert received == list(range(300))
    assert pops < 30


def _pops(client) -> int:
    stats = client.info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("bzpopmin", "zpopmin"))

async def _take(layer, channel: str, count: int) -> list[int]:
    return [(await layer.receive(channel))["number"] for _ in range(count)]


def test_a_socket_that_closed_keeps_nothing_and_the_last_one_gives_the_connection_back():
    async def scenario() -> tuple[dict, bool]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0.05)
        pump = layer._pump
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await layer.send(channel, {"type": "event", "number": 1})  # a late event for the closed socket
        await asyncio.sleep(0.1)
        return dict(layer._inboxes), pump.done()

    inboxes, pump_done = asyncio.run(scenario())
    assert inboxes == {}
    assert pump_done


def test_sockets_waiting_when_redis_drops_the_connection_see_the_error_and_the_next_receive_works():
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])

    def kill_the_pop() -> int:
        """The pump's connection only: other processes on this Redis (another test run) keep theirs."""
        database = str(client.connection_pool.connection_kwargs.get("db", 0))
        blocked = [entry for entry in client.client_list()
                   if entry.get("cmd") == "bzpopmin" and entry.get("db") == database]
        for entry in blocked:
            client.client_kill_filter(_id=entry["id"])
        return len(blocked)

    async def scenario() -> tuple[int, int]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0.2)
        killed = await asyncio.to_thread(kill_the_pop)
        with pytest.raises(redis.ConnectionError):
            await asyncio.wait_for(waiting, timeout=10)
        following = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0.05)
        await layer.send(channel, {"type": "event", "number": 7})
        message = await asyncio.wait_for(following, timeout=10)
        return killed, message["number"]

    killed, number = asyncio.run(scenario())
    assert killed >= 1
    assert number == 7
