"""The Django side's door to the sandbox queue: signatures for the sandbox worker's task.

The sandbox worker runs `sandbox.celery_app` (no Django); a chain continues on our own queue,
so every continuation names its queue explicitly.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from celery import Signature
from django.conf import settings

from sandbox.limits import resolve_limits
from sandbox.tasks import run_submission_task, runtimes_task, time_limits


def sandbox_signature(*, language: str, code: str, function_name: str, tests: Sequence[Mapping[str, Any]],
                      limits: Mapping[str, Any] | None = None) -> Signature:
    """An immutable signature of one sandboxed run with task time limits derived from its limits."""
    soft, hard = time_limits(resolve_limits(limits))
    return run_submission_task.si(language, code, function_name, list(tests), dict(limits or {})).set(
        queue="sandbox", soft_time_limit=soft, time_limit=hard)


def on_django_queue(signature: Signature) -> Signature:
    """Continuations go back to our own queue (`CELERY_QUEUE`), never the sandbox's."""
    return signature.set(queue=settings.CELERY_TASK_DEFAULT_QUEUE)


def runtimes_signature() -> Signature:
    """Ask a sandbox worker which languages it runs (sandbox.runtimes), on the sandbox's queue."""
    return runtimes_task.si().set(queue="sandbox")
