"""Fixtures for the question-bank tests: staff users for the admin (tasks run eagerly: tests/conftest.py)."""

import pytest
from django.contrib.auth.models import Group

from tests.accounts.factories import UserFactory

CURATOR_GROUP = "Question curator"


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
