"""Live interview sockets on one Daphne process: 1,000 concurrent interviews, and the fan-out of one session's
events to 100, 500 and 1,000 sockets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/websocket_bench.py

The distributed deployment, on this machine: the script creates its own database (`cloudinterview_ws_bench`,
dropped at the end), migrates it and loads the bundled bank, then starts one Daphne process and one Celery
worker (offline interviewer) against it and Redis. The `websockets` client runs in this process.

Concurrent interviews (BENCH_INTERVIEWS candidates, default 1,000): each candidate gets its own user, login
and behavioral session, made in bulk through the ORM here, not over HTTP. The sockets open BENCH_CONNECT_RATE a
second (default 20, as candidates arrive; 0: all at once); connect time is from opening a socket to its
`session_state`. Then BENCH_INTERVIEW_ROUNDS rounds (default 3): in each, every candidate takes its turn once, the
turns spread evenly over BENCH_WINDOW seconds (default 60: each candidate answers once a minute, 17 answers a
second in all): over its own socket it sends `next_question` (unless a follow-up awaits an answer), waits for
`question_presented`, sends `submit_answer` and waits for `answer_evaluated`. Latency: `submit_answer` sent to
`answer_evaluated` received, on the candidate's socket.

Fan-out (BENCH_SOCKETS, default 100,500,1000): that many sockets on one session, opened at the same rate; latency from
sending `POST …/answers` (REST) to `answer_evaluated` arriving on every socket, over BENCH_ROUNDS answers;
Daphne's RSS growth per socket; then every socket closes at once and the members left in the session's Redis
group are counted (should be 0).

Both parts record the CPU seconds Daphne and the worker used while they ran. A 20-socket warm-up of each is not
recorded. Writes the "## Live interview (WebSocket)" section of docs/benchmarks.md. Rate limits are raised
through the environment, and the open-files limit up to what 1,000 sockets on each side need.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

BENCH_DB = "cloudinterview_ws_bench"
SIZES = [int(n) for n in os.environ.get("BENCH_SOCKETS", "100,500,1000").split(",") if n]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
INTERVIEWS = int(os.environ.get("BENCH_INTERVIEWS", "1000"))
INTERVIEW_ROUNDS = int(os.environ.get("BENCH_INTERVIEW_ROUNDS", "3"))
WINDOW = float(os.environ.get("BENCH_WINDOW", "60"))
CONNECT_RATE = float(os.environ.get("BENCH_CONNECT_RATE", "20"))  # sockets opened a second; 0: all at once
EVAL_CONCURRENCY = int(os.environ.get("BENCH_EVAL_CONCURRENCY", "4"))
SECTION = "Live interview (WebSocket)"
ANSWER = ("I would start from the requirements, then explain the trade-offs: consistency against availability, "
          "latency against cost, and how the design fails and recovers under load.")


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds of every live process in the group (the worker's pool children included)."""
    return sum(process.cpu_seconds for process in common.processes() if process.group == pgid)


class CpuMeter:
    """CPU seconds each named process group, and this client process, used between `start()` and `stop()`, as
    shares of one core: the client shares the machine's cores, and a saturated client would limit what it
    measures."""

    def __init__(self, groups: dict[str, int]) -> None:
        self.groups = groups

    def _seconds(self) -> dict[str, float]:
        return {**{name: group_cpu_seconds(pgid) for name, pgid in self.groups.items()}, "client": time.process_time()}

    def start(self) -> None:
        self.began = self._seconds()
        self.wall = time.perf_counter()

    def stop(self) -> dict[str, float]:
        wall = time.perf_counter() - self.wall
        return {name: (seconds - self.began[name]) / wall for name, seconds in self._seconds().items()}


def http(port: int, method: str, path: str, token: str, body: dict | None = None) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body or {}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - a fixed http:// loopback URL
        return json.loads(response.read())


def new_session(user: Any) -> str:
    from interviews.services.planning import session_start

    return session_start(user=user, mode="behavioral", include_coding=False, duration=180).public_id


