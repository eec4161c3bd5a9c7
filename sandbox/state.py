"""The worker's private directory: harness copies, seccomp cache, slot locks and boxes.

Everything here is created by the worker's own user and checked not to be a symlink or
someone else's directory, because it lives under the shared temporary directory by default.
Root-side code never follows a path inside a box: boxes are created fresh and removed with
fd-based ``shutil.rmtree``, which does not follow symlinks a candidate planted.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import logging
import os
import random
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger("sandbox")

HARNESS_SOURCE = Path(__file__).with_name("harness")
HARNESS_FILES = {"python": "python_harness.py", "javascript": "js_harness.js"}


def _private_dir(path: Path, mode: int) -> Path:
    """Create ``path`` (or accept it) only if it is a real directory owned by us."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=mode)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise RuntimeError(f"{path} is not a directory owned by uid {os.geteuid()}; refusing to use it")
    if stat.S_IMODE(info.st_mode) != mode:
        os.chmod(path, mode)
    return path


@functools.cache
def state_dir() -> Path:
    """SANDBOX_STATE_DIR, default ``<tmp>/cloudinterview-sandbox-<uid>``; traversable, not listable."""
    configured = os.environ.get("SANDBOX_STATE_DIR")
    path = Path(configured) if configured else Path(tempfile.gettempdir()) / f"cloudinterview-sandbox-{os.geteuid()}"
    return _private_dir(path, 0o711)


def write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write atomically, so a concurrent worker never reads half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    try:
        os.write(fd, data)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    os.replace(temporary, path)


@functools.cache
def harness_dir() -> Path:
    """A root-owned, world-readable copy of the harnesses: the only host files bound into a box."""
    sources = {name: (HARNESS_SOURCE / name).read_bytes() for name in HARNESS_FILES.values()}
    stamp = hashlib.sha256(b"".join(sources[name] for name in sorted(sources))).hexdigest()[:12]
    directory = _private_dir(state_dir() / f"harness-{stamp}", 0o755)
    for name, data in sources.items():
        target = directory / name
        if not target.exists() or target.read_bytes() != data:
            write_private(target, data, 0o644)
    return directory


def boxes_dir() -> Path:
    return _private_dir(state_dir() / "boxes", 0o711)


@contextlib.contextmanager
def slot(count: int) -> Iterator[int]:
    """Hold an exclusive slot number (0 <= n < count) for the run, across processes.

    Each slot has its own uid, so RLIMIT_NPROC and the leftover-process sweep of one run
    never touch another's. Slots are tried from a random start so workers rarely collide;
    when all are busy, wait for one.
    """
    directory = _private_dir(state_dir() / "slots", 0o700)
    start = random.randrange(count)  # noqa: S311 - spreading load, not security
    order = [(start + i) % count for i in range(count)]
    while True:
        for number in order:
            fd = os.open(directory / f"{number}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield number
            finally:
                os.close(fd)
            return
        time.sleep(0.01)


def make_box(owner: int | None) -> Path:
    """A fresh 0700 directory, handed to ``owner`` before any candidate code can touch it."""
    box = Path(tempfile.mkdtemp(prefix="box-", dir=boxes_dir()))
    if owner is not None:
        fd = os.open(box, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.fchown(fd, owner, owner)
        finally:
            os.close(fd)
    return box


def remove_box(box: Path) -> None:
    """Remove the box without following anything the candidate created inside it."""
    if not shutil.rmtree.avoids_symlink_attacks:
        logger.warning("shutil.rmtree is not symlink-safe on this platform; leaving %s in place", box)
        return
    shutil.rmtree(box, onerror=lambda *args: logger.warning("could not remove %s: %s", args[1], args[2]))


def kill_uid(uid: int) -> int:
    """SIGKILL every live process whose real, effective or saved uid is ``uid``; return how many.

    Repeats until a pass finds none, so a process forked during a pass is caught by the next.
    Zombies are skipped: they run nothing, and whoever is their parent reaps them.
    """
    killed = 0
    for _ in range(20):
        found = 0
        for pid in _pids_of_uid(uid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                found += 1
        if not found:
            return killed
        killed += found
        time.sleep(0.005)
    logger.error("processes of uid %s keep appearing after 20 kill passes", uid)
    return killed


def _pids_of_uid(uid: int) -> list[int]:
    wanted = str(uid).encode()
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fd = os.open(f"/proc/{name}/status", os.O_RDONLY)
            try:
                status = os.read(fd, 4096)
            finally:
                os.close(fd)
        except OSError:
            continue
        uid_at = status.find(b"\nUid:")
        state_at = status.find(b"\nState:")
        uids = status[uid_at + 5 : status.find(b"\n", uid_at + 1)].split()[:3]
        zombie = status[state_at + 7 : state_at + 12].strip().startswith(b"Z")
        if uid_at >= 0 and wanted in uids and not zombie:
            pids.append(int(name))
    return pids


def live_processes_of_uid(uid: int) -> list[int]:
    """Pids of live (non-zombie) processes of ``uid``: what the after-run sweep must leave empty."""
    return _pids_of_uid(uid)
