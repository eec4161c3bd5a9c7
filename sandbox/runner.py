"""Runs one submission in one sandboxed process and judges it in the trusted worker process."""

from __future__ import annotations

import contextlib
import json
import keyword
import logging
import os
import re
import resource
import selectors
import signal
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.languages import RUNNABLE_LANGUAGES
from sandbox import isolation, state, syscall_filter
from sandbox.compare import COMPARE_MODES, DEFAULT_TOLERANCE, values_match
from sandbox.limits import Limits, resolve_limits

logger = logging.getLogger("sandbox")

LANGUAGES = RUNNABLE_LANGUAGES
INTERPRETERS = {"python": ("SANDBOX_PYTHON", "/usr/bin/python3"), "javascript": ("SANDBOX_NODE", "/usr/bin/node")}
SECCOMP_PROFILE = {"python": "single", "javascript": "threads"}
# Return values travel on their own channel with their own cap: a list of 10^5 ints is a fair answer.
RESULT_LIMIT_BYTES = 16 * 1024 * 1024
# After the harness reports it is done, how long leftovers may take to go before they are killed.
FINISH_GRACE_SECONDS = 0.25
_JS_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
_NODE_OOM = re.compile(rb"heap out of memory|Fatal process out of memory|Reached heap limit")


def run_submission(
    language: str,
    code: str,
    function_name: str,
    tests: Iterable[Mapping[str, Any]],
    limits: Mapping[str, Any] | Limits | None = None,
    *,
    require_strong: bool | None = None,
) -> dict[str, Any]:
    """Run ``code`` against ``tests`` in one sandboxed process and return the JSON-able result.

    Invalid arguments (unknown language, malformed test) raise ValueError: they are the caller's
    bug, not the candidate's. Everything that goes wrong while running is a verdict instead;
    infrastructure failures are ``internal_error``. With ``require_strong`` (default: env
    ``SANDBOX_REQUIRE_STRONG``) a degraded sandbox refuses with ``internal_error``.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; supported: {', '.join(LANGUAGES)}")
    if not isinstance(code, str):
        raise ValueError("code must be a string")
    _check_function_name(language, function_name)
    cases = [_normalise_test(test, index) for index, test in enumerate(tests)]
    run_limits = resolve_limits(limits)
    caps = isolation.capabilities()
    isolation_info = isolation.warn_if_degraded()
    if require_strong is None:
        require_strong = os.environ.get("SANDBOX_REQUIRE_STRONG", "").lower() in ("1", "true", "yes", "on")
    if require_strong and caps.missing:
        message = (
            f"sandbox isolation is degraded (missing: {', '.join(caps.missing)}) and strong isolation is "
            "required (SANDBOX_REQUIRE_STRONG); refusing to run the code"
        )
        return _internal_error(cases, isolation_info, message)
    env_name, default = INTERPRETERS[language]
    interpreter = os.environ.get(env_name, default)
    if not os.path.exists(interpreter):
        return _internal_error(cases, isolation_info, f"the {language} runtime {interpreter} is not installed")
    try:
        raw = _execute(caps, language, interpreter, code, function_name, cases, run_limits)
    except Exception:
        logger.exception("sandbox run failed")
        return _internal_error(cases, isolation_info, "the sandbox failed to run the code")
    return _judge(raw, cases, run_limits, isolation_info)


def _check_function_name(language: str, name: str) -> None:
    valid = (
        isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)
        if language == "python"
        else isinstance(name, str) and bool(_JS_IDENTIFIER.match(name))
    )
    if not valid:
        raise ValueError(f"invalid function name {name!r} for {language}")


def _normalise_test(test: Mapping[str, Any], index: int) -> dict[str, Any]:
    if not isinstance(test.get("args"), list | tuple):
        raise ValueError(f"test {index}: args must be a list of positional arguments")
    if "expected" not in test:
        raise ValueError(f"test {index}: expected is missing")
    compare = test.get("compare") or "exact"
    if compare not in COMPARE_MODES:
        raise ValueError(f"test {index}: compare must be one of {', '.join(COMPARE_MODES)}")
    tolerance = test.get("tolerance")
    return {
        "name": str(test.get("name") or f"test {index + 1}"),
        "args": list(test["args"]),
        "expected": test["expected"],
        "hidden": bool(test.get("hidden", False)),
        "compare": compare,
        "tolerance": DEFAULT_TOLERANCE if tolerance is None else float(tolerance),
    }


@dataclass
class _Raw:
    """What came out of the sandbox, before judging."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    final: dict[str, Any] | None = None
    stdout: bytes = b""
    stderr: bytes = b""
    timed_out: bool = False
    output_exceeded: bool = False
    result_exceeded: bool = False
    corrupt: str | None = None
    signal: int | None = None
    exit_code: int | None = None
    time_ms: int = 0


