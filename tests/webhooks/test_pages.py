"""The settings page's webhooks section: create with the secret shown once, test, rotate, delete, the latest
deliveries, the disabled notice; no inline script; a fixed number of queries."""

import re

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.webhooks.helpers import endpoint_for, interview
from webhooks.models import WebhookEndpoint
from webhooks.services.delivery import endpoint_disable

pytestmark = pytest.mark.django_db

SETTINGS = "/accounts/settings/"


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _secret_on(page: str) -> str | None:
    match = re.search(r'value="(whsec_[^"]+)"', page)
    return match.group(1) if match else None


def test_the_section_is_on_the_settings_page_without_inline_script(browser):
    page = browser.get(SETTINGS).content.decode()

    assert 'id="webhooks"' in page
    assert "No webhooks yet." in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    assert " on" + "click=" not in page


def test_adding_a_webhook_shows_its_secret_once(browser, user, receiver):
    response = browser.post(f"{SETTINGS}webhooks/", {"url": receiver.url(), "description": "LMS",
                                                      "events": ["session.completed", "answer.evaluated"]})

    assert response.status_code == 200
    page = response.content.decode()
    secret = _secret_on(page)
    endpoint = WebhookEndpoint.objects.get(user=user)
    assert secret == endpoint.secret
    assert endpoint.events == ["session.completed", "answer.evaluated"]
    assert receiver.url() in page
    assert _secret_on(browser.get(SETTINGS).content.decode()) is None


def test_a_refused_url_is_explained_on_the_form(browser, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    response = browser.post(f"{SETTINGS}webhooks/", {"url": "http://169.254.169.254/x",
                                                      "events": ["session.completed"]})

    assert "cloud metadata address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_test_rotate_and_delete(browser, user, receiver, django_capture_on_commit_callbacks):
    endpoint, old_secret = endpoint_for(user, receiver.url())
    base = f"{SETTINGS}webhooks/{endpoint.public_id}"

    with django_capture_on_commit_callbacks(execute=True):
        tested = browser.post(f"{base}/test/")
    rotated = browser.post(f"{base}/rotate/")
    page_after_test = browser.get(SETTINGS).content.decode()
    deleted = browser.post(f"{base}/delete/")

    assert tested.status_code == 302
    assert tested["Location"] == f"{SETTINGS}#webhooks"
    (received,) = receiver.requests
    received.verify(old_secret)
    assert "ping" in page_after_test
    assert "badge-succeeded" in page_after_test
    new_secret = _secret_on(rotated.content.decode())
    assert new_secret not in (None, old_secret)
    assert "keeps signing beside it for 24 hours" in rotated.content.decode()
    assert deleted.status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_another_users_webhook_cannot_be_touched(browser, receiver):
    endpoint, _ = endpoint_for(UserFactory(), receiver.url())

    responses = [browser.post(f"{SETTINGS}webhooks/{endpoint.public_id}/{action}/")
                 for action in ("test", "rotate", "enable", "delete")]

    assert [r.status_code for r in responses] == [404] * 4
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert receiver.requests == []


def test_a_disabled_webhook_shows_why_and_can_be_enabled_again(browser, user, receiver):
    endpoint, _ = endpoint_for(user, receiver.url())
    endpoint_disable(endpoint_id=endpoint.pk, reason="Every delivery failed for 3 days in a row.", notify=False)

    page = browser.get(SETTINGS).content.decode()
    enabled = browser.post(f"{SETTINGS}webhooks/{endpoint.public_id}/enable/")

    assert "data-webhook-disabled" in page
    assert "Every delivery failed for 3 days in a row." in page
    assert enabled.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.enabled


def test_actions_need_a_post(browser, user, receiver):
    endpoint, _ = endpoint_for(user, receiver.url())

    assert browser.get(f"{SETTINGS}webhooks/{endpoint.public_id}/delete/").status_code == 405
    assert WebhookEndpoint.objects.exists()


def test_page_actions_share_the_sessions_rate_scope(browser, receiver, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sessions": "1/min"}
    browser.post(f"{SETTINGS}webhooks/", {"url": receiver.url("/a"), "events": ["session.completed"]})

    response = browser.post(f"{SETTINGS}webhooks/", {"url": receiver.url("/b"), "events": ["session.completed"]})

    assert response.status_code == 429
    assert WebhookEndpoint.objects.count() == 1


def test_the_page_uses_a_fixed_number_of_queries(browser, user, receiver, django_capture_on_commit_callbacks,
                                                 django_assert_max_num_queries):
    for i in range(4):
        endpoint_for(user, receiver.url(f"/{i}"))
    for _ in range(3):
        interview(user, django_capture_on_commit_callbacks)

    with django_assert_max_num_queries(12):
        page = browser.get(SETTINGS).content.decode()

    assert page.count("badge-succeeded") == 4 * 5  # the latest five deliveries of each endpoint
