"""REST throughput of `make up` (nginx, gunicorn) against one Daphne process (`make run`'s server), measured
in one run on the same machine, data and settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/rest_ratio.py

Needs wrk and nginx (Debian: apt-get install wrk nginx-light). The script creates its own database
(`cloudinterview_rest_bench`, dropped at the end), migrates it and loads the bundled bank, collects static
files, makes one user with a JWT, then for each server: starts it, warms it up for 3 s, and runs wrk (2
threads, 16 connections, BENCH_SECONDS seconds, default 20) on `GET /v1/api/questions?limit=20` with the JWT,
the question list at 20 a page. Rate limits are raised through the environment. wrk runs on the same cores
as the servers, as a client on this machine would. Writes the "## REST throughput" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _common as common  # noqa: E402 - bench/ is the script's own directory

BENCH_DB = "cloudinterview_rest_bench"
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CONNECTIONS = 16
PATH = "/v1/api/questions?limit=20"
TITLE = "REST throughput: make up against one Daphne"


def wrk(port: int, token: str, seconds: int) -> dict[str, float]:
    """Requests per second, latency percentiles, and the count of non-2xx answers (which must be 0)."""
    import subprocess

    result = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {token}",
         f"http://127.0.0.1:{port}{PATH}"], capture_output=True, text=True, check=True, timeout=seconds + 60)
    out = result.stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50%"),
            "p99": latency("99%"), "errors": float(errors.group(1)) if errors else 0.0}


def measure(name: str, start: list[str], env: dict[str, str], port: int, token: str) -> dict[str, float]:
    log_file = Path(tempfile.gettempdir()) / f"rest-bench-{name}.log"
    server = common.spawn(start, env, log_file)
    try:
        common.wait_ready(port)
        wrk(port, token, 3)
        row = wrk(port, token, SECONDS)
    finally:
        common.stop(server)
    common.log(f"  {name}: {row['rps']:.0f} req/s, p50 {row['p50']:.1f} ms, p99 {row['p99']:.1f} ms, "
               f"{row['errors']:.0f} errors")
    return row


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import User
    from accounts.tokens import login_start

    call_command("migrate", verbosity=0)
    call_command("load_question_bank", verbosity=0)
    static_root = ROOT / "var" / "bench-static"
    call_command("collectstatic", interactive=False, verbosity=0)
    user = User.objects.create_user("rest-bench@example.com", "bench-password-123456")
    token = login_start(user=user)["accessToken"]
    env = {**os.environ, "LOG_LEVEL": "WARNING", "STATIC_ROOT": str(static_root)}
    daphne_port, up_port = common.free_port(), common.free_port()
    try:
        common.log("one Daphne process")
        daphne = measure("daphne", [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(daphne_port),
                                    "cloudinterview.asgi:application"], env, daphne_port, token)
        common.log("make up (nginx, gunicorn, Daphne, workers)")
        up_env = {**env, "PORT": str(up_port), "VENV": str(Path(sys.executable).parent.parent),
                  "NGINX_DIR": str(ROOT / "var" / "bench-nginx"), "CELERY_QUEUE": "rest-bench"}
        up = measure("make up", ["bash", "scripts/up.sh"], up_env, up_port, token)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    info = common.machine_info()
    rows = "\n".join(
        f"| {label} | {row['rps']:.0f} req/s | {row['p50']:.1f} ms | {row['p99']:.1f} ms | {row['errors']:.0f} |"
        for label, row in (("one Daphne process (`make run`)", daphne), ("`make up`: nginx + gunicorn", up)))
    common.write_section(TITLE, f"""
`bench/rest_ratio.py`, {info['date']}, on {info['nproc']} cores ({info['cpu']}), Python {info['python']},
PostgreSQL {info['postgres']}, Redis: wrk, 2 threads, {CONNECTIONS} connections, {SECONDS} s after a 3 s warm-up,
`GET {PATH}` with a JWT, on the same machine as the servers. `make up` runs gunicorn with
`WEB_CONCURRENCY` = 2 x cores + 1 gthread workers (4 threads each) behind nginx; the socket goes to Daphne
behind the same nginx port.

| server | throughput | p50 | p99 | non-2xx |
| --- | ---: | ---: | ---: | ---: |
{rows}

**`make up` serves {up['rps'] / daphne['rps']:.1f}x the REST throughput of one Daphne process.**
""")


def main() -> int:
    if not os.environ.get("REDIS_URL"):
        common.log("set REDIS_URL (and DATABASE_URL to a PostgreSQL server)")
        return 2
    limits = {"RATE_LIMIT_QUESTIONS": "100000000/min", "RATE_LIMIT_AUTH": "100000/min",
              "STATIC_ROOT": str(ROOT / "var" / "bench-static")}
    return common.run_in_bench_database(BENCH_DB, limits, run)


if __name__ == "__main__":
    sys.exit(main())