class Client:
    """One client socket. Its reader answers the server's pings the moment they come, as the room does, and
    queues every other message; a client that answered pings only while it waited for an event was closed
    (4408) by the heartbeat whenever it paused more than the ping interval and timeout between turns."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        import websockets

        try:
            async for raw in self.ws:
                message = json.loads(raw)
                if message["type"] == "ping":
                    await self.ws.send(json.dumps({"type": "ping"}))
                else:
                    self.events.put_nowait(message)
        except websockets.ConnectionClosed as exc:
            self.events.put_nowait({"type": "closed", "data": repr(exc)[:200]})

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def close(self) -> None:
        await self.ws.close()
        await self.reader


async def connect(url: str) -> tuple[Client, float]:
    """A socket and its time from opening to `session_state`."""
    import websockets

    started = time.perf_counter()
    ws = await websockets.connect(url, open_timeout=120, ping_interval=None, max_queue=None)
    assert json.loads(await ws.recv())["type"] == "session_state"
    return Client(ws), time.perf_counter() - started


async def open_all(urls: list[str], rate: float = 0) -> tuple[list[Client], list[float], float]:
    """Open every URL's socket, all at once, or `rate` a second as candidates arrive."""

    async def arriving(index: int, url: str) -> tuple[Client, float]:
        await asyncio.sleep(index / rate if rate else 0)
        return await connect(url)

    started = time.perf_counter()
    opened = await asyncio.gather(*(arriving(i, url) for i, url in enumerate(urls)))
    return [client for client, _ in opened], [seconds for _, seconds in opened], time.perf_counter() - started


async def expect(client: Client, event_type: str) -> dict[str, Any]:
    """The data of the next `event_type` event on the socket; a minute without it is a lost event
    (TimeoutError), so a run always ends."""
    async with asyncio.timeout(60):
        while True:
            message = await client.events.get()
            if message["type"] == event_type:
                return message["data"]
            if message["type"] in ("error", "closed"):
                raise RuntimeError(f"waiting for {event_type}: {message['type']} {message['data']}")


# --- 1,000 concurrent interviews ---------------------------------------------------------------------------------


def make_candidates(count: int) -> list[tuple[str, str]]:
    """`count` users, each with a login and a behavioral session: (session id, access token) pairs."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from accounts.tokens import login_start

    tag = time.monotonic_ns()
    password = make_password("bench-password-123456")  # hashed once: the bulk insert needs no per-user hash
    users = User.objects.bulk_create(User(email=f"candidate-{tag}-{i}@example.com", password=password)
                                     for i in range(count))
    return [(new_session(user), login_start(user=user)["accessToken"]) for user in users]


async def take_turns(ws: Client, start_at: float, window: float, answers: list[float], presents: list[float],
                     lost: list[str]) -> None:
    """One candidate: a turn per round at `start_at` + k x `window`, a question (or the pending follow-up) and
    its answer. An event that never comes (or a closed socket) ends this candidate's run and is counted."""

    loop = asyncio.get_running_loop()
    follow_up = False
    try:
        for round_ in range(INTERVIEW_ROUNDS):
            await asyncio.sleep(max(0.0, start_at + round_ * window - loop.time()))
            if not follow_up:
                asked = time.perf_counter()
                await ws.send({"type": "next_question"})
                if (await expect(ws, "question_presented"))["question"] is None:
                    return
                presents.append(time.perf_counter() - asked)
            sent = time.perf_counter()
            await ws.send({"type": "submit_answer", "data": {"answerText": ANSWER}})
            evaluated = await expect(ws, "answer_evaluated")
            answers.append(time.perf_counter() - sent)
            follow_up = evaluated["nextAction"]["type"] == "follow_up"
    except (TimeoutError, RuntimeError) as exc:
        lost.append(repr(exc)[:200])


async def interviews(port: int, candidates: list[tuple[str, str]], meter: CpuMeter, window: float) -> dict[str, Any]:
    urls = [f"ws://127.0.0.1:{port}/v1/interviews/{session_id}?token={token}" for session_id, token in candidates]
    meter.start()
    sockets, connect_times, connect_wall = await open_all(urls, CONNECT_RATE)
    connect_cpu = meter.stop()
    answers: list[float] = []
    presents: list[float] = []
    lost: list[str] = []
    meter.start()
    start = asyncio.get_running_loop().time() + 1
    spacing = window / len(sockets)
    await asyncio.gather(*(take_turns(ws, start + i * spacing, window, answers, presents, lost)
                           for i, ws in enumerate(sockets)))
    turns_cpu = meter.stop()
    await asyncio.gather(*(ws.close() for ws in sockets))
    row = {
        "candidates": len(sockets), "connect_wall": connect_wall, "connect_p50": percentile(connect_times, 50),
        "connect_p95": percentile(connect_times, 95), "present_p50": percentile(presents, 50),
        "present_p95": percentile(presents, 95), "p50": percentile(answers, 50), "p95": percentile(answers, 95),
        "p99": percentile(answers, 99), "samples": len(answers), "connect_cpu": connect_cpu, "turns_cpu": turns_cpu,
        "lost": len(lost),
    }
    if lost:
        common.log(f"  {len(lost)} candidates stopped early: {sorted(set(lost))[:5]}")
    common.log(f"  {len(sockets)} interviews: {row}")
    return row


