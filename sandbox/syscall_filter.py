"""The seccomp programs, built once per worker by Debian's python3 and handed to bubblewrap.

Building costs an interpreter start (~30 ms), so the bytes are cached in memory and on
disk next to the other state; each run only copies them into a fresh memfd.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import subprocess
from pathlib import Path

from sandbox import state

logger = logging.getLogger("sandbox")

SYSTEM_PYTHON = "/usr/bin/python3"
_BUILDER = Path(__file__).with_name("bpf_builder.py")
PROFILES = ("single", "threads")


@functools.cache
def program(profile: str) -> bytes | None:
    """The BPF program for ``profile``, or None when libseccomp's binding is not installed."""
    if profile not in PROFILES:
        raise ValueError(f"unknown seccomp profile {profile!r}")
    source = _BUILDER.read_bytes()
    digest = hashlib.sha256(source + profile.encode()).hexdigest()[:16]
    cached = state.state_dir() / f"seccomp-{profile}-{digest}.bpf"
    try:
        return cached.read_bytes()
    except FileNotFoundError:
        pass
    if not os.path.exists(SYSTEM_PYTHON):
        return None
    try:
        built = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [SYSTEM_PYTHON, "-I", str(_BUILDER), profile],
            capture_output=True,
            timeout=30,
            check=True,
            env={"PATH": "/usr/bin:/bin"},
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        stderr = getattr(exc, "stderr", b"") or b""
        logger.info("seccomp filter unavailable: %s %s", exc, stderr.decode(errors="replace").strip())
        return None
    state.write_private(cached, built)
    return built


def program_fd(profile: str) -> int:
    """A fresh fd (offset 0) holding the program: bubblewrap reads it to the end once."""
    data = program(profile)
    if data is None:
        raise RuntimeError("seccomp filter is unavailable")
    fd = os.memfd_create("sandbox-seccomp", os.MFD_CLOEXEC)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
