"""What every benchmark shares: its section of docs/benchmarks.md and a throw-away PostgreSQL database."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def log(message: str) -> None:
    print(message, flush=True)  # noqa: T201


def write_section(title: str, body: str) -> None:
    """Replace (or append) the section headed `## {title}` with `body`, leaving the others."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")


def database_url(base: str, name: str) -> str:
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def admin_execute(base_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def run_in_bench_database(name: str, environ: dict[str, str], run: Callable[[], None]) -> int:
    """Run `run` with Django pointed at a fresh database `name` on DATABASE_URL's server, then drop it."""
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        log("set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
        return 2
    admin_execute(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = database_url(base_url, name)
    os.environ.update(environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloudinterview.settings")
    try:
        run()
    finally:
        from django.db import connections

        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        admin_execute(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        log(f"dropped {name}")
    return 0


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def spawn(args: list[str], env: dict[str, str], output: Path | None = None) -> subprocess.Popen:
    """A server process in its own process group (so it can be stopped whole), from the repository root."""
    stream = output.open("w") if output else subprocess.DEVNULL
    return subprocess.Popen(args, cwd=DOC.parents[1], env=env, start_new_session=True, stdout=stream,
                            stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, timeout: float = 40) -> None:
    """SIGTERM to the whole group, as an operator would; SIGKILL if it does not go."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server answered on port {port}")


def machine_info() -> dict[str, str]:
    """What a reader needs to compare figures: when, on which CPU and how many cores, which versions, how busy."""
    import datetime as dt
    import platform

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "postgres": pg_version.split()[0],
            "cpu": cpu, "nproc": str(os.cpu_count()), "python": platform.python_version(),
            "load": f"{os.getloadavg()[0]:.1f}"}


class Process(NamedTuple):
    pid: int
    parent: int
    group: int
    cmdline: str
    cpu_seconds: float  # user + system so far, its ended children's included


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores (/proc/stat; iowait counts as idle)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    hertz = os.sysconf("SC_CLK_TCK")
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / hertz, sum(ticks) / hertz


def processes() -> Iterator[Process]:
    """Every live process."""
    ticks = os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue  # it exited meanwhile
        # After the name: state ppid pgrp ... utime, stime, then cutime and cstime: what its children that ended
        # used (short-lived ones, such as the sandbox's runs, are never seen live).
        yield Process(int(proc.name), int(fields[1]), int(fields[2]), cmdline,
                      sum(int(field) for field in fields[11:15]) / ticks)


def descendants(root: int, table: list[Process]) -> list[Process]:
    """`root` and every process started under it, from a `processes()` snapshot."""
    children: dict[int, list[Process]] = {}
    for process in table:
        children.setdefault(process.parent, []).append(process)
    found, queue = [], [p for p in table if p.pid == root]
    while queue:
        process = queue.pop()
        found.append(process)
        queue += children.get(process.pid, [])
    return found
