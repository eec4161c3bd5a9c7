"""Whole interviews under load (Locust): `make run`'s server against `make up`, at 10, 50 and 200 candidates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/load_test.py

Each simulated candidate (bench/locustfile.py) registers, then takes whole technical interviews over REST until
the run ends: start a session, each question (text answers, code with an explanation for coding questions, the
follow-ups), complete, read the report. Everything is on loopback and each run is bounded: LOAD_SECONDS
(default 60) of load after the candidates have started (LOAD_SPAWN_RATE a second, default 20), then Locust
stops by itself.

The servers: `make run`'s (one Daphne process, SQLite, tasks run eagerly in the web process) on a fresh SQLite
file, started as `make run` starts it; `make up` (scripts/up.sh: nginx, gunicorn, Daphne, the evaluation and
sandbox workers, beat) on a fresh PostgreSQL database (`cloudinterview_load_bench`, dropped at the end) and
REDIS_URL. Both get the bundled bank and raised rate limits (every candidate comes from 127.0.0.1). While
Locust runs, the CPU each part uses is sampled (the server's processes by role, PostgreSQL's backends for the
bench database, Locust itself), to say what limits throughput. Writes the "## Whole-interview load test" section
of docs/benchmarks.md. LOAD_USERS (default 10,50,200) and LOAD_SERVERS (default run,up) narrow a run.
"""

from __future__ import annotations

import csv
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

BENCH_DB = "cloudinterview_load_bench"
USERS = [int(n) for n in os.environ.get("LOAD_USERS", "10,50,200").split(",")]
SERVERS = os.environ.get("LOAD_SERVERS", "run,up").split(",")
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
SPAWN_RATE = int(os.environ.get("LOAD_SPAWN_RATE", "20"))
TITLE = "Whole-interview load test"
LIMITS = {"RATE_LIMIT_AUTH": "1000000/min", "RATE_LIMIT_SESSIONS": "1000000/min",
          "RATE_LIMIT_QUESTIONS": "1000000/min", "RATE_LIMIT_FEEDBACK": "1000000/min"}
STEPS = ["register", "start session", "next question", "answer (text)", "answer (code)",
         "answer (read until evaluated)", "complete", "report", "complete → report ready", "whole interview"]
ROLES = [("nginx", "nginx"), ("gunicorn", "gunicorn"), ("daphne", "Daphne"), ("-Q sandbox", "sandbox worker"),
         ("celery", "evaluation worker")]


def role(cmdline: str) -> str | None:
    """The part of the deployment a process is (beat counts with the evaluation worker), or None."""
    if "beat" in cmdline and "celery" in cmdline:
        return "evaluation worker"
    return next((name for key, name in ROLES if key in cmdline), None)


def cpu_by_role(server: int, database: str | None) -> dict[str, float]:
    """CPU seconds so far of the server's live processes, by role; PostgreSQL's backends serving `database`
    count as "PostgreSQL", and with a database the Redis server counts as "Redis" (the bench is its only user)."""
    table = list(common.processes())
    parts = [(role(p.cmdline), p) for p in common.descendants(server, table)]
    if database:
        parts += [("PostgreSQL", p) for p in table
                  if p.cmdline.startswith("postgres:") and f" {database} " in p.cmdline]
        parts += [("Redis", p) for p in table if p.cmdline.startswith("redis-server")]
    totals: dict[str, float] = {}
    for name, process in parts:
        if name is not None:
            totals[name] = totals.get(name, 0.0) + process.cpu_seconds
    return totals


