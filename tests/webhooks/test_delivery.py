"""Delivery to a real receiver on 127.0.0.1: signatures checked by the standardwebhooks package, retries after a
500 and after a timeout, one effect per event id, order within a session, the rotation window, disabling."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import WebhookVerificationError

from tests.accounts.factories import UserFactory
from tests.webhooks.helpers import endpoint_for, interview
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services.delivery import deliveries_dispatch_due, delivery_attempt, delivery_redeliver
from webhooks.services.endpoints import endpoint_rotate_secret
from webhooks.services.outbox import endpoint_ping

pytestmark = pytest.mark.django_db


def _travel_and_dispatch(capture, seconds: float) -> None:
    """Move the clock past a retry's due time and run what beat would run."""
    with time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=True), capture(execute=True):
        deliveries_dispatch_due()


class TestSignedEvents:
    def test_a_completed_interview_reaches_the_receiver_signed_per_the_specification(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, secret = endpoint_for(user, receiver.url())

        session = interview(user, django_capture_on_commit_callbacks)

        types = [r.event["type"] for r in receiver.requests]
        assert types == ["answer.evaluated", "session.completed", "feedback.ready"]
        for received in receiver.requests:
            payload = received.verify(secret)  # raises unless a v1 signature matches
            assert payload["version"] == 1
            assert received.webhook_id.startswith("msg_")
            assert received.headers["content-type"] == "application/json"
        completed = receiver.requests[1].event
        assert completed["data"]["session"]["sessionId"] == session.public_id
        assert completed["data"]["session"]["overallScore"] == session.overall_score
        assert completed["data"]["feedback"]["feedbackId"] == session.feedback.public_id
        ready = receiver.requests[2].event
        assert ready["data"]["feedback"]["status"] == "ready"
        assert ready["timestamp"].endswith("Z")

    def test_a_tampered_body_fails_independent_verification(self, user, receiver, django_capture_on_commit_callbacks):
        _, secret = endpoint_for(user, receiver.url(), events=["session.completed"])
        interview(user, django_capture_on_commit_callbacks)
        (received,) = receiver.requests

        with pytest.raises(WebhookVerificationError):
            received.__class__(received.path, received.headers, received.body.replace(b"completed", b"abandoned",
                                                                                       1)).verify(secret)

    def test_answer_evaluated_is_sent_only_to_endpoints_that_opted_in(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint_for(user, receiver.url(), events=["session.completed", "feedback.ready"])

        interview(user, django_capture_on_commit_callbacks)

        assert [r.event["type"] for r in receiver.requests] == ["session.completed", "feedback.ready"]

    def test_another_users_interview_sends_nothing_to_this_endpoint(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint_for(user, receiver.url())

        interview(UserFactory(), django_capture_on_commit_callbacks)

        assert receiver.requests == []


class TestRetries:
    def test_a_500_is_retried_with_the_same_webhook_id_and_applied_once(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, secret = endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(("status", 500))

        interview(user, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.status == DeliveryStatus.RETRYING
        wait = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
        assert 8 <= wait <= 12  # 10 s +/- 20% jitter

        _travel_and_dispatch(django_capture_on_commit_callbacks, 13)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SUCCEEDED
        first, second = receiver.requests
        assert first.webhook_id == second.webhook_id
        assert first.headers["webhook-timestamp"] != second.headers["webhook-timestamp"]
        second.verify(secret)
        assert receiver.applied == [first.webhook_id]
        log = list(WebhookAttempt.objects.filter(delivery=delivery).values_list("number", "outcome", "response_code"))
        assert log == [(1, "failed", 500), (2, "succeeded", 200)]

    def test_a_receiver_slower_than_the_timeout_is_retried_and_its_effect_happens_once(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(("sleep", 1.5))  # the receiver applies the event, but after we stopped waiting

        interview(user, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        attempt = WebhookAttempt.objects.get(delivery=delivery)
        assert attempt.outcome == "failed"
        assert attempt.error.startswith("Timed out")
        assert attempt.response_code is None

        receiver.wait_for(1)
        _travel_and_dispatch(django_capture_on_commit_callbacks, 13)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SUCCEEDED
        assert len(receiver.requests) == 2
        assert receiver.applied == [receiver.requests[0].webhook_id]

    def test_a_duplicate_task_for_a_delivered_event_sends_nothing(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        interview(user, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)

        for _ in range(3):
            delivery_attempt(delivery_id=delivery.public_id)
        _travel_and_dispatch(django_capture_on_commit_callbacks, 3600)

        assert len(receiver.requests) == 1

    def test_a_lost_task_is_queued_again_by_the_sweep_after_five_minutes_not_before(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, secret = endpoint_for(user, receiver.url())
        with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
            endpoint_ping(endpoint=endpoint)

        assert deliveries_dispatch_due() == 0  # queued moments ago: a backlog is not multiplied
        with time_machine.travel(timezone.now() + timedelta(seconds=301), tick=True), \
                django_capture_on_commit_callbacks(execute=True):
            assert deliveries_dispatch_due() == 1
            (received,) = receiver.requests
            received.verify(secret)  # signed at the time of this attempt

    def test_a_task_arriving_before_the_retry_time_does_nothing(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(("status", 503))
        interview(user, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)

        delivery_attempt(delivery_id=delivery.public_id)

        assert len(receiver.requests) == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 1

    def test_retry_after_from_the_receiver_postpones_the_next_attempt(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(("status", 503, {"Retry-After": "120"}))

        interview(user, django_capture_on_commit_callbacks)

        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.status == DeliveryStatus.RETRYING
        assert 120 <= (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds() < 121

    def test_attempts_stop_after_the_maximum_and_the_delivery_is_abandoned(
            self, user, receiver, django_capture_on_commit_callbacks, settings):
        settings.WEBHOOK_MAX_ATTEMPTS = 2
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(("status", 500), ("status", 500))

        interview(user, django_capture_on_commit_callbacks)
        _travel_and_dispatch(django_capture_on_commit_callbacks, 13)
        _travel_and_dispatch(django_capture_on_commit_callbacks, 3600)

        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert delivery.status == DeliveryStatus.ABANDONED
        assert delivery.next_attempt_at is None
        assert len(receiver.requests) == 2

    def test_a_redirect_is_a_failure_and_is_not_followed(self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(("redirect", receiver.url("/elsewhere")))

        interview(user, django_capture_on_commit_callbacks)

        assert [r.path for r in receiver.requests] == ["/hooks"]
        attempt = WebhookAttempt.objects.get(delivery__endpoint=endpoint)
        assert (attempt.outcome, attempt.response_code) == ("failed", 302)

    def test_the_response_excerpt_is_bounded(self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])

        interview(user, django_capture_on_commit_callbacks)

        attempt = WebhookAttempt.objects.get(delivery__endpoint=endpoint)
        assert attempt.response_excerpt.startswith("answered 200")
        assert len(attempt.response_excerpt) == 1000
        assert attempt.latency_ms is not None


class TestOrderWithinASession:
    def test_later_events_wait_until_the_earlier_one_succeeds(self, user, receiver,
                                                              django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url())
        receiver.answer(("status", 500))  # answer.evaluated fails first

        interview(user, django_capture_on_commit_callbacks)

        assert [r.event["type"] for r in receiver.requests] == ["answer.evaluated"]
        waiting = WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING)
        assert waiting.count() == 2
        assert all(d.next_attempt_at is None for d in waiting)  # asleep until woken, not polled

        _travel_and_dispatch(django_capture_on_commit_callbacks, 13)

        assert [r.event["type"] for r in receiver.requests] == [
            "answer.evaluated", "answer.evaluated", "session.completed", "feedback.ready"]
        assert set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)) == {
            DeliveryStatus.SUCCEEDED}

    def test_an_abandoned_earlier_event_releases_the_later_ones(
            self, user, receiver, django_capture_on_commit_callbacks, settings):
        settings.WEBHOOK_MAX_ATTEMPTS = 1
        endpoint_for(user, receiver.url())
        receiver.answer(("status", 500))

        interview(user, django_capture_on_commit_callbacks)

        assert [r.event["type"] for r in receiver.requests] == [
            "answer.evaluated", "session.completed", "feedback.ready"]

    def test_sessions_do_not_wait_for_each_other(self, user, receiver, django_capture_on_commit_callbacks):
        endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(("status", 500))
        first = interview(user, django_capture_on_commit_callbacks)

        second = interview(user, django_capture_on_commit_callbacks)

        sent = [r.event["data"]["session"]["sessionId"] for r in receiver.requests]
        assert sent == [first.public_id, second.public_id]

    def test_events_of_a_session_carry_increasing_sequence_numbers(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url())

        interview(user, django_capture_on_commit_callbacks)

        rows = list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("sequence")
                    .values_list("event__type", "sequence"))
        assert [t for t, _ in rows] == ["answer.evaluated", "session.completed", "feedback.ready"]
        assert [s for _, s in rows] == [1, 2, 3]


class TestSecretRotation:
    def test_both_secrets_sign_for_24_hours_then_only_the_new_one(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, old_secret = endpoint_for(user, receiver.url())
        endpoint, new_secret = endpoint_rotate_secret(endpoint=endpoint)
        assert new_secret != old_secret

        with django_capture_on_commit_callbacks(execute=True):
            endpoint_ping(endpoint=endpoint)
        within = receiver.requests[-1]
        assert len(within.headers["webhook-signature"].split(" ")) == 2
        within.verify(old_secret)
        within.verify(new_secret)

        with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                endpoint_ping(endpoint=endpoint)
            after = receiver.requests[-1]
            assert len(after.headers["webhook-signature"].split(" ")) == 1
            after.verify(new_secret)
            with pytest.raises(WebhookVerificationError):
                after.verify(old_secret)

    def test_a_second_rotation_drops_the_oldest_secret_at_once(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, first = endpoint_for(user, receiver.url())
        endpoint, second = endpoint_rotate_secret(endpoint=endpoint)
        endpoint, third = endpoint_rotate_secret(endpoint=endpoint)

        with django_capture_on_commit_callbacks(execute=True):
            endpoint_ping(endpoint=endpoint)

        received = receiver.requests[-1]
        received.verify(third)
        received.verify(second)
        with pytest.raises(WebhookVerificationError):
            received.verify(first)


class TestDisabling:
    def _failing_day(self, user, capture) -> None:
        interview(user, capture)
        _travel_and_dispatch(capture, 13)

    def test_an_endpoint_failing_for_three_days_is_disabled_and_its_owner_told(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        receiver.answer(*[("status", 500)] * 20)
        start = timezone.now()

        for day in (0, 1, 2):
            with time_machine.travel(start + timedelta(days=day), tick=True):
                self._failing_day(user, django_capture_on_commit_callbacks)
            endpoint.refresh_from_db()
            assert endpoint.enabled, f"disabled on day {day}"
        assert mail.outbox == []

        with time_machine.travel(start + timedelta(days=3, minutes=1), tick=True):
            self._failing_day(user, django_capture_on_commit_callbacks)

        endpoint.refresh_from_db()
        assert not endpoint.enabled
        assert "3 days in a row" in endpoint.disabled_reason
        assert not WebhookDelivery.objects.filter(endpoint=endpoint, status__in=["pending", "retrying"]).exists()
        (message,) = mail.outbox
        assert message.to == [user.email]
        assert endpoint.url in message.body

    def test_a_success_between_failures_restarts_the_count(self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        start = timezone.now()
        receiver.answer(("status", 500), ("status", 500), ("status", 200))
        with time_machine.travel(start, tick=True):
            self._failing_day(user, django_capture_on_commit_callbacks)  # fails twice
        with time_machine.travel(start + timedelta(days=2), tick=True):
            interview(user, django_capture_on_commit_callbacks)  # succeeds
        endpoint.refresh_from_db()
        assert endpoint.failing_since is None

        receiver.answer(("status", 500), ("status", 500))
        with time_machine.travel(start + timedelta(days=3, hours=1), tick=True):
            self._failing_day(user, django_capture_on_commit_callbacks)

        endpoint.refresh_from_db()
        assert endpoint.enabled
        assert mail.outbox == []

    def test_410_gone_disables_the_endpoint_at_once(self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url())
        receiver.answer(("status", 410))

        interview(user, django_capture_on_commit_callbacks)

        endpoint.refresh_from_db()
        assert not endpoint.enabled
        assert "410" in endpoint.disabled_reason
        assert len(receiver.requests) == 1
        assert set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)) == {
            DeliveryStatus.ABANDONED}
        assert len(mail.outbox) == 1


class TestRedeliver:
    def test_redelivering_a_succeeded_delivery_sends_it_again_with_the_same_id(
            self, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url(), events=["session.completed"])
        interview(user, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)

        with django_capture_on_commit_callbacks(execute=True):
            assert delivery_redeliver(delivery=delivery)

        first, second = receiver.requests
        assert first.webhook_id == second.webhook_id
        assert receiver.applied == [first.webhook_id]
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 1)
