"""A small process supervisor for `make up`: it starts every process of a Procfile, restarts one that dies
(with a growing pause, so a process that cannot start does not spin), and on SIGTERM or SIGINT stops them
all gracefully (SIGTERM, then SIGKILL after a grace period). One dead worker no longer stops the whole
deployment, and a server stopping under load gets the time it needs to finish its requests.

    python scripts/supervise.py scripts/Procfile

A Procfile line is `name: command`; `$VARIABLE`s are expanded from the environment. Only the standard
library is used, so it runs before anything else is installed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

GRACE_SECONDS = float(os.environ.get("SUPERVISOR_GRACE_SECONDS", "20"))
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 30.0
STABLE_SECONDS = 60.0  # a process up this long has its restart pause reset
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class Program:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    pause: float = FIRST_PAUSE
    restart_at: float | None = None

    def start(self) -> None:
        # Its own process group, so stopping it reaches its children (Celery's pool, gunicorn's workers).
        self.process = subprocess.Popen(self.argv, start_new_session=True,  # noqa: S603 - the operator's Procfile
                                        preexec_fn=_end_with_parent)
        self.started_at = time.monotonic()
        self.restart_at = None
        log(f"{self.name} started (pid {self.process.pid})")

    def signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it exited just now
                os.killpg(self.process.pid, signum)


def _end_with_parent() -> None:
    """In the child before it runs: if the supervisor itself is killed (SIGKILL, OOM), the kernel sends the
    child SIGTERM, so no process of the deployment outlives it and holds the ports."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def log(message: str) -> None:
    sys.stderr.write(f"supervise: {message}\n")
    sys.stderr.flush()


def read_procfile(path: Path) -> list[Program]:
    programs = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, colon, command = line.partition(":")
        if not colon or not name.strip() or not command.strip():
            raise SystemExit(f"{path}:{number}: expected `name: command`")
        programs.append(Program(name.strip(), shlex.split(os.path.expandvars(command))))
    return programs


def supervise(programs: list[Program]) -> int:
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _: stopping.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _: stopping.append(signum))
    for program in programs:
        program.start()
    while not stopping:
        now = time.monotonic()
        for program in programs:
            if program.restart_at is not None:
                if now >= program.restart_at:
                    program.start()
                continue
            code = program.process.poll() if program.process else None
            if code is None:
                continue
            if now - program.started_at >= STABLE_SECONDS:
                program.pause = FIRST_PAUSE
            log(f"{program.name} exited with {code}; restarting in {program.pause:.0f} s")
            program.restart_at = now + program.pause
            program.pause = min(program.pause * 2, LONGEST_PAUSE)
        time.sleep(0.2)
    return shutdown(programs)


def shutdown(programs: list[Program]) -> int:
    log("stopping every process")
    for program in programs:
        program.signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for program in programs:
        if not program.process:
            continue
        try:
            program.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{program.name} did not stop within {GRACE_SECONDS:.0f} s; killing it")
            program.signal(signal.SIGKILL)
            program.process.wait()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: supervise.py PROCFILE")
    sys.exit(supervise(read_procfile(Path(sys.argv[1]))))
