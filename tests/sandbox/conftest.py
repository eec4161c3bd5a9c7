"""Fixtures for the sandbox tests: no database, no Django."""

import os

import pytest

from sandbox import isolation, syscall_filter

FAST_LIMITS = {"cpu_ms": 1000, "wall_ms": 2000}


@pytest.fixture
def fresh_detection(monkeypatch):
    """Forget the cached detection (and the once-only warning) before and after the test.

    Also starts from a policy that allows degraded runs: the distributed settings turn
    SANDBOX_REQUIRE_STRONG on for the whole process, and tests of refusal set it themselves."""
    monkeypatch.setenv("SANDBOX_REQUIRE_STRONG", "0")
    isolation.capabilities.cache_clear()
    monkeypatch.setattr(isolation, "_warned", False)
    yield
    isolation.capabilities.cache_clear()


@pytest.fixture
def degraded(monkeypatch, fresh_detection):
    """A machine without bubblewrap: the runner must fall back and say so."""
    real_which = isolation._which
    monkeypatch.setattr(isolation, "_which", lambda name: None if name == "bwrap" else real_which(name))
    return isolation.detect_isolation()


def full_isolation_reason():
    """Why the attack suite cannot run here, or None when it can."""
    if os.environ.get("DATABASE_URL"):
        return "attack suite runs only in the pass without DATABASE_URL"
    found = isolation.detect_isolation()
    if found["level"] != "full":
        return f"attack suite needs full isolation; missing: {', '.join(found['missing'])}"
    return None


@pytest.fixture(scope="session", autouse=True)
def _seccomp_programs_built():
    """Build the seccomp programs once, outside any test's timing."""
    for profile in syscall_filter.PROFILES:
        syscall_filter.program(profile)
