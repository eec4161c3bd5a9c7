"""Fixtures for the question-bank tests: eager Celery, staff users for the admin."""

import pytest
from django.contrib.auth.models import Group

from tests.accounts.factories import UserFactory

CURATOR_GROUP = "Question curator"


@pytest.fixture
def eager_tasks(settings):
    """Run Celery tasks in-process for this test, even when a broker is configured (REDIS_URL).

    Both apps are switched: chains that start with a sandbox run are dispatched by the sandbox app,
    the continuations by the Django app.
    """
    from cloudinterview.celery import app as django_app
    from sandbox.celery_app import app as sandbox_app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    apps = (django_app, sandbox_app)
    previous = [app.conf.task_always_eager for app in apps]
    for app in apps:
        app.conf.task_always_eager = True
    yield
    for app, value in zip(apps, previous, strict=True):
        app.conf.task_always_eager = value


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def curator(db):
    """A staff user whose only permissions come from the "Question curator" group (created by a migration)."""
    user = UserFactory(email="curator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def staff_without_group_client(client, db):
    client.force_login(UserFactory(email="staff@example.com", is_staff=True))
    return client