# --- fan-out: many sockets on one session -------------------------------------------------------------------------


async def arrival(ws: Client, event_type: str) -> float:
    await expect(ws, event_type)
    return time.perf_counter()


async def fan_out(port: int, daphne_pid: int, user: Any, token: str, count: int, meter: CpuMeter) -> dict[str, Any]:
    from channels.layers import get_channel_layer

    from interviews.realtime import group_name

    session_id = await asyncio.to_thread(new_session, user)
    rss_before = rss_kib(daphne_pid)
    sockets, connect_times, connect_wall = await open_all(
        [f"ws://127.0.0.1:{port}/v1/interviews/{session_id}?token={token}"] * count, CONNECT_RATE)
    await asyncio.sleep(1)
    rss_after = rss_kib(daphne_pid)
    latencies: list[float] = []
    base = f"/v1/api/sessions/{session_id}"
    meter.start()
    for _ in range(ROUNDS):
        presented = [asyncio.create_task(arrival(ws, "question_presented")) for ws in sockets]
        await asyncio.to_thread(http, port, "POST", f"{base}/questions/next", token)
        await asyncio.gather(*presented)
        evaluated = [asyncio.create_task(arrival(ws, "answer_evaluated")) for ws in sockets]
        sent = time.perf_counter()
        await asyncio.to_thread(http, port, "POST", f"{base}/answers", token, {"answerText": ANSWER})
        latencies += [at - sent for at in await asyncio.gather(*evaluated)]
    cpu = meter.stop()
    await asyncio.gather(*(ws.close() for ws in sockets))
    await asyncio.sleep(2)
    layer = get_channel_layer()
    left = await layer.connection(layer.consistent_hash(group_name(session_id))).zcard(
        layer._group_key(group_name(session_id)))
    row = {
        "sockets": count, "connect_wall": connect_wall, "connect_p50": percentile(connect_times, 50),
        "connect_p95": percentile(connect_times, 95), "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95), "p99": percentile(latencies, 99), "samples": len(latencies),
        "rss_per_socket": (rss_after - rss_before) / count, "rss_after": rss_after, "left": left, "cpu": cpu,
    }
    common.log(f"  {count} sockets: {row}")
    return row


# --- the report ---------------------------------------------------------------------------------------------------


INTERVIEW_COLUMNS = ["Candidates", "Open all (s)", "Connect p50 (ms)", "Connect p95 (ms)",
                     "next → presented p50 (ms)", "p95 (ms)", "Answer → evaluated p50 (ms)", "p95 (ms)", "p99 (ms)",
                     "Answers", "Candidates stopped early", "CPU while opening", "CPU during the turns"]
FAN_OUT_COLUMNS = ["Sockets", "Open all (s)", "Connect p50 (ms)", "Connect p95 (ms)", "Answer → evaluated p50 (ms)",
                   "p95 (ms)", "p99 (ms)", "Daphne RSS per socket (KiB)", "Group members left after closing all",
                   "CPU during the answers"]


