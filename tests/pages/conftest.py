"""Page-test fixtures: browser-like clients logged in with Django's session (the pages' login)."""

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory


@pytest.fixture
def client_for():
    """A logged-in Django test client for any user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def page_client(user, client_for) -> Client:
    return client_for(user)


@pytest.fixture
def other_user(db):
    return UserFactory()
