"""Live interview sockets at 100, 500 and 1,000 concurrent connections on one Daphne process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/websocket_bench.py

The distributed deployment, on this machine: the script creates its own database (`cloudinterview_ws_bench`,
dropped at the end), migrates it and loads the bundled bank, then starts one Daphne process and one Celery
worker (offline interviewer) against it and Redis. For each size it opens that many sockets at once on one
session (the `websockets` client, in this process) and measures: the time from opening a socket to its
`session_state`; the latency from sending `POST …/answers` (REST) to `answer_evaluated` arriving on every
socket, over BENCH_ROUNDS answers; Daphne's RSS growth per socket. It then closes every socket at once and
counts the members left in the session's Redis group (should be 0). A 20-socket warm-up is not recorded.
Writes the "## Live interview (WebSocket)" section of docs/benchmarks.md. Rate limits are raised through
the environment, and the open-files limit up to what 1,000 sockets on each side need.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

BENCH_DB = "cloudinterview_ws_bench"
SIZES = [int(n) for n in os.environ.get("BENCH_SOCKETS", "100,500,1000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECTION = "## Live interview (WebSocket)"
ANSWER = ("I would start from the requirements, then explain the trade-offs: consistency against availability, "
          "latency against cost, and how the design fails and recovers under load.")


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http(port: int, method: str, path: str, token: str, body: dict | None = None) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body or {}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - a fixed http:// loopback URL
        return json.loads(response.read())


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Daphne did not start")


def new_session(user: Any) -> str:
    from interviews.services.planning import session_start

    return session_start(user=user, mode="behavioral", include_coding=False, duration=180).public_id


async def open_sockets(port: int, session_id: str, token: str, count: int) -> tuple[list[Any], list[float], float]:
    """Open `count` sockets at once; each one's time from opening to its session_state."""
    import websockets

    url = f"ws://127.0.0.1:{port}/v1/interviews/{session_id}?token={token}"

    async def one() -> tuple[Any, float]:
        started = time.perf_counter()
        ws = await websockets.connect(url, open_timeout=120, ping_interval=None, max_queue=None)
        assert json.loads(await ws.recv())["type"] == "session_state"
        return ws, time.perf_counter() - started

    started = time.perf_counter()
    opened = await asyncio.gather(*(one() for _ in range(count)))
    return [ws for ws, _ in opened], [seconds for _, seconds in opened], time.perf_counter() - started


async def arrival(ws: Any, event_type: str) -> float:
    while json.loads(await ws.recv())["type"] != event_type:
        continue
    return time.perf_counter()


