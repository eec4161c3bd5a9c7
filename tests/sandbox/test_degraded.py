"""The fallback when a layer is missing: it still runs, says so loudly, and can be told to refuse."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import isolation, run_submission, warn_if_degraded

from .conftest import FAST_LIMITS

CORRECT = {"python": ("def f(x):\n    return x * 2\n", "f"), "javascript": ("function f(x) { return x * 2; }", "f")}
TESTS = [{"name": "double", "args": [21], "expected": 42}]
REPO = Path(__file__).resolve().parents[2]


def test_missing_bubblewrap_is_reported_as_degraded(degraded):
    assert degraded["level"] == "degraded"
    assert {"namespaces", "seccomp"} <= set(degraded["missing"])


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_degraded_run_still_judges_and_warns_naming_missing_layers(degraded, language, caplog):
    code, name = CORRECT[language]
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        result = run_submission(language, code, name, TESTS, FAST_LIMITS)
    assert result["verdict"] == "accepted"
    assert result["isolation"] == degraded
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "DEGRADED" in r.getMessage()]
    assert len(warnings) == 1
    assert "namespaces" in warnings[0].getMessage()
    assert "seccomp" in warnings[0].getMessage()


def test_warn_if_degraded_warns_once_per_process(degraded, caplog):
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        warn_if_degraded()
        warn_if_degraded()
    assert sum("DEGRADED" in r.getMessage() for r in caplog.records) == 1


def test_full_isolation_does_not_warn(fresh_detection, caplog):
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        found = warn_if_degraded()
    if found["level"] != "full":
        pytest.skip(f"this machine lacks {found['missing']}")
    assert not caplog.records


def test_require_strong_from_environment_refuses_degraded(degraded, monkeypatch):
    monkeypatch.setenv("SANDBOX_REQUIRE_STRONG", "1")
    result = run_submission("python", *CORRECT["python"], TESTS, FAST_LIMITS)
    assert result["verdict"] == "internal_error"
    assert "SANDBOX_REQUIRE_STRONG" in result["error"]
    assert "namespaces" in result["error"]
    assert result["cases"][0]["status"] == "error"
    assert result["isolation"]["level"] == "degraded"


def test_require_strong_parameter_overrides_environment(degraded, monkeypatch):
    monkeypatch.setenv("SANDBOX_REQUIRE_STRONG", "0")
    assert run_submission("python", *CORRECT["python"], TESTS, FAST_LIMITS, require_strong=True)["verdict"] == (
        "internal_error"
    )
    monkeypatch.setenv("SANDBOX_REQUIRE_STRONG", "1")
    assert run_submission("python", *CORRECT["python"], TESTS, FAST_LIMITS, require_strong=False)["verdict"] == (
        "accepted"
    )


@pytest.fixture
def bare(monkeypatch, fresh_detection):
    """Nothing but rlimits set from Python: the macOS / unprivileged path."""
    monkeypatch.setattr(isolation, "_which", lambda name: None)
    return isolation.detect_isolation()


def test_bare_machine_still_enforces_time_and_output(bare):
    assert set(bare["missing"]) == {"uid_drop", "namespaces", "seccomp", "disk_quota"}
    slow = run_submission("python", "def f(x):\n    while True:\n        pass\n", "f", TESTS, FAST_LIMITS)
    assert slow["verdict"] == "time_limit_exceeded"
    flood = "function f(x) { for (let i = 0; i < 1000; i++) console.log('y'.repeat(1000)); return 42; }"
    loud = run_submission("javascript", flood, "f", TESTS, FAST_LIMITS)
    assert loud["verdict"] == "output_limit_exceeded"


def test_bare_machine_still_limits_memory(bare):
    hog = "def f(x):\n    return len(bytearray(1024 * 1024 * 1024))\n"
    assert run_submission("python", hog, "f", TESTS, {**FAST_LIMITS, "memory_mb": 128})["verdict"] == (
        "memory_limit_exceeded"
    )


def test_require_strong_defaults_on_where_database_url_is_set(degraded, monkeypatch):
    """Without Django settings (the sandbox worker loads none) the rule is the settings' own default."""
    monkeypatch.delenv("SANDBOX_REQUIRE_STRONG")
    monkeypatch.setenv("DATABASE_URL", "postgres://db.internal/cloudinterview")
    refused = run_submission("python", *CORRECT["python"], TESTS, FAST_LIMITS)
    assert refused["verdict"] == "internal_error"
    assert "SANDBOX_REQUIRE_STRONG" in refused["error"]
    monkeypatch.delenv("DATABASE_URL")
    assert run_submission("python", *CORRECT["python"], TESTS, FAST_LIMITS)["verdict"] == "accepted"


WORKER_ON_A_MACHINE_WITHOUT_BUBBLEWRAP = """
import json, sys
from sandbox import isolation
real_which = isolation._which
isolation._which = lambda name: None if name == "bwrap" else real_which(name)
from sandbox.celery_app import app
from sandbox.tasks import run_submission_task
assert app.conf.task_always_eager
result = run_submission_task.apply(args=("python", "def f(x):\\n    return x * 2\\n", "f",
                                         [{"args": [21], "expected": 42}], {"wall_ms": 3000})).get()
settings = "cloudinterview.settings" in sys.modules
print(json.dumps({"verdict": result["verdict"], "error": result["error"], "settings": settings}))
"""


def test_sandbox_worker_process_applies_the_rule_without_django():
    """The sandbox's own Celery app, in a process of its own, with the environment `make up` gives it."""
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO), "DATABASE_URL": "postgres://db.internal/x"}
    done = subprocess.run([sys.executable, "-c", WORKER_ON_A_MACHINE_WITHOUT_BUBBLEWRAP], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=True)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["settings"] is False
    assert outcome["verdict"] == "internal_error"
    assert "SANDBOX_REQUIRE_STRONG" in outcome["error"]