def _execute(
    caps: isolation.Capabilities,
    language: str,
    interpreter: str,
    code: str,
    function_name: str,
    cases: list[dict[str, Any]],
    limits: Limits,
) -> _Raw:
    # Only the arguments enter the sandbox; expected values stay in this process.
    payload = json.dumps({"code": code, "function": function_name, "args": [c["args"] for c in cases]}).encode()
    with contextlib.ExitStack() as cleanup:
        uid = None
        if caps.setpriv:
            uid = isolation.uid_base() + cleanup.enter_context(state.slot(isolation.slot_count()))
            if not caps.bwrap:
                # Without a pid namespace, a crashed worker's run may have left processes behind.
                state.kill_uid(uid)
        box = state.make_box(uid)
        cleanup.callback(state.remove_box, box)
        if uid is not None:
            cleanup.callback(state.kill_uid, uid)
        pass_fds = []
        seccomp_fd = None
        if caps.seccomp:
            seccomp_fd = syscall_filter.program_fd(SECCOMP_PROFILE[language])
            cleanup.callback(os.close, seccomp_fd)
            pass_fds.append(seccomp_fd)
        result_read, result_write = os.pipe()
        cleanup.callback(os.close, result_read)
        pass_fds.append(result_write)
        harness_root = isolation.HARNESS_MOUNT if caps.bwrap else str(state.harness_dir())
        program = _program(language, interpreter, limits, f"{harness_root}/{state.HARNESS_FILES[language]}")
        argv = isolation.command(caps, language, limits, box, uid, seccomp_fd, [*program, str(result_write)])
        preexec = None
        if not caps.prlimit:
            values = isolation.rlimits(limits, language, per_uid=uid is not None)

            def preexec() -> None:
                for number, pair in values.items():
                    with contextlib.suppress(ValueError, OSError):
                        resource.setrlimit(number, pair)

        started = time.monotonic()
        try:
            process = subprocess.Popen(  # noqa: S603 - argv built by isolation.command, no shell
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=pass_fds,
                env=isolation.host_env() if caps.bwrap else isolation.sandbox_env(language, str(box)),
                cwd=state.state_dir() if caps.bwrap else box,
                start_new_session=True,
                preexec_fn=preexec,  # noqa: PLW1509 - only without prlimit (degraded mode)
            )
        finally:
            os.close(result_write)
        raw = _supervise(process, payload, result_read, limits, started, uid)
        if caps.bwrap and raw.exit_code is not None and 128 < raw.exit_code < 128 + 65:
            # bubblewrap reports a child killed by signal N as exit status 128 + N.
            raw.signal, raw.exit_code = raw.exit_code - 128, None
        return raw


def _program(language: str, interpreter: str, limits: Limits, harness: str) -> list[str]:
    if language == "python":
        return [interpreter, "-S", "-I", "-B", harness]
    return [interpreter, f"--max-old-space-size={limits.memory_mb}", "--v8-pool-size=1", harness]


