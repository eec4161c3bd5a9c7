"""Runs one submission in one sandboxed process and judges it in the trusted worker process."""

from __future__ import annotations

import contextlib
import json
import keyword
import logging
import math
import os
import re
import resource
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.languages import RUNNABLE_LANGUAGES
from domain.verdicts import CaseStatus, Verdict
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
# Return values nested deeper are refused: no fair answer needs it, and deeper JSON breaks decoders on
# the way (this worker's, the database's, the client's).
MAX_DEPTH = 100
# Text from inside the sandbox (error messages) is cut to this many characters.
ERROR_CHARS = 2000
TOO_DEEP = f"return value is nested more than {MAX_DEPTH} levels deep"
NON_FINITE = "return value contains NaN or Infinity, which JSON cannot represent"
NOT_TEXT = "return value contains a NUL character or a lone surrogate, which is not valid text"
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
    infrastructure failures are ``internal_error``. With ``require_strong`` (default:
    ``strong_isolation_required()``) a degraded sandbox refuses with ``internal_error``.
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
        require_strong = strong_isolation_required()
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
    # Visible tests run first: once a hidden test's arguments are inside, nothing the code does is shown.
    order = sorted(range(len(cases)), key=lambda index: cases[index]["hidden"])
    try:
        raw = _execute(caps, language, interpreter, code, function_name, [cases[i] for i in order], run_limits)
    except Exception:
        logger.exception("sandbox run failed")
        return _internal_error(cases, isolation_info, "the sandbox failed to run the code")
    return _judge(raw, cases, order, run_limits, isolation_info)


def strong_isolation_required() -> bool:
    """SANDBOX_REQUIRE_STRONG; when unset, on wherever DATABASE_URL is set (the settings' own rule).

    Read from the environment, not from Django settings: the sandbox worker loads none.
    """
    value = os.environ.get("SANDBOX_REQUIRE_STRONG", "").strip().lower()
    if not value:
        return bool(os.environ.get("DATABASE_URL"))
    return value in ("1", "true", "yes", "on")


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
    """What came out of the sandbox, before judging; ``cases`` in the order the tests ran."""

    ready: dict[str, Any] | None = None
    cases: list[dict[str, Any]] = field(default_factory=list)
    # The worker's own clock per test: from its arguments going in to its result coming back.
    measured_ms: list[float] = field(default_factory=list)
    final: dict[str, Any] | None = None
    stdout: bytes = b""
    stderr: bytes = b""
    # Lengths of stdout and stderr when the first hidden test's arguments went in; None if none did.
    shown: tuple[int, int] | None = None
    timed_out: bool = False
    output_exceeded: bool = False
    result_exceeded: bool = False
    corrupt: str | None = None
    signal: int | None = None
    exit_code: int | None = None
    time_ms: int = 0
    max_rss_kb: int | None = None


def _execute(
    caps: isolation.Capabilities,
    language: str,
    interpreter: str,
    code: str,
    function_name: str,
    cases: list[dict[str, Any]],
    limits: Limits,
) -> _Raw:
    """Run ``cases`` (in this order) in one sandboxed process; expected values stay in this process."""
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
        request = json.dumps({"code": code, "function": function_name}).encode()
        raw = _Session(process, request, cases, result_read, limits, started).run(uid)
        if caps.bwrap and raw.exit_code is not None and 128 < raw.exit_code < 128 + 65:
            # bubblewrap reports a child killed by signal N as exit status 128 + N.
            raw.signal, raw.exit_code = raw.exit_code - 128, None
        return raw


def _program(language: str, interpreter: str, limits: Limits, harness: str) -> list[str]:
    if language == "python":
        return [interpreter, "-S", "-I", "-B", harness]
    return [interpreter, f"--max-old-space-size={limits.memory_mb}", "--v8-pool-size=1", harness]


