"""Which isolation layers this machine provides, detected once, and the argv that applies them.

Layers, strongest first: ``uid_drop`` (root drops to a per-slot uid with setpriv, so RLIMIT_NPROC
and the leftover sweep are per run), ``namespaces`` (bubblewrap: own mount, pid, network, ipc,
uts, user and cgroup namespaces, read-only /usr, nothing else of the host), ``seccomp`` (a syscall
deny list loaded by bubblewrap), ``disk_quota`` (one tmpfs with a size and an inode limit for all
the run may write, mounted by root in a mount namespace of the run's own) and ``rlimits``.
Detection runs a real probe through the same argv the runs use, so a layer counts only if it
works here (e.g. a container without user namespaces reports ``namespaces`` missing instead of
failing every run).
"""

from __future__ import annotations

import functools
import logging
import math
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sandbox import state, syscall_filter
from sandbox.limits import Limits

logger = logging.getLogger("sandbox")

SEARCH_PATH = "/usr/bin:/bin:/usr/sbin:/sbin"
BOX_PATH = "/box"
HARNESS_MOUNT = "/sandbox"
NOFILE = 128
MIB = 1024 * 1024
STACK_BYTES = {"python": 64 * MIB, "javascript": 8 * MIB}
NODE_DATA_HEADROOM_MB = 96
# The writable places of a run: inside the sandbox at these paths, on the quota tmpfs as these directories.
WRITABLE = {BOX_PATH: "box", "/tmp": "tmp", "/dev/shm": "shm"}  # noqa: S108
# As root, in a mount namespace that dies with the run: the quota tmpfs on the box directory ($1) with a
# size ($2) and an inode limit ($3), its directories handed to the slot uid ($4), then the rest of argv.
QUOTA_SCRIPT = (
    'mount -t tmpfs -o "size=$2,nr_inodes=$3,mode=0711" sandbox "$1" && cd "$1" '
    '&& install -d -m 0700 -o "$4" -g "$4" ' + " ".join(WRITABLE.values()) + ' && cd / && shift 4 && exec "$@"'
)


@dataclass(frozen=True)
class Capabilities:
    """What detection found; runs use exactly these tools."""

    missing: tuple[str, ...]
    setpriv: str | None = None
    bwrap: str | None = None
    seccomp: bool = False
    prlimit: str | None = None
    quota: tuple[str, str] | None = None  # (unshare, sh) when the disk_quota layer works

    @property
    def level(self) -> str:
        return "degraded" if self.missing else "full"

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level, "missing": list(self.missing)}


def uid_base() -> int:
    return int(os.environ.get("SANDBOX_UID_BASE", "61000"))


def slot_count() -> int:
    return int(os.environ.get("SANDBOX_SLOTS", "32"))


def _which(name: str) -> str | None:
    return shutil.which(name, path=SEARCH_PATH)


@functools.cache
def capabilities() -> Capabilities:
    """Probe once per process; tests clear the cache with ``capabilities.cache_clear()``."""
    if sys.platform != "linux":
        return Capabilities(missing=("uid_drop", "namespaces", "seccomp", "disk_quota"))
    setpriv = _which("setpriv") if os.geteuid() == 0 else None
    prlimit = _which("prlimit")
    bwrap = _which("bwrap")
    seccomp = bwrap is not None and all(syscall_filter.program(p) is not None for p in syscall_filter.PROFILES)
    tools = [_which(name) for name in ("unshare", "sh", "mount", "install")]
    quota_tools = (tools[0], tools[1]) if bwrap and setpriv and all(tools) else None
    quota = None
    if bwrap is not None:
        # Strongest first; a layer that fails its probe is dropped rather than failing every run.
        tries = dict.fromkeys((q, s) for q in (quota_tools, None) for s in (seccomp, False))
        for quota, seccomp in tries:  # the first that works is kept
            probe = Capabilities((), setpriv=setpriv, bwrap=bwrap, seccomp=seccomp, prlimit=prlimit, quota=quota)
            if _probe(probe):
                break
        else:
            bwrap, seccomp, quota = None, False, None
    missing = tuple(
        name
        for name, present in (
            ("uid_drop", setpriv),
            ("namespaces", bwrap),
            ("seccomp", seccomp),
            ("disk_quota", quota),
            ("rlimits", True),
        )
        if not present
    )
    return Capabilities(missing, setpriv=setpriv, bwrap=bwrap, seccomp=seccomp, prlimit=prlimit, quota=quota)


def _probe(caps: Capabilities) -> bool:
    """Start /usr/bin/true through the full argv; True if it ran."""
    with state.slot(slot_count()) as number:
        uid = uid_base() + number if caps.setpriv else None
        box = state.make_box(uid)
        fds = [syscall_filter.program_fd("single")] if caps.seccomp else []
        try:
            argv = command(caps, "python", Limits(), box, uid, fds[0] if fds else None, ["/usr/bin/true"])
            done = subprocess.run(  # noqa: S603 - argv built here, no shell
                argv, capture_output=True, timeout=20, pass_fds=fds, env=host_env(), check=False
            )
        except (OSError, subprocess.SubprocessError) as exc:
            logger.info("sandbox probe failed to start: %s", exc)
            return False
        finally:
            for fd in fds:
                os.close(fd)
            if uid is not None:
                state.kill_uid(uid)
            state.remove_box(box)
    if done.returncode != 0:
        logger.info("sandbox probe failed (%s): %s", done.returncode, done.stderr.decode(errors="replace").strip())
    return done.returncode == 0


def detect_isolation() -> dict[str, object]:
    """``{"level": "full" | "degraded", "missing": [layer, ...]}``, detected once per process."""
    return capabilities().as_dict()


_warned = False


