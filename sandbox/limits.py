"""Resource limits of one sandboxed run: defaults, environment overrides, validation."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Per-submission limits; every field is a positive integer.

    cpu_ms bounds the CPU time of the whole run (all tests), wall_ms its elapsed
    time, memory_mb the address space (Python) or data segment and V8 heap (Node),
    processes the tasks (processes and threads) of the run's uid, output_kb
    stdout and stderr together, file_kb the size of any one file written,
    disk_kb and disk_files the total size and number of files (inodes) of all
    it writes: /box, /tmp and /dev/shm together (docs/sandbox.md, "Disk quota").
    """

    cpu_ms: int = 5000
    wall_ms: int = 10000
    memory_mb: int = 256
    processes: int = 64
    output_kb: int = 64
    file_kb: int = 1024
    disk_kb: int = 16384
    disk_files: int = 1024

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


_FIELDS = tuple(f.name for f in fields(Limits))


def _env_name(field: str) -> str:
    return "SANDBOX_" + field.upper()


def default_limits() -> Limits:
    """Defaults as overridden by SANDBOX_CPU_MS, SANDBOX_WALL_MS, SANDBOX_MEMORY_MB, ...

    Read at every call so an operator's change applies without a restart of tests.
    """
    values = {}
    for name in _FIELDS:
        raw = os.environ.get(_env_name(name))
        if raw:
            values[name] = _positive_int(name, raw)
    return Limits(**values)


def resolve_limits(overrides: Mapping[str, object] | Limits | None) -> Limits:
    """The defaults with the caller's overrides applied; unknown keys are an error."""
    if isinstance(overrides, Limits):
        return overrides
    base = default_limits().as_dict()
    for key, value in (overrides or {}).items():
        if key not in base:
            raise ValueError(f"unknown limit {key!r}; known: {', '.join(_FIELDS)}")
        base[key] = _positive_int(key, value)
    return Limits(**base)


def _positive_int(name: str, value: object) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValueError(f"limit {name} must be a positive integer, got {value!r}") from None
    if number <= 0 or isinstance(value, bool):
        raise ValueError(f"limit {name} must be a positive integer, got {value!r}")
    return number
