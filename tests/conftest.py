"""Shared fixtures: users, API clients, and isolation of rate-limit state between tests."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command

if TYPE_CHECKING:
    from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery-9"


def _django_enabled(request: pytest.FixtureRequest) -> bool:
    """The sandbox's own tests can run without Django (`-p no:django`)."""
    return request.config.pluginmanager.hasplugin("django")


@pytest.fixture(autouse=True)
def _fast_hasher_and_fresh_cache(request):
    """MD5 keeps tests fast (one test proves argon2 in production); a per-test cache prefix keeps
    rate-limit history from leaking between tests without flushing a shared Redis."""
    if not _django_enabled(request):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs `collectstatic` (which `make run` does); tests serve from the finders.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"} for name, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in-process unless a test starts real workers (marked `worker`): the distributed CI pass
    has a broker but no worker of its own."""
    if not _django_enabled(request):
        yield
        return
    from cloudinterview.celery import app as django_app
    from sandbox.celery_app import app as sandbox_app

    eager = request.node.get_closest_marker("worker") is None
    saved = [(app, app.conf.task_always_eager) for app in (django_app, sandbox_app)]
    for app, _ in saved:
        app.conf.task_always_eager = eager
        app.conf.task_eager_propagates = True
    yield
    for app, value in saved:
        app.conf.task_always_eager = value


@pytest.fixture(autouse=True)
def _responses_match_the_schema(request, monkeypatch):
    """Every response the test client gets under /v1 is checked against the OpenAPI document, strictly
    (tests/openapi.py): a test whose response the document does not describe fails at that request."""
    if not _django_enabled(request):
        return
    from django.test.client import Client

    from tests.openapi import check_response

    sent = Client.request

    def request_and_check(self, **kwargs):
        response = sent(self, **kwargs)
        check_response(response.request["REQUEST_METHOD"], response.request["PATH_INFO"], response.status_code,
                       response.get("Content-Type", ""), b"" if response.streaming else response.content)
        return response

    monkeypatch.setattr(Client, "request", request_and_check)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The bundled bank is loaded once into the test database; each test's transaction rolls back."""
    with django_db_blocker.unblock():
        call_command("load_question_bank", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def committed_bank(transactional_db):
    """Transactional tests run last and each ends with a flush of every table: reload the bank first."""
    call_command("load_question_bank", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(password=PASSWORD)


CURATOR_GROUP = "Question curator"


@pytest.fixture
def superuser(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def curator(db):
    """A staff user whose only permissions come from the "Question curator" group (created by a migration)."""
    from django.contrib.auth.models import Group

    from tests.accounts.factories import UserFactory

    user = UserFactory(email="curator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def staff_without_group_client(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(email="staff@example.com", is_staff=True))
    return client


@pytest.fixture
def api_client() -> "APIClient":
    from rest_framework.test import APIClient

    return APIClient()


def login(client: "APIClient", email: str, password: str = PASSWORD) -> dict:
    response = client.post("/v1/auth/login", {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["tokens"]


@pytest.fixture
def tokens(user, api_client) -> dict:
    return login(api_client, user.email)


@pytest.fixture
def auth_client(api_client, tokens) -> "APIClient":
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}")
    return client


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def server_environment(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """A Daphne's environment on the test database (tests/daphne.py), static files collected as `make run` does
    (the manifest storage needs them)."""
    from tests.daphne import manage, server_env

    env = server_env(request, tmp_path)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    return env


@pytest.fixture
def live_server_url(server_environment: dict[str, str]) -> Iterator[str]:
    from tests.daphne import daphne

    with daphne(server_environment) as url:
        yield url


@pytest.fixture
def browser():
    """Debian's headless Chromium driven by Playwright (the harness: tests/pages/browsing.py)."""
    from playwright.sync_api import sync_playwright

    from tests.pages.browsing import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
