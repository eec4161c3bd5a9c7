"""Duplicate delivery tasks racing on PostgreSQL (SQLite serialises writers anyway)."""

import os
import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.webhooks.helpers import endpoint_for
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services.delivery import delivery_attempt
from webhooks.services.outbox import endpoint_ping

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (DATABASE_URL)")]


def test_concurrent_tasks_for_one_delivery_send_it_once(transactional_db, user, receiver):
    """Eight workers' worth of duplicate tasks at the same moment: the lease lets exactly one POST through."""
    endpoint, _ = endpoint_for(user, receiver.url())
    receiver.answer(("status", 200), ("sleep", 0.3))  # the racing attempt is slow: others find it in flight
    delivery = endpoint_ping(endpoint=endpoint)  # committed, so its eager task has sent it once already
    assert len(receiver.wait_for(1)) == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PENDING, attempts=0,
                                                          next_attempt_at=timezone.now(), succeeded_at=None)
    barrier = threading.Barrier(8)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            barrier.wait()
            delivery_attempt(delivery_id=delivery.public_id)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(receiver.requests) == 2  # the ping itself, then exactly one of the eight
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2