class _Frames:
    """Length-prefixed JSON frames from the result channel, checked as they arrive."""

    def __init__(self, raw: _Raw) -> None:
        self.raw = raw
        self.buffer = b""
        self.received = 0

    def feed(self, data: bytes) -> None:
        self.received += len(data)
        if self.received > RESULT_LIMIT_BYTES:
            self.raw.result_exceeded = True
            return
        self.buffer += data
        while len(self.buffer) >= 4 and self.raw.corrupt is None:
            size = int.from_bytes(self.buffer[:4], "big")
            if len(self.buffer) < 4 + size:
                return
            body, self.buffer = self.buffer[4 : 4 + size], self.buffer[4 + size :]
            self._accept(body)

    def _accept(self, body: bytes) -> None:
        try:
            record = json.loads(body)
        except ValueError:
            record = None
        kind = record.get("t") if isinstance(record, dict) else None
        expected_index = len(self.raw.cases)
        if self.raw.final is not None:
            self.raw.corrupt = "the result channel was written to after the run finished"
        elif kind == "case" and record.get("i") == expected_index:
            self.raw.cases.append(record)
        elif kind in ("done", "compile_error", "load_error"):
            self.raw.final = record
        else:
            self.raw.corrupt = "the result channel was written to by the submission"


def _supervise(
    process: subprocess.Popen, payload: bytes, result_fd: int, limits: Limits, started: float, uid: int | None
) -> _Raw:
    """Feed stdin, drain stdout, stderr and results with caps, enforce wall time, kill, reap."""
    raw = _Raw()
    frames = _Frames(raw)
    output_budget = limits.output_kb * 1024
    captured = {"stdout": bytearray(), "stderr": bytearray()}
    deadline = started + limits.wall_ms / 1000
    selector = selectors.DefaultSelector()
    os.set_blocking(process.stdin.fileno(), False)
    selector.register(process.stdin, selectors.EVENT_WRITE, "stdin")
    selector.register(process.stdout, selectors.EVENT_READ, "stdout")
    selector.register(process.stderr, selectors.EVENT_READ, "stderr")
    selector.register(result_fd, selectors.EVENT_READ, "result")
    pending = memoryview(payload)
    reading = 3
    try:
        while reading:
            if raw.final is not None:
                deadline = min(deadline, time.monotonic() + FINISH_GRACE_SECONDS)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raw.timed_out = raw.final is None
                break
            for key, _ in selector.select(remaining):
                if key.data == "stdin":
                    try:
                        pending = pending[os.write(key.fd, pending[:65536]) :]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if not pending:
                        selector.unregister(key.fileobj)
                        process.stdin.close()
                    continue
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fileobj)
                    reading -= 1
                elif key.data == "result":
                    frames.feed(data)
                else:
                    used = len(captured["stdout"]) + len(captured["stderr"])
                    captured[key.data] += data[: max(0, output_budget - used)]
                    raw.output_exceeded = raw.output_exceeded or used + len(data) > output_budget
            if raw.output_exceeded or raw.result_exceeded or raw.corrupt:
                break
    finally:
        selector.close()
        _kill(process, uid)
        for stream in (process.stdin, process.stdout, process.stderr):
            with contextlib.suppress(OSError):
                stream.close()
    raw.time_ms = round((time.monotonic() - started) * 1000)
    if process.returncode < 0:
        raw.signal = -process.returncode
    else:
        raw.exit_code = process.returncode
    raw.stdout, raw.stderr = bytes(captured["stdout"]), bytes(captured["stderr"])
    return raw


