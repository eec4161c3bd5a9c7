"""Staff's view of webhooks: the delivery log with its attempts, the "redeliver" action, no secrets shown."""

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.webhooks.helpers import endpoint_for, interview
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services.delivery import endpoint_disable

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/webhooks/webhookdelivery/"


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_redeliver_sends_an_abandoned_delivery_again_with_the_same_webhook_id(
        staff, user, receiver, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    endpoint, secret = endpoint_for(user, receiver.url(), events=["session.completed"])
    receiver.answer(("status", 500))
    interview(user, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.ABANDONED

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(CHANGELIST, {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True)

    assert "Queued 1 deliveries again." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    first, second = receiver.requests
    assert first.webhook_id == second.webhook_id
    second.verify(secret)


def test_redeliver_skips_deliveries_of_disabled_webhooks(staff, user, receiver, django_capture_on_commit_callbacks):
    endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
    interview(user, django_capture_on_commit_callbacks)
    endpoint_disable(endpoint_id=endpoint.pk, reason="Disabled by you.", notify=False)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(CHANGELIST, {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True)

    assert "Skipped 1" in response.content.decode()
    assert len(receiver.requests) == 1


def test_the_delivery_page_shows_attempts_and_no_secret_anywhere(staff, user, receiver,
                                                                 django_capture_on_commit_callbacks):
    endpoint, secret = endpoint_for(user, receiver.url(), events=["session.completed"])
    interview(user, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)

    endpoints = "/admin/webhooks/webhookendpoint/"
    pages = [staff.get(CHANGELIST), staff.get(f"{CHANGELIST}{delivery.pk}/change/"),
             staff.get(endpoints), staff.get(f"{endpoints}{endpoint.pk}/change/")]

    assert [p.status_code for p in pages] == [200] * 4
    assert "answered 200" in pages[1].content.decode()
    assert all(secret not in p.content.decode() for p in pages)