def _frame(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


class _Session:
    """One run's conversation with the harness (docs/sandbox.md, "Hidden tests").

    The code goes in first; once the harness answers ``ready``, the visible tests' arguments go
    in, and the hidden tests' only after every visible test's result came back (two batches, not
    one round trip per test: a busy machine makes each round trip cost a scheduling delay). Before
    the hidden arguments go in, the output so far is drained and its length noted: what comes
    later is counted against the cap but never shown. Meanwhile stdout, stderr and the result
    channel are drained with caps and the wall time is enforced.
    """

    def __init__(
        self,
        process: subprocess.Popen,
        request: bytes,
        cases: list[dict[str, Any]],
        result_fd: int,
        limits: Limits,
        started: float,
    ) -> None:
        self.process = process
        self.cases = cases
        self.first_hidden = next((i for i, case in enumerate(cases) if case["hidden"]), len(cases))
        self.limits = limits
        self.started = started
        self.raw = _Raw()
        self.sent = 0  # tests whose arguments were queued
        self.sent_at: list[float] = []
        self.last_result_at = 0.0
        self.buffer = b""
        self.received = 0
        self.pending = memoryview(_frame(request))
        self.input_open = True
        self.selector = selectors.DefaultSelector()
        self.streams = {"stdout": process.stdout, "stderr": process.stderr}
        self.captured = {"stdout": bytearray(), "stderr": bytearray()}
        for name, stream in self.streams.items():
            os.set_blocking(stream.fileno(), False)
            self.selector.register(stream, selectors.EVENT_READ, name)
        os.set_blocking(result_fd, False)
        self.selector.register(result_fd, selectors.EVENT_READ, "result")
        os.set_blocking(process.stdin.fileno(), False)
        self.selector.register(process.stdin, selectors.EVENT_WRITE, "stdin")
        self.reading = 3

    def run(self, uid: int | None) -> _Raw:
        raw = self.raw
        deadline = self.started + self.limits.wall_ms / 1000
        try:
            while self.reading:
                if raw.final is not None:
                    deadline = min(deadline, time.monotonic() + FINISH_GRACE_SECONDS)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raw.timed_out = raw.final is None
                    break
                for key, _ in self.selector.select(remaining):
                    if key.data == "stdin":
                        self._write()
                    else:
                        self._read(key)
                if raw.output_exceeded or raw.result_exceeded or raw.corrupt:
                    break
        finally:
            self.selector.close()
            raw.max_rss_kb = _kill(self.process, uid, ended=not self.reading)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                with contextlib.suppress(OSError):
                    stream.close()
        raw.time_ms = round((time.monotonic() - self.started) * 1000)
        if self.process.returncode < 0:
            raw.signal = -self.process.returncode
        else:
            raw.exit_code = self.process.returncode
        raw.stdout, raw.stderr = bytes(self.captured["stdout"]), bytes(self.captured["stderr"])
        return raw

    def _write(self) -> None:
        try:
            self.pending = self.pending[os.write(self.process.stdin.fileno(), self.pending[:65536]) :]
        except BlockingIOError:
            return
        except BrokenPipeError:
            self.pending = memoryview(b"")
            self.input_open = False
        if not self.pending:
            self.selector.unregister(self.process.stdin)
            if not self.input_open:
                self.process.stdin.close()

    def _queue(self, data: bytes) -> None:
        if not self.input_open:  # the harness is gone (broken pipe)
            return
        if self.pending:
            self.pending = memoryview(bytes(self.pending) + data)
        else:
            self.pending = memoryview(data)
            self.selector.register(self.process.stdin, selectors.EVENT_WRITE, "stdin")

    def _end_input(self) -> None:
        """No more tests: end of input tells the harness to finish."""
        if self.input_open:
            self.input_open = False
            if not self.pending:
                self.process.stdin.close()

    def _read(self, key: selectors.SelectorKey) -> None:
        try:
            data = os.read(key.fd, 65536)
        except BlockingIOError:
            return
        if not data:
            self.selector.unregister(key.fileobj)
            self.reading -= 1
        elif key.data == "result":
            self._feed(data)
        else:
            self._capture(key.data, data)

    def _capture(self, name: str, data: bytes) -> None:
        budget = self.limits.output_kb * 1024
        used = len(self.captured["stdout"]) + len(self.captured["stderr"])
        self.captured[name] += data[: max(0, budget - used)]
        self.raw.output_exceeded = self.raw.output_exceeded or used + len(data) > budget

    def _drain_output(self) -> None:
        """Take in whatever stdout and stderr hold now (written before the last result frame)."""
        for name, stream in self.streams.items():
            while stream in self.selector.get_map():
                try:
                    data = os.read(stream.fileno(), 65536)
                except BlockingIOError:
                    break
                if not data:
                    self.selector.unregister(stream)
                    self.reading -= 1
                else:
                    self._capture(name, data)

    def _advance(self) -> None:
        """Send the next batch of arguments once every test sent so far has its result."""
        raw = self.raw
        if raw.ready is None or raw.final is not None or raw.corrupt or len(raw.cases) < self.sent:
            return
        if self.sent == len(self.cases):
            self._end_input()
            return
        if self.sent == self.first_hidden:
            self._drain_output()
            raw.shown = (len(self.captured["stdout"]), len(self.captured["stderr"]))
        batch = self.cases[self.sent : self.first_hidden if self.sent < self.first_hidden else len(self.cases)]
        self._queue(b"".join(_frame(json.dumps(case["args"]).encode()) for case in batch))
        self.sent_at += [time.monotonic()] * len(batch)
        self.sent += len(batch)

    def _feed(self, data: bytes) -> None:
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
            self._advance()

    def _accept(self, body: bytes) -> None:
        """Check one frame against what the harness may say at this point of the run."""
        raw = self.raw
        try:
            record, problem = _decode(body), None
        except _Undecodable as exc:
            record, problem = None, str(exc)
        kind = record.get("t") if isinstance(record, dict) else None
        due = raw.ready is not None and raw.final is None and len(raw.cases) < self.sent
        if raw.final is not None:
            raw.corrupt = "the result channel was written to after the run finished"
        elif due and (problem is not None or (kind == "case" and record.get("i") == len(raw.cases))):
            # A test's result was due: whatever came is that test's, checked.
            # The test could start once its arguments were sent and the previous result was out.
            began = max(self.sent_at[len(raw.cases)], self.last_result_at)
            self.last_result_at = time.monotonic()
            raw.cases.append(_case_record(record, body, problem))
            raw.measured_ms.append((self.last_result_at - began) * 1000)
        elif raw.ready is None and kind == "ready":
            raw.ready = record
        elif (raw.ready is None and kind in ("compile_error", "load_error")) or (
            kind == "done" and len(raw.cases) == len(self.cases) and not self.input_open
        ):
            raw.final = record
        else:
            raw.corrupt = problem or "the result channel was written to by the submission"


class _Undecodable(Exception):
    """A frame that is not JSON this worker can use; the message says why, for the candidate."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Undecodable(NON_FINITE)
    return value


def _refuse_constant(_: str) -> float:
    raise _Undecodable(NON_FINITE)


def _decode(body: bytes) -> Any:
    """A frame's JSON. NaN, Infinity, nesting deeper than the decoder goes and invalid text are
    refused here, so that nothing downstream ever meets them."""
    try:
        return json.loads(body.decode(), parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise _Undecodable(TOO_DEEP) from None
    except ValueError:  # UnicodeDecodeError, JSONDecodeError, integers of too many digits
        # A fixed message: details such as an error's position would be chosen by the code.
        raise _Undecodable("the result could not be decoded as JSON") from None


def _case_record(record: Any, body: bytes, problem: str | None) -> dict[str, Any]:
    """A test's result frame reduced to what a result may carry, whoever wrote it."""
    record = record if isinstance(record, dict) else {}
    checked = {"time_ms": _measure(record.get("time_ms")), "rss_kb": _measure(record.get("rss_kb"))}
    if problem is None and record.get("ok") is True:
        problem = _value_problem(record.get("actual"), body)
        if problem is None:
            return {**checked, "ok": True, "actual": record.get("actual")}
    error = problem or _text(record.get("error") or "the test reported no result")
    return {**checked, "ok": False, "error": error, "memory": problem is None and record.get("memory") is True}


def _measure(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < math.inf:
        return value
    return None


def _value_problem(value: Any, body: bytes) -> str | None:
    """Why a decoded return value cannot be a result, or None. It is walked only when the frame's
    text allows a deep or non-text value, so a flat list of numbers costs nothing."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH and b"\\u" not in body:
        return None
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not _is_text(item):
                return NOT_TEXT
        elif isinstance(item, list | dict):
            if depth > MAX_DEPTH:
                return TOO_DEEP
            if isinstance(item, dict):
                if not all(_is_text(key) for key in item):
                    return NOT_TEXT
                item = item.values()
            stack.extend((child, depth + 1) for child in item)
    return None


def _is_text(text: str) -> bool:
    """No NUL (PostgreSQL's jsonb refuses it) and no lone surrogate (UTF-8 cannot carry it)."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _text(value: object) -> str:
    """Text from inside the sandbox made safe to store and show: bounded, valid UTF-8, no NUL."""
    return _output(str(value)[:ERROR_CHARS].encode(errors="replace"))


def _output(data: bytes) -> str:
    return data.decode(errors="replace").replace("\x00", "\ufffd")


def _alive(pid: int) -> bool:
    """True while our child ``pid`` has not exited; looks without reaping it (not on macOS: no waitid)."""
    if not hasattr(os, "waitid"):
        return False
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False


def _kill(process: subprocess.Popen, uid: int | None, ended: bool) -> int:
    """Kill what the run started, reap the launcher and return the peak RSS (KB) of it or its children.

    With a slot uid, the sandboxed processes go first, so bubblewrap sees its child die, reaps it
    (its peak RSS then counts in bubblewrap's) and exits on its own: killing bubblewrap first would
    orphan the child as a zombie for init. A program that ended by itself gets the same chance.
    The launcher is not reaped before its group is killed, so that group id cannot have been
    reused. Under bubblewrap the pid namespace and --die-with-parent take every sandboxed
    process down with it; in degraded mode the process group is all there is.
    """
    if uid is not None and _alive(process.pid):
        for pid in state.live_processes_of_uid(uid):
            if pid != process.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    if uid is not None or ended:
        deadline = time.monotonic() + 1
        while _alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.002)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss


def _judge(
    raw: _Raw, tests: list[dict[str, Any]], order: list[int], limits: Limits, isolation_info: dict[str, Any]
) -> dict[str, Any]:
    """The result, in the tests' own order. Of what happened after the first hidden test's arguments
    went in, only statuses and times capped by the worker's own clock are reported."""
    final_kind = raw.final.get("t") if raw.final else None
    out_of_memory = final_kind != "done" and bool(_NODE_OOM.search(raw.stderr[-4096:]))
    stop_status, stop_error = _stop(raw, final_kind, out_of_memory, limits)
    cases, memory_error = _cases(raw, tests, order, stop_status, stop_error)
    verdict = _verdict(raw, final_kind, cases, memory_error, out_of_memory)
    first_hidden = sum(not test["hidden"] for test in tests)
    said = [record.get("rss_kb") for record in [raw.ready or {}, *raw.cases[:first_hidden]]]
    rss = [value for value in [*said, raw.max_rss_kb] if isinstance(value, int)]
    shown_out, shown_err = raw.shown or (len(raw.stdout), len(raw.stderr))
    return {
        "verdict": verdict,
        "passed": sum(case["status"] == CaseStatus.PASSED for case in cases),
        "total": len(cases),
        "cases": cases,
        "stdout": _output(raw.stdout[:shown_out]),
        "stderr": _output(raw.stderr[:shown_err]),
        "time_ms": raw.time_ms,
        "memory_kb": max(rss) if rss else None,
        "isolation": isolation_info,
        "error": stop_error if verdict != Verdict.ACCEPTED and stop_error else None,
    }


def _stop(raw: _Raw, final_kind: str | None, out_of_memory: bool, limits: Limits) -> tuple[str, str | None]:
    """Why the run stopped, as the status and error of every test it did not finish."""
    cpu_killed = raw.signal in (signal.SIGXCPU, signal.SIGKILL) and not raw.output_exceeded
    if final_kind in ("compile_error", "load_error"):
        return CaseStatus.ERROR, _text(raw.final.get("error"))
    if raw.output_exceeded:
        return CaseStatus.ERROR, f"output limit exceeded ({limits.output_kb} KB)"
    if raw.result_exceeded:
        return CaseStatus.ERROR, f"return values exceeded {RESULT_LIMIT_BYTES // (1024 * 1024)} MB"
    if raw.corrupt:
        return CaseStatus.ERROR, raw.corrupt
    if out_of_memory:
        return CaseStatus.ERROR, f"memory limit exceeded ({limits.memory_mb} MB)"
    if raw.timed_out or cpu_killed:
        return CaseStatus.TIMEOUT, f"time limit exceeded ({limits.cpu_ms} ms CPU, {limits.wall_ms} ms wall)"
    if final_kind != "done":
        error = "the program stopped before finishing the tests"
        if raw.shown is None:  # an exit code chosen after reading a hidden test would be a channel
            error += f" ({f'signal {raw.signal}' if raw.signal else f'exit code {raw.exit_code}'})"
        return CaseStatus.ERROR, error
    return CaseStatus.ERROR, None


def _cases(raw: _Raw, tests: list[dict[str, Any]], order: list[int], stop_status: str,
           stop_error: str | None) -> tuple[list[dict[str, Any]], set[int]]:
    """Each test's outcome in the tests' order, and which tests failed by running out of memory."""
    ran = {index: position for position, index in enumerate(order[: len(raw.cases)])}
    cases = []
    memory_error = set()
    for index, test in enumerate(tests):
        position = ran.get(index)
        case = {"name": test["name"], "status": stop_status, "time_ms": None, "actual": None, "error": stop_error}
        if position is not None:
            _record_case(case, raw, position, test)
            if not raw.cases[position]["ok"] and raw.cases[position]["memory"]:
                memory_error.add(index)
        if test["hidden"]:
            case["actual"] = case["error"] = None
        cases.append(case)
    return cases, memory_error


def _record_case(case: dict[str, Any], raw: _Raw, position: int, test: dict[str, Any]) -> None:
    """What the harness reported for one test, its time capped by the worker's own clock (a time written by the
    code says no more than its duration)."""
    record = raw.cases[position]
    measured, reported = raw.measured_ms[position], record["time_ms"]
    case["time_ms"] = round(measured if reported is None else min(measured, reported), 3)
    if record["ok"]:
        case["actual"] = record["actual"]
        passed = _safe_match(case["actual"], test)
        case["status"], case["error"] = (CaseStatus.PASSED if passed else CaseStatus.FAILED), None
    else:
        case["status"], case["error"] = CaseStatus.ERROR, record["error"]


def _verdict(raw: _Raw, final_kind: str | None, cases: list[dict[str, Any]], memory_error: set[int],
             out_of_memory: bool) -> str:
    if final_kind == "compile_error":
        return Verdict.COMPILE_ERROR
    if raw.output_exceeded or raw.result_exceeded:
        return Verdict.OUTPUT_LIMIT_EXCEEDED
    if raw.corrupt:
        return Verdict.RUNTIME_ERROR
    if final_kind == "load_error":
        return Verdict.MEMORY_LIMIT_EXCEEDED if raw.final.get("memory") else Verdict.RUNTIME_ERROR
    return _first_failure_verdict(cases, memory_error, out_of_memory, final_kind == "done")


def _first_failure_verdict(cases: list[dict[str, Any]], memory_error: set[int], out_of_memory: bool, done: bool) -> str:
    for index, case in enumerate(cases):
        if case["status"] == CaseStatus.FAILED:
            return Verdict.WRONG_ANSWER
        if case["status"] == CaseStatus.TIMEOUT:
            return Verdict.TIME_LIMIT_EXCEEDED
        if case["status"] == CaseStatus.ERROR:
            if index in memory_error or out_of_memory:
                return Verdict.MEMORY_LIMIT_EXCEEDED
            return Verdict.RUNTIME_ERROR
    return Verdict.ACCEPTED if done else Verdict.RUNTIME_ERROR


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
