"""Liveness and readiness (CONTRACT section 12)."""

import pytest

from sandbox import isolation

pytestmark = pytest.mark.django_db


def test_healthz_is_ok(api_client):
    response = api_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_every_dependency_and_reports_the_sandbox(api_client, settings):
    settings.SANDBOX_REQUIRE_STRONG = False

    response = api_client.get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "channelLayer": "ok", "broker": "ok"}
    assert body["sandbox"]["isolation"] in {"full", "degraded"}
    assert isinstance(body["sandbox"]["missing"], list)


def test_readyz_names_the_failing_part_with_503(api_client, settings):
    settings.SANDBOX_REQUIRE_STRONG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1

    response = api_client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert "Connection" in body["checks"]["cache"]
    assert body["checks"]["database"] == "ok"


@pytest.fixture
def without_bubblewrap(monkeypatch):
    """The real detection on a machine where bubblewrap is not found (it cannot be uninstalled in a test)."""
    real_which = isolation._which
    monkeypatch.setattr(isolation, "_which", lambda name: None if name == "bwrap" else real_which(name))
    isolation.capabilities.cache_clear()
    yield
    isolation.capabilities.cache_clear()


def test_readyz_is_503_when_strong_isolation_is_required_but_missing(api_client, settings, without_bubblewrap):
    settings.SANDBOX_REQUIRE_STRONG = True

    response = api_client.get("/readyz")

    assert response.status_code == 503
    sandbox = response.json()["sandbox"]
    assert sandbox["isolation"] == "degraded"
    assert "namespaces" in sandbox["missing"]


def test_readyz_with_a_degraded_sandbox_is_200_where_strong_isolation_is_optional(api_client, settings,
                                                                                  without_bubblewrap):
    settings.SANDBOX_REQUIRE_STRONG = False

    response = api_client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["sandbox"]["isolation"] == "degraded"
