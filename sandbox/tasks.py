"""The sandbox's Celery task: a thin door to ``run_submission`` on its own queue (see task_routes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from celery.result import AsyncResult

from sandbox.celery_app import QUEUE, app
from sandbox.limits import Limits, default_limits, resolve_limits
from sandbox.runner import run_submission
from sandbox.runtimes import runtimes

# Beyond the run's wall limit: time to start the sandbox, judge, and clean up.
SOFT_MARGIN_SECONDS = 15
HARD_MARGIN_SECONDS = 30


def time_limits(limits: Limits) -> tuple[float, float]:
    """(soft, hard) task time limits for a run with ``limits``."""
    wall = limits.wall_ms / 1000
    return wall + SOFT_MARGIN_SECONDS, wall + HARD_MARGIN_SECONDS


_DEFAULT_SOFT, _DEFAULT_HARD = time_limits(default_limits())


@app.task(
    name="sandbox.run_submission",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=_DEFAULT_SOFT,
    time_limit=_DEFAULT_HARD,
)
def run_submission_task(
    language: str,
    code: str,
    function_name: str,
    tests: Sequence[Mapping[str, Any]],
    limits: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one submission; the result is plain JSON. Idempotent: nothing is stored."""
    return run_submission(language, code, function_name, tests, limits)


def submit(
    language: str,
    code: str,
    function_name: str,
    tests: Sequence[Mapping[str, Any]],
    limits: Mapping[str, Any] | None = None,
) -> AsyncResult:
    """Queue a submission with task time limits derived from its own run limits."""
    soft, hard = time_limits(resolve_limits(limits))
    return run_submission_task.apply_async(
        args=(language, code, function_name, list(tests), dict(limits or {})),
        queue=QUEUE,
        soft_time_limit=soft,
        time_limit=hard,
    )


@app.task(name="sandbox.runtimes", acks_late=True, soft_time_limit=30, time_limit=40)
def runtimes_task() -> list[dict[str, str]]:
    """The languages this worker runs, with versions (sandbox.runtimes). Idempotent: it only reads."""
    return list(runtimes())
