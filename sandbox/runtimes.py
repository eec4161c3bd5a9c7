"""What this sandbox runs: each supported language whose runtime is installed, with the runtime's version. The
API's `GET /v1/api/languages` asks a sandbox worker for this (sandbox.tasks.runtimes_task), so it reports what the
machines that run candidates' code actually have."""

from __future__ import annotations

import functools
import os
import subprocess

from sandbox.runner import INTERPRETERS, LANGUAGES

NAMES = {"python": ("Python", "CPython"), "javascript": ("JavaScript", "Node.js")}
# The interpreter's own version, printed by the interpreter itself (trusted binaries, no candidate code).
VERSION_PROGRAMS = {"python": ["-c", "import platform; print(platform.python_version())"],
                    "javascript": ["-p", "process.versions.node"]}
VERSION_TIMEOUT_SECONDS = 10


def _version(language: str, interpreter: str) -> str | None:
    try:
        done = subprocess.run([interpreter, *VERSION_PROGRAMS[language]], capture_output=True, text=True,  # noqa: S603
                              timeout=VERSION_TIMEOUT_SECONDS, check=True, env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()[:40] or None


@functools.cache
def runtimes() -> tuple[dict[str, str], ...]:
    """`{"language", "name", "runtime", "version"}` for each language that can run here, in LANGUAGES' order.
    Measured once per process: runtimes are not swapped under a running worker."""
    found = []
    for language in LANGUAGES:
        env_name, default = INTERPRETERS[language]
        interpreter = os.environ.get(env_name, default)
        version = _version(language, interpreter) if os.path.exists(interpreter) else None
        if version is not None:
            name, runtime = NAMES[language]
            found.append({"language": language, "name": name, "runtime": runtime, "version": version})
    return tuple(found)
