"""The Celery app of the Django side (evaluations, feedback, periodic jobs).

The code sandbox has its own minimal app (`sandbox.celery_app`) that loads no Django settings.
"""

import contextlib
import os

import celery.app.task
from celery import Celery
from celery.signals import worker_process_init

from .gc_tuning import freeze_start_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloudinterview.settings")

# An eager task (the embedded default, where Daphne's request threads run tasks in-process) is wrapped in
# `denied_join_result`, which flips one process-wide flag: while any thread runs an eager task, every other
# thread's chain fails between its steps with "Never call result.get() within a task" (500s under 50
# candidates), and overlapping threads can leave the flag set. The guard protects a worker from waiting on a
# task queued behind it; an eager result is finished before anyone waits on it, so there is nothing to guard.
# `denied_join_result` is used only on that eager path; tests/test_tasks_config.py pins the behaviour.
celery.app.task.denied_join_result = contextlib.nullcontext

app = Celery("cloudinterview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_pool_process(**_: object) -> None:
    """Each pool process, once forked and set up: what it inherited is frozen (cloudinterview/gc_tuning.py)."""
    freeze_start_up()
