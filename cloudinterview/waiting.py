"""Waiting in a web request for a task's result, for the endpoints that answer at once when the task is quick
(docs/api.md, "Evaluation is asynchronous")."""

import logging

from celery.result import AsyncResult
from django.db import connection

log = logging.getLogger("cloudinterview.waiting")


def wait_for(result: AsyncResult | None, timeout: float) -> bool:
    """Wait for a task without holding a database connection (the pool is small); True when it finished."""
    if result is None:
        return True
    if result.ready():
        return True
    connection.close()  # returns the connection to the pool while we wait on the result backend
    try:
        result.get(timeout=timeout, propagate=False, disable_sync_subtasks=False)
    except TimeoutError:
        return False
    except Exception:  # noqa: BLE001 - the task's own failure handling records it; we only stop waiting
        log.warning("waiting for task %s failed", result.id, exc_info=True)
    return result.ready()