async def measure(port: int, daphne_pid: int, user: Any, token: str, count: int) -> dict[str, Any]:
    from channels.layers import get_channel_layer

    from interviews.realtime import group_name

    session_id = await asyncio.to_thread(new_session, user)
    rss_before = rss_kib(daphne_pid)
    sockets, connect_times, connect_wall = await open_sockets(port, session_id, token, count)
    await asyncio.sleep(1)
    rss_after = rss_kib(daphne_pid)
    latencies: list[float] = []
    base = f"/v1/api/sessions/{session_id}"
    for _ in range(ROUNDS):
        presented = [asyncio.create_task(arrival(ws, "question_presented")) for ws in sockets]
        await asyncio.to_thread(http, port, "POST", f"{base}/questions/next", token)
        await asyncio.gather(*presented)
        evaluated = [asyncio.create_task(arrival(ws, "answer_evaluated")) for ws in sockets]
        sent = time.perf_counter()
        await asyncio.to_thread(http, port, "POST", f"{base}/answers", token, {"answerText": ANSWER})
        latencies += [at - sent for at in await asyncio.gather(*evaluated)]
    await asyncio.gather(*(ws.close() for ws in sockets))
    await asyncio.sleep(2)
    layer = get_channel_layer()
    left = await layer.connection(layer.consistent_hash(group_name(session_id))).zcard(
        layer._group_key(group_name(session_id)))
    row = {
        "sockets": count, "connect_wall": connect_wall, "connect_p50": percentile(connect_times, 50),
        "connect_p95": percentile(connect_times, 95), "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95), "p99": percentile(latencies, 99), "samples": len(latencies),
        "rss_per_socket": (rss_after - rss_before) / count, "rss_after": rss_after, "left": left,
    }
    common.log(f"  {count} sockets: {row}")
    return row


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_section(rows: list[dict[str, Any]], info: dict[str, str]) -> None:
    lines = [
        SECTION,
        "",
        f"`bench/websocket_bench.py`, {info['date']}: the distributed deployment on one machine ({info['nproc']} "
        f"CPUs, {info['cpu']}, Python {info['python']}): one Daphne process, one Celery worker (offline "
        "interviewer), PostgreSQL and Redis (channel layer with the blocking pool from "
        "`cloudinterview/channel_layer.py`); the `websockets` client runs on the same machine, so it competes "
        f"with the server for the CPUs. All sockets of a row are on one session and opened at once. Latency: "
        f"from sending `POST …/answers` over REST to `answer_evaluated` arriving on each socket, {ROUNDS} "
        "answers per row (each answer also streams its `ai_message_delta` events and two `typing_indicator` "
        "events to every socket). Memory: Daphne's RSS growth divided by the sockets.",
        "",
        "| Sockets | Open all (s) | Connect p50 (ms) | Connect p95 (ms) | Answer → evaluated p50 (ms) | p95 (ms) "
        "| p99 (ms) | Daphne RSS per socket (KiB) | Group members left after closing all |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(f"| {r['sockets']:,} | {r['connect_wall']:.2f} | {r['connect_p50'] * 1000:.0f} | "
          f"{r['connect_p95'] * 1000:.0f} | {r['p50'] * 1000:.0f} | {r['p95'] * 1000:.0f} | {r['p99'] * 1000:.0f} | "
          f"{r['rss_per_socket']:.0f} | {r['left']} |" for r in rows),
        "",
        "Where the time goes: each handshake validates the token and builds the `session_state` snapshot in "
        "Django's one sync thread (a few queries each), so opening many sockets at once queues there; an "
        "event reaches N sockets through one `group_send` to Redis, then Daphne writes N frames on one core.",
        "",
    ]
    common.write_section(SECTION.removeprefix("## "), "\n".join(lines[2:]))
    common.log(f"wrote {SECTION!r} to {common.DOC}")


def run() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    common.log(f"migrating {BENCH_DB} and loading the bank")
    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from accounts.models import User
    from accounts.tokens import login_start

    user = User.objects.create_user("ws-bench@example.com", "bench-password-123456")
    token = login_start(user=user)["accessToken"]
    port = free_port()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "AI_PROVIDER": "offline"}
    daphne = spawn([sys.executable, "-m", "daphne", "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=2048",
                    "cloudinterview.asgi:application"], env)
    worker = spawn([sys.executable, "-m", "celery", "-A", "cloudinterview", "worker", "-Q", "celery",
                    "--concurrency", "2", "--without-gossip", "--without-mingle", "-n", "ws-bench@%h"], env)
    try:
        wait_ready(port)
        common.log("warm-up (not recorded)")
        asyncio.run(measure(port, daphne.pid, user, token, 20))
        rows = [asyncio.run(measure(port, daphne.pid, user, token, count)) for count in SIZES]
    finally:
        for process in (daphne, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    write_section(rows, common.machine_info())


def main() -> int:
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        common.log("set DATABASE_URL (PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/postgres) and REDIS_URL")
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * max(SIZES) + 1024  # this client's sockets, and Daphne's (inherited)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
    limits = {"RATE_LIMIT_SESSIONS": "1000000/min", "RATE_LIMIT_AUTH": "100000/min"}
    return common.run_in_bench_database(BENCH_DB, limits, run)


if __name__ == "__main__":
    sys.exit(main())
