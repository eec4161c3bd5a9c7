"""Every task ends within its time limit, and the limit sits below the visibility timeout: a task taken by
a dead worker comes back within minutes, and a slow but live one is never handed to a second worker."""

from django.conf import settings

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


def test_the_visibility_timeout_is_minutes_not_an_hour():
    assert 60 <= settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 600
    assert sandbox_app.conf.broker_transport_options["visibility_timeout"] <= 600
