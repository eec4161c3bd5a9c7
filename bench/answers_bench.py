"""End-to-end time of `POST /v1/api/sessions/{id}/answers`, from request to evaluated response.

Two setups, each a real Daphne process on loopback:
- embedded default: SQLite, evaluation runs eagerly inside the request;
- distributed: PostgreSQL + Redis broker, one Celery worker evaluating (the request waits on the result).

Usage: .venv/bin/python bench/answers_bench.py [--answers 200]
Writes the "## Answer evaluation (end to end)" section of docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

import _common as common  # noqa: E402 - bench/ is the script's own directory

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
BENCH_DB = "cloudinterview_answers_bench"
ANSWER = ("I would start from the requirements, then explain the trade-offs: a hash map gives O(1) lookups, "
          "a sorted structure gives ordered scans in O(log n). For example, with a write-ahead log the change is "
          "logged first, then replayed after a crash. As a result we reduced latency by 40 percent.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body or {}).encode(),
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def measure(base: str, answers: int) -> list[float]:
    token = call(base, "POST", "/v1/auth/register", {"email": f"bench{time.time_ns()}@example.com",
                                                      "password": "bench-password-123"})["tokens"]["accessToken"]
    timings: list[float] = []
    while len(timings) < answers:
        session = call(base, "POST", "/v1/api/sessions", {"mode": "behavioral", "duration": 180}, token)
        sid = session["session"]["sessionId"]
        while len(timings) < answers and call(base, "POST", f"/v1/api/sessions/{sid}/questions/next",
                                              token=token)["question"]:
            for _ in range(2):  # the answer, then its follow-up when one is asked
                start = time.perf_counter()
                body = call(base, "POST", f"/v1/api/sessions/{sid}/answers", {"answerText": ANSWER}, token)
                timings.append((time.perf_counter() - start) * 1000)
                if body.get("nextAction", {}).get("type") != "follow_up":
                    break
    return timings


def run_setup(name: str, env: dict, answers: int, workers: list[list[str]]) -> dict:
    port = free_port()
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for cmd in workers]
    procs.append(subprocess.Popen([str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(port), "-v", "0",
                                   "cloudinterview.asgi:application"], cwd=ROOT, env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        measure(base, 10)  # warm-up
        timings = sorted(measure(base, answers))
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
    return {"setup": name, "n": len(timings), "p50": statistics.median(timings),
            "p95": timings[int(0.95 * (len(timings) - 1))], "mean": statistics.fmean(timings)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=200)
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    base_env.update(RATE_LIMIT_AUTH="100000/min", RATE_LIMIT_SESSIONS="100000/min", LOG_LEVEL="WARNING",
                    AI_PROVIDER="offline")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        embedded = {**base_env, "CLOUDINTERVIEW_VAR_DIR": tmp}
        manage(embedded, "migrate", "--no-input")
        manage(embedded, "load_question_bank")
        results.append(run_setup("embedded default (SQLite, eager)", embedded, args.answers, []))
    drop = f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"
    common.admin_execute(PG_ADMIN_URL, drop, f"CREATE DATABASE {BENCH_DB}")
    try:
        distributed = {**base_env, "DATABASE_URL": common.database_url(PG_ADMIN_URL, BENCH_DB),
                       "REDIS_URL": REDIS_URL, "SANDBOX_REQUIRE_STRONG": "0"}
        manage(distributed, "migrate", "--no-input")
        manage(distributed, "load_question_bank")
        worker = [sys.executable, "-m", "celery", "-A", "cloudinterview", "worker", "-Q", "celery",
                  "--concurrency", "1", "-l", "WARNING"]
        results.append(run_setup("distributed (PostgreSQL, Redis broker, 1 worker)", distributed, args.answers,
                                 [worker]))
    finally:
        common.admin_execute(PG_ADMIN_URL, drop)
    rows = "\n".join(f"| {r['setup']} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['mean']:.1f} |"
                     for r in results)
    common.write_section("Answer evaluation (end to end)", f"""`bench/answers_bench.py`, {datetime.now(UTC):%Y-%m-%d}, \
{os.cpu_count()} cores, Python {platform.python_version()}. One client on loopback posts text answers \
(behavioral questions, follow-ups included) to a real Daphne process and times each `POST …/answers` until the \
evaluated 201 response (offline interviewer).

| setup | answers | p50 ms | p95 ms | mean ms |
| --- | ---: | ---: | ---: | ---: |
{rows}
""")
    common.log(rows)


if __name__ == "__main__":
    main()
