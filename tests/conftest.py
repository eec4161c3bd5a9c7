"""Shared fixtures: users, API clients, and isolation of rate-limit state between tests."""

import os
import uuid

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _fast_hasher_and_fresh_cache(settings):
    """MD5 keeps tests fast (one test proves argon2 in production); a per-test cache prefix keeps
    rate-limit history from leaking between tests without flushing a shared Redis."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs `collectstatic` (which `make run` does); tests serve from the finders.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"} for name, config in settings.CACHES.items()
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The bundled bank is loaded once into the test database; each test's transaction rolls back."""
    with django_db_blocker.unblock():
        call_command("load_question_bank", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(password=PASSWORD)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def login(client: APIClient, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/v1/auth/login", {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["tokens"]


@pytest.fixture
def tokens(user, api_client) -> dict:
    return login(api_client, user.email)


@pytest.fixture
def auth_client(tokens) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    return client


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