def locust(server: int, port: int, users: int, prefix: Path, database: str | None) -> dict[str, float]:
    """One bounded Locust run; the CPU used meanwhile, by role and by the whole machine (everything on it,
    Redis and the kernel included), as shares of one core."""
    spawn_seconds = users / SPAWN_RATE
    run_time = int(spawn_seconds + SECONDS)
    before, started = cpu_by_role(server, database), time.perf_counter()
    machine_before = common.machine_cpu_seconds()
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with Path(f"{prefix}.log").open("w") as output:
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(SPAWN_RATE),
             "--run-time", f"{run_time}s", "--stop-timeout", "30", "--csv", str(prefix), "--only-summary"],
            cwd=ROOT, check=False, timeout=run_time + 120, stdout=output, stderr=subprocess.STDOUT)
    after, wall = cpu_by_role(server, database), time.perf_counter() - started
    machine_after = common.machine_cpu_seconds()
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shares = {name: (after[name] - before.get(name, 0.0)) / wall for name in sorted(after)}
    shares["Locust"] = (client_after.ru_utime + client_after.ru_stime - client_before.ru_utime
                        - client_before.ru_stime) / wall
    shares["whole machine"] = ((machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1])
                               * os.cpu_count())
    return shares


def read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    """Locust's per-step rows: requests, failures, requests/s, p50 and p95 (ms)."""
    rows = {}
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {"count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                 "rps": float(row["Requests/s"]), "p50": float(row["50%"] or 0),
                                 "p95": float(row["95%"] or 0)}
    return rows


def read_failures(prefix: Path) -> list[str]:
    """Locust's failures by step and status (its own rows differ by every error body's timestamp)."""
    counts: dict[str, int] = {}
    with Path(f"{prefix}_failures.csv").open(newline="") as failures:
        for row in csv.DictReader(failures):
            status = re.search(r"(\d{3}): .*?\"code\":\"(\w+)\"", row["Error"])
            kind = f"{row['Name']}: {' '.join(status.groups()) if status else row['Error'][:80]}"
            counts[kind] = counts.get(kind, 0) + int(row["Occurrences"])
    return [f"{kind} (x{count})" for kind, count in counts.items()]


def measure(name: str, start: list[str], env: dict[str, str], port: int, work: Path,
            database: str | None = None) -> list[dict]:
    """Start the server, run Locust at each size against it, stop it."""
    server = common.spawn(start, env, work / f"{name}.log")
    results = []
    try:
        common.wait_ready(port, timeout=120)
        locust(server.pid, port, 5, work / f"{name}-warm-up", database)  # not recorded: first requests, first imports
        for users in USERS:
            prefix = work / f"{name}-{users}"
            cpu = locust(server.pid, port, users, prefix, database)
            stats = read_stats(prefix)
            failures = read_failures(prefix)
            results.append({"server": name, "users": users, "stats": stats, "cpu": cpu, "failures": failures})
            total = stats.get("Aggregated", {})
            common.log(f"  {name}, {users} candidates: {total.get('rps', 0):.1f} req/s, "
                       f"{stats.get('whole interview', {}).get('count', 0)} interviews, "
                       f"{total.get('failures', 0)} failures {failures}; CPU {cpu}")
    finally:
        common.stop(server)
    return results


