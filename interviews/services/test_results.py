"""A sandbox run's result in the API's `testResults` shape."""

import math
from typing import Any

from cloudinterview.api.strictjson import storable
from domain.verdicts import Verdict


def _milliseconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def test_results_from_run(run: dict[str, Any], tests: list[dict[str, Any]]) -> dict[str, Any]:
    """The sandbox's result as docs/api.md, "Coding questions" shows it: hidden cases show name, status, time.

    What the candidate's code returned is shown as `storable` makes it: a NaN, a NUL or a value nested
    thousands deep can then fail neither the response nor the database write, so the answer always
    leaves `evaluating` (docs/security.md, "Bad input")."""
    cases = []
    for test, case in zip(tests, run.get("cases", []), strict=False):
        item: dict[str, Any] = {"name": test["name"], "status": case.get("status"),
                                "timeMs": _milliseconds(case.get("time_ms")), "hidden": bool(test.get("hidden"))}
        if not test.get("hidden"):
            item.update(input=test["args"], expected=test["expected"], actual=case.get("actual"))
            if case.get("error"):
                item["error"] = case["error"]
        cases.append(item)
    results: dict[str, Any] = {"passed": run.get("passed", 0), "total": run.get("total", len(tests)),
                               "verdict": run.get("verdict"), "cases": cases}
    if run.get("verdict") == Verdict.COMPILE_ERROR and run.get("stderr"):
        results["message"] = run["stderr"][-2000:]
    return storable(results)