def _kill(process: subprocess.Popen, uid: int | None) -> None:
    """Kill what the run started, then reap the launcher.

    With a slot uid, the sandboxed processes go first, so bubblewrap sees its child die and
    exits on its own: killing bubblewrap first would orphan the child as a zombie for init.
    The launcher is not reaped before its group is killed, so that group id cannot have been
    reused. Under bubblewrap the pid namespace and --die-with-parent take every sandboxed
    process down with it; in degraded mode the process group is all there is.
    """
    if uid is not None and process.poll() is None:
        for pid in state.live_processes_of_uid(uid):
            if pid != process.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=1)
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _judge(raw: _Raw, tests: list[dict[str, Any]], limits: Limits, isolation_info: dict[str, Any]) -> dict[str, Any]:
    final_kind = raw.final.get("t") if raw.final else None
    stderr_tail = raw.stderr[-4096:]
    out_of_memory = final_kind != "done" and bool(_NODE_OOM.search(stderr_tail))
    cpu_killed = raw.signal in (signal.SIGXCPU, signal.SIGKILL) and not raw.output_exceeded
    stop_status, stop_error = "error", None
    if final_kind in ("compile_error", "load_error"):
        stop_error = str(raw.final.get("error"))
    elif raw.output_exceeded:
        stop_error = f"output limit exceeded ({limits.output_kb} KB)"
    elif raw.result_exceeded:
        stop_error = f"return values exceeded {RESULT_LIMIT_BYTES // (1024 * 1024)} MB"
    elif raw.corrupt:
        stop_error = raw.corrupt
    elif out_of_memory:
        stop_error = f"memory limit exceeded ({limits.memory_mb} MB)"
    elif raw.timed_out or cpu_killed:
        stop_status = "timeout"
        stop_error = f"time limit exceeded ({limits.cpu_ms} ms CPU, {limits.wall_ms} ms wall)"
    elif final_kind != "done":
        how = f"signal {raw.signal}" if raw.signal else f"exit code {raw.exit_code}"
        stop_error = f"the program stopped before finishing the tests ({how})"

    cases = []
    memory_error = set()
    for index, test in enumerate(tests):
        record = raw.cases[index] if index < len(raw.cases) else None
        case = {"name": test["name"], "status": stop_status, "time_ms": None, "actual": None, "error": stop_error}
        if record is not None:
            case["time_ms"] = record.get("time_ms")
            if record.get("ok"):
                case["actual"] = record.get("actual")
                passed = _safe_match(case["actual"], test)
                case["status"], case["error"] = ("passed", None) if passed else ("failed", None)
            else:
                case["status"], case["error"] = "error", str(record.get("error"))
                if record.get("memory"):
                    memory_error.add(index)
        cases.append(case)

    if final_kind == "compile_error":
        verdict = "compile_error"
    elif raw.output_exceeded or raw.result_exceeded:
        verdict = "output_limit_exceeded"
    elif raw.corrupt:
        verdict = "runtime_error"
    elif final_kind == "load_error":
        verdict = "memory_limit_exceeded" if raw.final.get("memory") else "runtime_error"
    else:
        verdict = _first_failure_verdict(cases, memory_error, out_of_memory, final_kind == "done")
    rss = [r.get("rss_kb") for r in [*raw.cases, raw.final or {}] if isinstance(r.get("rss_kb"), int)]
    return {
        "verdict": verdict,
        "passed": sum(case["status"] == "passed" for case in cases),
        "total": len(cases),
        "cases": cases,
        "stdout": raw.stdout.decode(errors="replace"),
        "stderr": raw.stderr.decode(errors="replace"),
        "time_ms": raw.time_ms,
        "memory_kb": max(rss) if rss else None,
        "isolation": isolation_info,
        "error": stop_error if verdict != "accepted" and stop_error else None,
    }


def _first_failure_verdict(cases: list[dict[str, Any]], memory_error: set[int], out_of_memory: bool, done: bool) -> str:
    for index, case in enumerate(cases):
        if case["status"] == "failed":
            return "wrong_answer"
        if case["status"] == "timeout":
            return "time_limit_exceeded"
        if case["status"] == "error":
            if index in memory_error or out_of_memory:
                return "memory_limit_exceeded"
            return "runtime_error"
    return "accepted" if done else "runtime_error"


def _safe_match(actual: Any, test: dict[str, Any]) -> bool:
    try:
        return values_match(actual, test["expected"], test["compare"], test["tolerance"])
    except (TypeError, ValueError, RecursionError):
        return False


def _internal_error(cases: list[dict[str, Any]], isolation_info: dict[str, Any], message: str) -> dict[str, Any]:
    return {
        "verdict": "internal_error",
        "passed": 0,
        "total": len(cases),
        "cases": [
            {"name": c["name"], "status": "error", "time_ms": None, "actual": None, "error": message} for c in cases
        ],
        "stdout": "",
        "stderr": "",
        "time_ms": 0,
        "memory_kb": None,
        "isolation": isolation_info,
        "error": message,
    }
