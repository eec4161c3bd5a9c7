"""A minimal Celery app for the sandbox worker.

It knows nothing of Django, so the worker can run on a separate, locked-down machine with
only this package, its runtimes and a broker address:
``celery -A sandbox.celery_app worker -Q sandbox --concurrency N``.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_init

from sandbox.isolation import warn_if_degraded

QUEUE = "sandbox"


def broker_url() -> str:
    """CELERY_BROKER_URL, else REDIS_URL, else an in-memory broker (tasks then run eagerly)."""
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "memory://"


def _build() -> Celery:
    broker = broker_url()
    backend = os.environ.get("CELERY_RESULT_BACKEND") or (broker if broker.startswith("redis") else None)
    celery = Celery("sandbox", broker=broker, backend=backend, include=["sandbox.tasks"])
    # A key prefix lets several deployments (or test runs) share one Redis without meeting.
    prefix = os.environ.get("SANDBOX_CELERY_KEY_PREFIX")
    transport_options = {"global_keyprefix": prefix} if prefix else {}
    # As the Django side (cloudinterview/settings.py): a dead worker's run comes back within minutes.
    visibility = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT") or 300)}
    celery.conf.update(
        task_always_eager=broker == "memory://",
        task_default_queue=QUEUE,
        task_routes={"sandbox.run_submission": {"queue": QUEUE}},
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=3600,
        # One submission at a time per process: a long run must not hold others in its prefetch.
        worker_prefetch_multiplier=1,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={**transport_options, **visibility},
        result_backend_transport_options=transport_options,
    )
    return celery


app = _build()


@worker_init.connect
def _detect_at_start(**_: object) -> None:
    """Detect isolation (and build the seccomp filters) once in the parent, before forking children."""
    warn_if_degraded()
