"""The channel layer's share of a socket's events, in one process: channels-redis's own receive against ours.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/channel_layer_bench.py

No Daphne, no sockets and no database: BENCH_LAYER_SOCKETS receivers (default 1,000) wait on one process's
channel layer as a Daphne process's consumers do, and the script measures what delivering events to them costs
that process, with the sender in the same process:

- fan-out: the receivers are in one group; BENCH_LAYER_EVENTS group sends (default 50), each awaited until
  every receiver has it;
- a stream: 900 messages sent to one receiver's channel, then received.

CPU is the process's own CPU time (user + system), which other load on the machine hardly changes; wall time is
given beside it. Each layer runs the scenarios three times after a warm-up and the median run is reported.
Writes the "## Channel layer" section of docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

SOCKETS = int(os.environ.get("BENCH_LAYER_SOCKETS", "1000"))
EVENTS = int(os.environ.get("BENCH_LAYER_EVENTS", "50"))
STREAM = 900  # below the layer's capacity (1,000 a channel)
RUNS = 3
SECTION = "Channel layer"


def layers(redis_url: str) -> dict[str, Any]:
    from channels_redis.core import RedisChannelLayer as Upstream

    from cloudinterview.channel_layer import RedisChannelLayer as Ours

    host = {"address": redis_url, "max_connections": 50, "timeout": 10}
    return {"channels-redis 4.3 receive": Upstream(hosts=[redis_url], capacity=1000),
            "ours (cloudinterview/channel_layer.py)": Ours(hosts=[host], capacity=1000)}


async def fan_out(layer: Any) -> tuple[float, float]:
    """CPU and wall milliseconds per event delivered to every receiver."""
    group = f"bench-{time.monotonic_ns()}"
    channels = [await layer.new_channel() for _ in range(SOCKETS)]
    for channel in channels:
        await layer.group_add(group, channel)
    arrived = asyncio.Event()
    pending = {"count": 0}

    async def consumer(channel: str) -> None:
        while True:
            await layer.receive(channel)
            pending["count"] -= 1
            if pending["count"] == 0:
                arrived.set()

    consumers = [asyncio.ensure_future(consumer(channel)) for channel in channels]
    await asyncio.sleep(0.2)
    cpu, wall = time.process_time(), time.perf_counter()
    for number in range(EVENTS):
        arrived.clear()
        pending["count"] = SOCKETS
        await layer.group_send(group, {"type": "event", "number": number})
        await arrived.wait()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    for task in consumers:
        task.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    for channel in channels:
        await layer.group_discard(group, channel)
    return 1000 * cpu / EVENTS, 1000 * wall / EVENTS


async def stream(layer: Any) -> tuple[float, float]:
    """CPU and wall microseconds per message received by one socket from a queue holding 900."""
    channel = await layer.new_channel()
    for number in range(STREAM):
        await layer.send(channel, {"type": "event", "number": number})
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(STREAM):
        await layer.receive(channel)
    return 1e6 * (time.process_time() - cpu) / STREAM, 1e6 * (time.perf_counter() - wall) / STREAM


def measure(layer: Any) -> dict[str, float]:
    async def once() -> tuple[tuple[float, float], tuple[float, float]]:
        return await fan_out(layer), await stream(layer)

    asyncio.run(once())  # warm-up
    runs = sorted((asyncio.run(once()) for _ in range(RUNS)), key=lambda run: run[0][0])
    (fan_cpu, fan_wall), (stream_cpu, stream_wall) = runs[len(runs) // 2]
    return {"fan_cpu": fan_cpu, "fan_wall": fan_wall, "stream_cpu": stream_cpu, "stream_wall": stream_wall}


def report(rows: dict[str, dict[str, float]]) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"`bench/channel_layer_bench.py`, {when}: {os.cpu_count()} CPUs ({cpu}), Python "
        f"{platform.python_version()}, Redis on loopback; load average {os.getloadavg()[0]:.1f} when written. "
        f"{SOCKETS:,} receivers in one process, as one Daphne process's sockets; fan-out = {EVENTS} group sends, "
        f"each awaited until every receiver has it; stream = {STREAM:,} messages to one receiver. CPU is the "
        "process's own (the sender included); median of 3 runs after a warm-up.",
        "",
        "| receive | fan-out CPU per event (ms) | fan-out wall per event (ms) | stream CPU per message (µs) "
        "| stream wall per message (µs) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        lines.append(f"| {name} | {row['fan_cpu']:.1f} | {row['fan_wall']:.1f} | {row['stream_cpu']:.0f} "
                     f"| {row['stream_wall']:.0f} |")
    upstream, ours = rows.values()
    lines += ["", (
        f"Delivering one event to {SOCKETS:,} sockets costs the process {upstream['fan_cpu'] / ours['fan_cpu']:.1f}x "
        f"less CPU with the pump, and a message to one socket {upstream['stream_cpu'] / ours['stream_cpu']:.0f}x "
        "less: channels-redis makes every waiting receive two tasks, an `asyncio.wait` and a race for the "
        "process's lock again after each message, and pops (and backs up) one message per round trip; the pump "
        "pops a batch and each receive waits on its own inbox.")]
    return "\n".join(lines)


def main() -> int:
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        common.log("set REDIS_URL, e.g. redis://127.0.0.1:6379/0")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloudinterview.settings")
    import django

    django.setup()
    rows = {}
    for name, layer in layers(redis_url).items():
        rows[name] = measure(layer)
        common.log(f"{name}: {rows[name]}")
    common.write_section(SECTION, report(rows))
    common.log(f"wrote {SECTION!r} to {common.DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