def header(columns: list[str]) -> str:
    """A table's head: figures right-aligned, the CPU columns (text) left."""
    return "\n".join(("| " + " | ".join(columns) + " |",
                      "|" + "|".join("---" if name.startswith("CPU") else "---:" for name in columns) + "|"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def cpu(shares: dict[str, float]) -> str:
    return ", ".join(f"{name} {share:.0%}" for name, share in shares.items())


def report(interview_rows: list[dict[str, Any]], fan_rows: list[dict[str, Any]], info: dict[str, str]) -> str:
    rate = INTERVIEWS / WINDOW
    arrivals = (f"the sockets open {CONNECT_RATE:.0f} a second, as candidates arrive" if CONNECT_RATE
                else "all sockets open at once")
    interviews_table = "\n".join(
        f"| {r['candidates']:,} | {r['connect_wall']:.2f} | {ms(r['connect_p50'])} | {ms(r['connect_p95'])} | "
        f"{ms(r['present_p50'])} | {ms(r['present_p95'])} | {ms(r['p50'])} | {ms(r['p95'])} | {ms(r['p99'])} | "
        f"{r['samples']:,} | {r['lost']} | {cpu(r['connect_cpu'])} | {cpu(r['turns_cpu'])} |" for r in interview_rows)
    fan_table = "\n".join(
        f"| {r['sockets']:,} | {r['connect_wall']:.2f} | {ms(r['connect_p50'])} | {ms(r['connect_p95'])} | "
        f"{ms(r['p50'])} | {ms(r['p95'])} | {ms(r['p99'])} | {r['rss_per_socket']:.0f} | {r['left']} | "
        f"{cpu(r['cpu'])} |" for r in fan_rows)
    return f"""
`bench/websocket_bench.py`, {info['date']}: the distributed deployment on one machine ({info['nproc']} CPUs,
{info['cpu']}, Python {info['python']}, PostgreSQL {info['postgres']}, load average {info['load']} when written):
one Daphne process, one Celery worker ({EVAL_CONCURRENCY} processes, offline interviewer), PostgreSQL and Redis
(channel layer with the blocking pool from `cloudinterview/channel_layer.py`). The `websockets` client runs on the
same machine, so it competes with the server for the CPUs. CPU columns: share of one core each process group used
during the phase.

### Concurrent interviews

Each candidate has its own user, login, behavioral session and socket; {arrivals} (connect: socket
opened to `session_state`). Then {INTERVIEW_ROUNDS} rounds: in each, every candidate takes one turn, the turns
spread evenly over {WINDOW:.0f} s ({rate:.0f} answers a second, as many `next_question`s): `next_question` over
the socket (unless a follow-up awaits), then `submit_answer` over the socket. Answer latency: `submit_answer` sent
to `answer_evaluated` received on the candidate's socket. A candidate whose expected event does not come within
a minute (or whose socket closes) stops and is counted as stopped early.

{header(INTERVIEW_COLUMNS)}
{interviews_table}

### Fan-out: many sockets on one session

All sockets of a row are on one session; {arrivals}. Latency: from sending `POST …/answers` over REST to
`answer_evaluated` arriving on each socket, {ROUNDS} answers per row (each answer also sends its
`ai_message_delta` and two `typing_indicator` events to every socket). Memory: Daphne's RSS growth divided by the
sockets.

{header(FAN_OUT_COLUMNS)}
{fan_table}

What limited the sockets, found with py-spy (Daphne, the worker) and a trace of each answer's steps, and fixed:

- Socket actions (`next_question`, `submit_answer`) ran in Django's one sync thread of the Daphne process,
  one at a time: 100 interviews at 20 answers a second gave answer → evaluated p50 12 s. They now run in the
  sockets' thread pool (`cloudinterview/handshake.py`), as the handshake does.
- Each event a worker published made a new event loop, thread and Redis connection: events from workers and
  gunicorn now go through one long-lived loop per process (`interviews/realtime.py`).
- channels-redis dropped a message popped for one socket when another socket of the same process closed at
  that moment; the pop now outlives the cancellation and puts the message back (`cloudinterview/channel_layer.py`).
- Every socket's receive cost Daphne's loop two tasks, an `asyncio.wait` and a lock race after each message:
  one pump per process now fills per-socket inboxes ("Channel layer" below: 4.9x less CPU per fan-out event).
- **Garbage collection was the tail.** On a quiet machine, with the steps above fixed, answer → evaluated was
  p50 60 ms but p95 0.26–0.61 s from run to run. Timing each answer's steps put the tail in whole-process pauses,
  and `gc.callbacks` showed them: Daphne's full collections took 220–440 ms every 20–50 s, walking every
  module, class and registry loaded at start-up; an evaluation process's took 320 ms. Each server process now
  freezes what start-up loaded (`cloudinterview/gc_tuning.py`: Daphne, gunicorn, each Celery pool process): the
  same run gave p95 56 ms.
- Per event, each of a session's sockets encoded it to JSON again, and Channels made a task and an
  `asyncio.wait` for every message each socket received. Events now travel as JSON encoded once
  (`realtime.group_message`), and each socket has one reader per source (`consumers.dispatch_in_turn`): the
  fan-out to 1,000 sockets went from p95 0.72 s (baseline on this machine) to 0.32–0.53 s, with a fifth less of
  Daphne's CPU.
- An evaluation read its answer three times and its question's five parts each time: now twice, and the parts
  once per process while the question row is unchanged (`interviewer_data.question_data_for`); Markdown keeps
  one renderer per thread and caches short texts.

Runs of the same socket code vary with the shared host. On 2026-12-06, five runs of the fan-out to 1,000 sockets
gave p95 389, 475, 529, 440 and 316 ms (median 440 ms; a sixth, with py-spy attached to Daphne, 479 ms). Of three
runs of the interviews, one gave answer → evaluated p95 3.5 s during a slow spell when every step was slow
(handshakes included); the others gave 66 and 74 ms.

What is left: the fan-out is Daphne writing each event to every socket, four events per answer, on one core
(Twisted registers and unregisters each socket's writer with the event loop for every frame). Group members left
after closing are counted 2 s after the sockets close: a few `group_discard`s can still be in flight then (they
expire with the group in any case, `WS_GROUP_EXPIRY_SECONDS`).
"""


def run() -> None:
    import django
    import websockets
    from django.core.management import call_command

    django.setup()
    common.log(f"migrating {BENCH_DB} and loading the bank")
    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from accounts.models import User
    from accounts.tokens import login_start

    user = User.objects.create_user("ws-bench@example.com", "bench-password-123456")
    token = login_start(user=user)["accessToken"]
    started = time.perf_counter()
    warm_candidates, candidates = make_candidates(20), make_candidates(INTERVIEWS)
    common.log(f"made {INTERVIEWS + 20} candidates in {time.perf_counter() - started:.1f} s")
    port = common.free_port()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "AI_PROVIDER": "offline"}
    logs = Path(tempfile.mkdtemp(prefix="ws-bench-"))
    common.log(f"server logs in {logs}")
    daphne = common.spawn([sys.executable, "-m", "daphne", "-e",
                           f"tcp:port={port}:interface=127.0.0.1:backlog=2048", "cloudinterview.asgi:application"],
                          env, logs / "daphne.log")
    worker = common.spawn([sys.executable, "-m", "celery", "-A", "cloudinterview", "worker", "-Q", "celery",
                           "--concurrency", str(EVAL_CONCURRENCY), "--without-gossip", "--without-mingle",
                           "-n", "ws-bench@%h"], env, logs / "worker.log")
    meter = CpuMeter({"Daphne": daphne.pid, "worker": worker.pid})
    try:
        common.wait_ready(port)
        common.log("warm-up (not recorded)")
        asyncio.run(interviews(port, warm_candidates, meter, window=2))
        interview_rows = [asyncio.run(interviews(port, candidates, meter, WINDOW))] if INTERVIEWS else []
        asyncio.run(fan_out(port, daphne.pid, user, token, 20, meter))
        fan_rows = []
        for count in SIZES:
            try:
                fan_rows.append(asyncio.run(fan_out(port, daphne.pid, user, token, count, meter)))
            except TimeoutError:
                common.log(f"  {count} sockets: an event did not arrive within a minute; row left out")
            except (OSError, websockets.ConnectionClosed) as exc:  # the server refused or dropped a socket
                common.log(f"  {count} sockets: a socket did not open ({exc!r}); row left out")
    finally:
        for process in (daphne, worker):
            common.stop(process)
    common.write_section(SECTION, report(interview_rows, fan_rows, common.machine_info()))
    common.log(f"wrote {SECTION!r} to {common.DOC}")


def main() -> int:
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        common.log("set DATABASE_URL (PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/postgres) and REDIS_URL")
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * max([*SIZES, INTERVIEWS]) + 1024  # this client's sockets, and Daphne's (inherited)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
    limits = {"RATE_LIMIT_SESSIONS": "1000000/min", "RATE_LIMIT_AUTH": "100000/min"}
    return common.run_in_bench_database(BENCH_DB, limits, run)


if __name__ == "__main__":
    sys.exit(main())
