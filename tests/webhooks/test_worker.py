"""Webhooks through a real Celery worker (the distributed CI pass): a whole interview's events reach a receiver on
127.0.0.1 signed and in order, the first one after a retry; duplicate tasks racing in the worker send once."""

import os
import sys
import time

import pytest
import redis
from django.utils import timezone

from cloudinterview.sandbox_queue import on_django_queue
from cloudinterview.waiting import wait_for
from feedback.services import session_complete
from interviews.services.flow import answer_submit, question_next
from interviews.services.planning import session_start
from tests.accounts.factories import UserFactory
from tests.interviews.helpers import pinned_theory_question
from tests.processes import NEEDS_WORKERS, server_database_url, spawn, stop, wait_until
from tests.webhooks.helpers import endpoint_for
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services.outbox import endpoint_ping
from webhooks.tasks import deliver

pytestmark = NEEDS_WORKERS


def _env() -> dict[str, str]:
    return {"DATABASE_URL": server_database_url(), "AI_PROVIDER": "offline", "LOG_LEVEL": "WARNING",
            "DB_POOL_MIN_SIZE": "1", "WEBHOOK_ALLOW_HTTP": "1", "WEBHOOK_ALLOW_PRIVATE": "1",
            "WEBHOOK_RETRY_BASE_SECONDS": "1", "WEBHOOK_TIMEOUT_SECONDS": "3"}


@pytest.fixture
def worker():
    """A Celery worker with two processes on the default queue; killed before the test database is flushed."""
    process = spawn([sys.executable, "-m", "celery", "-A", "cloudinterview", "worker", "-Q", "celery",
                     "--concurrency", "2", "--without-gossip", "--without-mingle", "--without-heartbeat",
                     "-n", f"webhooks-{os.getpid()}@%h"], _env())
    yield process
    stop(process)


def _all_delivered(endpoint, count: int) -> bool:
    statuses = list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", flat=True))
    return len(statuses) == count and set(statuses) == {DeliveryStatus.SUCCEEDED}


def test_an_interviews_events_arrive_signed_in_order_through_a_worker(transactional_db, receiver, worker):
    pinned_theory_question(category="zz webhooks worker", follow_ups=0)
    user = UserFactory()
    endpoint, secret = endpoint_for(user, receiver.url())
    receiver.answer(("status", 500))  # the first event fails once: the worker retries it about 1 s later
    session = session_start(user=user, mode="technical", include_coding=False, topics=["zz webhooks worker"],
                            duration=10)
    question_next(session=session)

    _, evaluation = answer_submit(session=session, text="The log is written before the data page; recovery "
                                                        "replays it after a crash.")
    assert wait_for(evaluation, 60)
    session_complete(session=session)  # feedback is written by the worker, which then emits feedback.ready

    assert wait_until(lambda: _all_delivered(endpoint, 3), timeout=60), list(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event__type", "status", "attempts"))
    received = receiver.requests
    assert [r.event["type"] for r in received] == [
        "answer.evaluated", "answer.evaluated", "session.completed", "feedback.ready"]
    for request in received:
        request.verify(secret)
    assert received[0].webhook_id == received[1].webhook_id
    assert len(receiver.applied) == 3
    assert received[2].event["data"]["session"]["sessionId"] == session.public_id


def test_duplicate_tasks_in_the_worker_send_a_delivery_once(transactional_db, receiver, worker):
    user = UserFactory()
    endpoint, secret = endpoint_for(user, receiver.url())
    receiver.answer(("sleep", 1))  # the first POST is slow, so duplicates run while it is in flight

    delivery = endpoint_ping(endpoint=endpoint)
    for _ in range(4):
        on_django_queue(deliver.si(delivery.public_id)).delay()

    assert wait_until(lambda: _all_delivered(endpoint, 1), timeout=30), list(
        WebhookAttempt.objects.values_list("outcome", "error", "response_code"))
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert wait_until(lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0, timeout=30)
    time.sleep(0.5)  # the last duplicate has been acknowledged; give a stray POST time to land
    (request,) = receiver.requests
    request.verify(secret)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.succeeded_at <= timezone.now()