def sqlite_env(work: Path) -> dict[str, str]:
    """`make run`'s environment: no DATABASE_URL or REDIS_URL (SQLite, in-memory layer, eager tasks)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}}
    env.update(LIMITS, SQLITE_PATH=str(work / "db.sqlite3"), LOG_LEVEL="WARNING")
    for command in (["migrate", "--no-input", "-v", "0"], ["load_question_bank", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=600)
    return env


def table(results: list[dict]) -> str:
    head = ["server", "candidates", "interviews done", "req/s", "failures",
            *(f"{step} p50 / p95 (ms)" for step in STEPS[:-2]), "report ready after complete p50 / p95 (ms)",
            "whole interview p50 / p95 (s)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for result in results:
        stats = result["stats"]
        total = stats.get("Aggregated", {"rps": 0, "failures": 0})
        cells = [result["server"], str(result["users"]), str(stats.get("whole interview", {}).get("count", 0)),
                 f"{total['rps']:.1f}", str(total["failures"])]
        for step in STEPS[:-1]:
            row = stats.get(step)
            cells.append(f"{row['p50']:.0f} / {row['p95']:.0f}" if row else "–")
        whole = stats.get("whole interview")
        cells.append(f"{whole['p50'] / 1000:.1f} / {whole['p95'] / 1000:.1f}" if whole else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cpu_table(results: list[dict]) -> str:
    roles = sorted({name for result in results for name in result["cpu"]} - {"whole machine"}) + ["whole machine"]
    lines = ["| server | candidates | " + " | ".join(roles) + " |", "|---|---:|" + "---:|" * len(roles)]
    for result in results:
        lines.append(f"| {result['server']} | {result['users']} | "
                     + " | ".join(f"{result['cpu'].get(name, 0):.0%}" for name in roles) + " |")
    return "\n".join(lines)


def run() -> None:
    import django

    busy, total = common.machine_cpu_seconds()
    time.sleep(5)
    after = common.machine_cpu_seconds()
    idle_share = 1 - (after[0] - busy) / (after[1] - total)  # what else the machine was doing before the bench
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0)
    static_root = ROOT / "var" / "load-static"
    call_command("collectstatic", interactive=False, verbosity=0)
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="load-bench-") as directory:
        work = Path(directory)
        if "run" in SERVERS:
            common.log("make run: one Daphne process, SQLite, eager tasks")
            port = common.free_port()
            results += measure("make run", [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                            "-v", "0", "cloudinterview.asgi:application"],
                               sqlite_env(work), port, work)
        if "up" in SERVERS:
            common.log("make up: nginx, gunicorn, Daphne, workers, PostgreSQL, Redis")
            port = common.free_port()
            env = {**os.environ, **LIMITS, "LOG_LEVEL": "WARNING", "PORT": str(port), "STATIC_ROOT": str(static_root),
                   "VENV": str(Path(sys.executable).parent.parent), "NGINX_DIR": str(ROOT / "var" / "load-nginx"),
                   "CELERY_QUEUE": "load-bench", "CELERY_BEAT_SCHEDULE_FILE": str(work / "celerybeat-schedule")}
            results += measure("make up", ["bash", "scripts/up.sh"], env, port, work, BENCH_DB)
    info = common.machine_info()
    common.write_section(TITLE, f"""
`bench/load_test.py`, {info['date']}, on {info['nproc']} cores ({info['cpu']}), Python {info['python']},
PostgreSQL {info['postgres']}, Redis; {idle_share:.0%} idle in the 5 s before the run.
Locust ({', '.join(map(str, USERS))} simulated candidates in turn, started at {SPAWN_RATE} a second, then
{SECONDS} s of load; a pause of 0.5 to 1.5 s between steps) runs on the same cores as the servers. Each
candidate registers once, then takes whole technical interviews (20 planned minutes: a coding question
answered in code with an explanation, theory questions in text, each follow-up) over REST: start, each
question and answer, complete, then reads the report until it is ready. An answer's request waits for its
evaluation (a 202 is read again until evaluated). `make run` is one Daphne process on SQLite with tasks run in
the web process; `make up` is scripts/up.sh (nginx, gunicorn with 2 x cores + 1 gthread workers, Daphne, one
evaluation and one sandbox worker of 2 processes each, beat) on PostgreSQL and Redis. Latencies are Locust's
(ms), over the whole run.

{table(results)}

CPU during each run, as shares of one core (2 cores = 200%):

{cpu_table(results)}

Failures: {"; ".join(f"{r['server']} at {r['users']}: {f}" for r in results for f in r["failures"]) or "none"}.
""")


def main() -> int:
    if not os.environ.get("REDIS_URL"):
        common.log("set REDIS_URL (and DATABASE_URL to a PostgreSQL server)")
        return 2
    return common.run_in_bench_database(BENCH_DB, {**LIMITS, "STATIC_ROOT": str(ROOT / "var" / "load-static")}, run)


if __name__ == "__main__":
    sys.exit(main())