def warn_if_degraded() -> dict[str, object]:
    """Log a loud WARNING once per process when a layer is missing; the Django app calls this at start."""
    global _warned
    isolation = detect_isolation()
    if isolation["missing"] and not _warned:
        _warned = True
        logger.warning(
            "CODE SANDBOX IS DEGRADED: missing isolation layers: %s. Candidate code may reach the network, "
            "the host's files or other runs. Install bubblewrap and python3-seccomp and run the sandbox "
            "worker as root on Linux; set SANDBOX_REQUIRE_STRONG=1 to refuse to run code like this.",
            ", ".join(isolation["missing"]),
        )
    return isolation


def host_env() -> dict[str, str]:
    """The environment of the sandbox's launcher processes: nothing of the worker's."""
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def sandbox_env(language: str, home: str) -> dict[str, str]:
    # /tmp is the sandbox's own size-limited tmpfs (in degraded mode, the host's).
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home, "TMPDIR": "/tmp", "MALLOC_ARENA_MAX": "2"}  # noqa: S108
    if language == "javascript":
        env["UV_THREADPOOL_SIZE"] = "1"
    return env


def rlimits(limits: Limits, language: str, per_uid: bool) -> dict[int, tuple[int, int]]:
    """The rlimits of a run. RLIMIT_NPROC only with a uid of its own: it counts per uid."""
    seconds = max(1, math.ceil(limits.cpu_ms / 1000))
    values = {
        # Soft = hard: the kernel then sends SIGKILL, which a candidate cannot catch and which,
        # unlike SIGXCPU, also reaches a pid-namespace init.
        resource.RLIMIT_CPU: (seconds, seconds),
        resource.RLIMIT_FSIZE: (limits.file_kb * 1024,) * 2,
        resource.RLIMIT_NOFILE: (NOFILE, NOFILE),
        resource.RLIMIT_CORE: (0, 0),
        resource.RLIMIT_STACK: (STACK_BYTES[language],) * 2,
    }
    if language == "javascript":
        # V8 reserves far more address space than it uses, so bound the data segment instead.
        values[resource.RLIMIT_DATA] = ((limits.memory_mb + NODE_DATA_HEADROOM_MB) * MIB,) * 2
    else:
        values[resource.RLIMIT_AS] = (limits.memory_mb * MIB,) * 2
    if per_uid:
        values[resource.RLIMIT_NPROC] = (limits.processes, limits.processes)
    return values


_PRLIMIT_NAMES = {
    resource.RLIMIT_CPU: "cpu",
    resource.RLIMIT_FSIZE: "fsize",
    resource.RLIMIT_NOFILE: "nofile",
    resource.RLIMIT_CORE: "core",
    resource.RLIMIT_STACK: "stack",
    resource.RLIMIT_DATA: "data",
    resource.RLIMIT_AS: "as",
    resource.RLIMIT_NPROC: "nproc",
}


def command(
    caps: Capabilities,
    language: str,
    limits: Limits,
    box: Path,
    uid: int | None,
    seccomp_fd: int | None,
    program: list[str],
) -> list[str]:
    """argv: [quota mount →] [setpriv → prlimit →] [bwrap →] program, each layer exec'ing the next.

    The quota tmpfs is mounted as root before anything else; the uid is dropped next, so bubblewrap
    itself runs unprivileged in a user namespace of its own.
    """
    argv: list[str] = []
    if caps.quota and uid is not None:
        unshare, sh = caps.quota
        argv += [unshare, "--mount", "--propagation", "private", "--", sh, "-c", QUOTA_SCRIPT, "sh", str(box)]
        # nr_inodes counts the tmpfs root and the writable directories too.
        argv += [str(limits.disk_kb * 1024), str(limits.disk_files + 1 + len(WRITABLE)), str(uid)]
    if uid is not None and caps.setpriv:
        argv += [caps.setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all"]
        argv += ["--bounding-set=-all"]
    if caps.prlimit:
        argv.append(caps.prlimit)
        for number, (soft, hard) in rlimits(limits, language, per_uid=uid is not None).items():
            argv.append(f"--{_PRLIMIT_NAMES[number]}={soft}:{hard}")
        argv.append("--")
    if caps.bwrap:
        argv += [caps.bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent"]
        # The program is pid 1 of its namespace: no bubblewrap init left as a zombie, and when
        # it exits the kernel kills whatever it left behind.
        argv.append("--as-pid-1")
        argv += ["--new-session", "--hostname", "sandbox", "--ro-bind", "/usr", "/usr"]
        for link in ("lib", "lib64", "bin", "sbin"):
            if os.path.islink(f"/{link}"):
                argv += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
            elif os.path.isdir(f"/{link}"):
                argv += ["--ro-bind", f"/{link}", f"/{link}"]
        if os.path.exists("/etc/ld.so.cache"):
            argv += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
        argv += ["--dev", "/dev", "--proc", "/proc"]
        for path, directory in WRITABLE.items():
            if caps.quota and uid is not None:
                argv += ["--bind", str(box / directory), path]
            else:
                # Without the quota layer: each place its own size-limited tmpfs (no inode limit).
                argv += ["--size", str(limits.disk_kb * 1024), "--tmpfs", path]
        argv += ["--ro-bind", str(state.harness_dir()), HARNESS_MOUNT]
        # Everything else stays read-only: bubblewrap's own root and /dev are writable tmpfs mounts.
        argv += ["--remount-ro", "/dev", "--remount-ro", "/"]
        argv += ["--chdir", BOX_PATH, "--clearenv"]
        for key, value in sandbox_env(language, BOX_PATH).items():
            argv += ["--setenv", key, value]
        if seccomp_fd is not None:
            argv += ["--seccomp", str(seccomp_fd)]
        argv.append("--")
    return argv + program
