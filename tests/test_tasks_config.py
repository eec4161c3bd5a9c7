"""Every task ends within its time limit, and the limit sits below the visibility timeout: a task taken by
a dead worker comes back within minutes, and a slow but live one is never handed to a second worker."""

import threading

import pytest
import redis.exceptions
from celery import chain
from django.conf import settings
from django.db import OperationalError

from cloudinterview.celery import app as django_app
from sandbox.celery_app import app as sandbox_app


def _own_tasks(app):
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_has_a_hard_time_limit_below_the_visibility_timeout():
    timeouts = {django_app: settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"],
                sandbox_app: sandbox_app.conf.broker_transport_options["visibility_timeout"]}

    for app, visibility in timeouts.items():
        tasks = _own_tasks(app)
        assert tasks, app.main
        for name, task in tasks.items():
            assert task.time_limit, f"{name} has no hard time limit"
            assert task.soft_time_limit, f"{name} has no soft time limit"
            assert task.soft_time_limit < task.time_limit, name
            assert task.time_limit < visibility, f"{name}: {task.time_limit} s >= visibility {visibility} s"


def test_an_evaluation_retries_an_outage_and_then_the_stalled_sweep_takes_over():
    task = django_app.tasks["interviews.evaluate_answer"]
    assert any(issubclass(OperationalError, retried) for retried in task.autoretry_for)
    assert any(issubclass(redis.exceptions.ConnectionError, retried) for retried in task.autoretry_for)
    assert task.retry_backoff
    backoff = sum(min(task.retry_backoff_max, 2**n) for n in range(task.max_retries))
    assert (task.max_retries + 1) * task.time_limit + backoff < settings.EVALUATION_STALL_SECONDS
    sweep = {"task": "interviews.requeue_stalled_evaluations", "schedule": 300.0}
    assert sweep in settings.CELERY_BEAT_SCHEDULE.values()


def test_the_visibility_timeout_is_minutes_not_an_hour():
    assert 60 <= settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 600
    assert sandbox_app.conf.broker_transport_options["visibility_timeout"] <= 600



@pytest.fixture
def eager_tasks():
    """Throwaway eager tasks: `hold` keeps its thread until released; `first_step` starts a `hold` in another
    thread (another request's task) and returns once it runs; `add` adds."""
    started, release = threading.Event(), threading.Event()
    holders: list[threading.Thread] = []

    @django_app.task(name="tests.hold", shared=False)
    def hold() -> int:
        started.set()
        release.wait(10)
        return 1

    @django_app.task(name="tests.first_step", shared=False)
    def first_step() -> int:
        holders.append(threading.Thread(target=hold.apply_async))
        holders[-1].start()
        assert started.wait(10)
        return 1

    @django_app.task(name="tests.add", shared=False)
    def add(x: int, y: int = 1) -> int:
        return x + y

    saved = django_app.conf.task_always_eager
    django_app.conf.task_always_eager = True
    yield first_step, add
    release.set()
    for holder in holders:
        holder.join(10)
    django_app.conf.task_always_eager = saved
    for name in ("tests.hold", "tests.first_step", "tests.add"):
        django_app.tasks.pop(name, None)


def test_an_eager_task_in_another_thread_does_not_break_a_chain(eager_tasks):
    """The embedded default runs tasks eagerly in Daphne's request threads. An answer's chain (its sandbox run,
    then its evaluation) must go on when another request's task starts between the two steps, not fail with
    Celery's "Never call result.get() within a task" (a 500 with 50 candidates on `make run`)."""
    first_step, add = eager_tasks
    assert chain(first_step.s(), add.s()).apply_async().get(disable_sync_subtasks=False) == 2
