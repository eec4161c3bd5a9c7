"""Events published from a thread without an event loop (a Celery worker, gunicorn) go through one long-lived
loop per process, in order."""

import asyncio
import json
import os
import threading

import pytest
from channels.layers import get_channel_layer

from interviews import realtime

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis channel layer (REDIS_URL)")


def test_events_from_a_thread_without_a_loop_arrive_in_order_through_one_loop():
    layer = get_channel_layer()
    seen: set[asyncio.AbstractEventLoop] = set()  # the loops holding the layer's Redis connections

    def worker_thread() -> None:  # as an evaluation task publishes: no event loop in this thread
        for number in range(5):
            realtime._send("realtime-order", {"type": "step", "data": {"number": number}})
            seen.update(layer._layers)

    async def scenario() -> list[int]:
        seen.add(asyncio.get_running_loop())
        channel = await layer.new_channel()
        await layer.group_add(realtime.group_name("realtime-order"), channel)
        try:
            publisher = threading.Thread(target=worker_thread)
            publisher.start()
            await asyncio.to_thread(publisher.join)
            return [json.loads((await layer.receive(channel))["text"])["data"]["number"] for _ in range(5)]
        finally:
            await layer.group_discard(realtime.group_name("realtime-order"), channel)

    assert asyncio.run(scenario()) == [0, 1, 2, 3, 4]
    publishing = {loop for loop in seen if not loop.is_closed()}
    assert publishing == {realtime.publisher_loop()}  # kept with its connection, not one loop per event
    assert realtime.publisher_loop().is_running()
