"""Comparison of a returned JSON value with the expected one, in the trusted process.

Equality is JSON equality, not Python's: ``True`` is not ``1`` and ``"1"`` is not ``1``,
but ``1`` and ``1.0`` are the same number (JavaScript cannot tell them apart).
"""

from __future__ import annotations

import json
import math
from typing import Any

from domain.questions import DEFAULT_TOLERANCE, CompareMode

COMPARE_MODES = tuple(CompareMode)


def values_match(actual: Any, expected: Any, mode: str = "exact", tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether ``actual`` satisfies ``expected`` under the test's compare mode."""
    if mode == CompareMode.EXACT:
        return _equal(actual, expected, None)
    if mode == CompareMode.FLOAT:
        return _equal(actual, expected, tolerance)
    if mode == CompareMode.UNORDERED:
        if not isinstance(actual, list) or not isinstance(expected, list):
            return _equal(actual, expected, None)
        return sorted(map(_canonical, actual)) == sorted(map(_canonical, expected))
    raise ValueError(f"unknown compare mode {mode!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(actual: Any, expected: Any, tolerance: float | None) -> bool:
    if _is_number(actual) and _is_number(expected):
        if tolerance is None:
            return actual == expected
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        return math.isclose(actual, expected, rel_tol=tolerance, abs_tol=tolerance)
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(
            _equal(a, e, tolerance) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(_equal(actual[k], expected[k], tolerance) for k in expected)
    return actual == expected


def _canonical(value: Any) -> str:
    """A string that is equal for JSON-equal values, so lists can be compared as multisets."""
    return json.dumps(_normalise(value), sort_keys=True, separators=(",", ":"))


def _normalise(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value
