import pytest

from sandbox.limits import Limits, default_limits, resolve_limits


def test_defaults_apply_without_overrides(monkeypatch):
    for name in ("CPU_MS", "WALL_MS", "MEMORY_MB", "PROCESSES", "OUTPUT_KB", "FILE_KB", "DISK_KB", "DISK_FILES"):
        monkeypatch.delenv(f"SANDBOX_{name}", raising=False)
    expected = Limits(cpu_ms=5000, wall_ms=10000, memory_mb=256, processes=64, output_kb=64, file_kb=1024,
                      disk_kb=16384, disk_files=1024)
    assert default_limits() == expected


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("SANDBOX_CPU_MS", "1500")
    monkeypatch.setenv("SANDBOX_MEMORY_MB", "128")
    limits = resolve_limits(None)
    assert (limits.cpu_ms, limits.memory_mb) == (1500, 128)


def test_disk_quota_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_DISK_KB", "2048")
    monkeypatch.setenv("SANDBOX_DISK_FILES", "50")
    limits = resolve_limits(None)
    assert (limits.disk_kb, limits.disk_files) == (2048, 50)


def test_caller_overrides_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_WALL_MS", "9000")
    assert resolve_limits({"wall_ms": 2000}).wall_ms == 2000


@pytest.mark.parametrize("overrides", [{"cpu_ms": 0}, {"cpu_ms": -1}, {"cpu_ms": "x"}, {"cpu_ms": True}, {"gpu": 1}])
def test_invalid_limits_are_rejected(overrides):
    with pytest.raises(ValueError, match="limit"):
        resolve_limits(overrides)
