"""Delivering events (docs/webhooks.md): claim under a row lock, POST outside any transaction, record.

- Idempotent: a task for a delivery that has succeeded, was abandoned, is not yet due or is in flight
  elsewhere (a lease) does nothing, so duplicated or redelivered tasks never send twice.
- At least once: the same `webhook-id` on every attempt lets receivers drop repeats.
- Ordered within a session: a delivery waits while an earlier event of its session is still open for the
  same endpoint; the earlier one wakes it when it succeeds or is abandoned.
- Retries follow `retry_delay`; after WEBHOOK_DISABLE_AFTER_DAYS of failures the endpoint is disabled
  and its owner told by e-mail.
"""

import logging
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cloudinterview.celery import app
from cloudinterview.sandbox_queue import on_django_queue

from ..models import (
    OPEN_STATUSES,
    AttemptOutcome,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from ..signing import signed_headers
from ..transport import SendResult, post_signed

log = logging.getLogger("cloudinterview.webhooks")

BACKOFF_FACTOR = 3
JITTER = 0.2
# A retry due sooner than this waits on the broker as a countdown (below its visibility timeout); later
# ones wait in the database and the periodic `dispatch_due` sends them.
COUNTDOWN_LIMIT_SECONDS = 60
# A delivery whose task was queued is queued again by the sweep only after this long (a task lost with the
# broker or a dead worker), so a backlog in the queue is not multiplied every sweep.
REQUEUE_AFTER_SECONDS = 300
LEASE_MARGIN_SECONDS = 15
SWEEP_LIMIT = 500
CATCH_UP_LIMIT = 5
PRUNE_BATCH = 1000


def retry_delay(attempt: int, *, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempt`-th failure: base x 3^(attempt-1), capped, then +/-20% jitter so
    retries to an endpoint that fell over do not all land together."""
    exponent = min(attempt - 1, 40)
    delay = min(settings.WEBHOOK_RETRY_BASE_SECONDS * BACKOFF_FACTOR ** exponent,
                settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS)
    return delay * (rng or random).uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - jitter, not a secret


def secrets_in_use(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The current secret, and the previous one while its overlap after a rotation lasts."""
    active = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now:
        active.append(endpoint.previous_secret)
    return active


def _eager() -> bool:
    return bool(app.conf.task_always_eager)


def _send_tasks(delivery_ids: list[str], countdown: float | None = None) -> None:
    # The service<->task pair: tasks.py imports this module to call the delivery service, so the task is
    # imported when first queued, not at the top (that would be an import cycle).
    from ..tasks import deliver

    for delivery_id in delivery_ids:
        on_django_queue(deliver.si(delivery_id)).apply_async(countdown=countdown)


def deliveries_enqueue(delivery_ids: list[str]) -> None:
    """One task per delivery once the transaction commits (a worker never looks for a row not yet there).
    A broker that is down only delays them: the rows are due, and `dispatch_due` queues them again."""
    if delivery_ids:
        transaction.on_commit(partial(_send_tasks, list(delivery_ids)), robust=True)


def deliveries_dispatch_due(*, limit: int = SWEEP_LIMIT) -> int:
    """Queue every open delivery that is due, not in flight and without a task queued recently (retries
    waiting in the database, tasks lost with a broker or a dead worker); returns how many. Waiting
    deliveries have no due time."""
    now = timezone.now()
    due = list(WebhookDelivery.objects.filter(status__in=OPEN_STATUSES, next_attempt_at__lte=now)
               .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
               .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=now - timedelta(seconds=REQUEUE_AFTER_SECONDS)))
               .order_by("next_attempt_at").values_list("pk", "public_id")[:limit])
    WebhookDelivery.objects.filter(pk__in=[pk for pk, _ in due]).update(queued_at=now)
    _send_tasks([public_id for _, public_id in due])
    return len(due)


def deliveries_catch_up() -> None:
    """The embedded default runs no Celery beat: there, due retries go out whenever webhooks are used (an
    event, the API, the settings page), a few at a time. With real workers, beat does this."""
    if _eager():
        deliveries_dispatch_due(limit=CATCH_UP_LIMIT)


def events_prune() -> int:
    """Delete events older than WEBHOOK_RETENTION_DAYS whose deliveries are all finished, in batches."""
    cutoff = timezone.now() - timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    old = list(WebhookEvent.objects.filter(created_at__lt=cutoff).exclude(deliveries__status__in=OPEN_STATUSES)
               .values_list("pk", flat=True)[:PRUNE_BATCH])
    if old:
        WebhookEvent.objects.filter(pk__in=old).delete()
    return len(old)


@dataclass(frozen=True)
class Claim:
    delivery_pk: int
    token: str
    number: int
    started_at: datetime
    url: str
    msg_id: str
    body: bytes
    secrets: list[str]


def _waiting_for_earlier(delivery: WebhookDelivery) -> bool:
    return bool(delivery.stream) and WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id, stream=delivery.stream, sequence__lt=delivery.sequence,
        status__in=OPEN_STATUSES).exists()


def _claim(delivery_id: str) -> Claim | None:
    """Take the delivery for one attempt, or None when there is nothing to do now."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(of=("self",)).select_related("endpoint", "event")
                    .filter(public_id=delivery_id).first())
        if delivery is None or delivery.status not in OPEN_STATUSES:
            return None  # deleted, succeeded or abandoned: a duplicate task
        if delivery.next_attempt_at is None or delivery.next_attempt_at > now:
            return None  # waiting for an earlier event, or a duplicate task ahead of the retry time
        if delivery.lease_until and delivery.lease_until > now:
            return None  # another worker is sending it
        if not delivery.endpoint.enabled:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.ABANDONED, None
            delivery.save(update_fields=["status", "next_attempt_at"])
            return None
        if _waiting_for_earlier(delivery):
            delivery.next_attempt_at = None  # the earlier delivery wakes this one when it finishes
            delivery.save(update_fields=["next_attempt_at"])
            return None
        delivery.attempts += 1
        delivery.lease_token = secrets.token_hex(16)
        delivery.lease_until = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS)
        delivery.last_attempt_at = now
        delivery.save(update_fields=["attempts", "lease_token", "lease_until", "last_attempt_at"])
        return Claim(delivery_pk=delivery.pk, token=delivery.lease_token, number=delivery.attempts, started_at=now,
                     url=delivery.endpoint.url, msg_id=delivery.event.public_id,
                     body=delivery.event.body.encode("utf-8"), secrets=secrets_in_use(delivery.endpoint, now))


def delivery_attempt(*, delivery_id: str) -> None:
    """Make one attempt of a delivery if it is due: sign with the secrets in use, POST (outside any
    transaction: a slow receiver holds no lock), then record the outcome. Safe to call any number of times."""
    claim = _claim(delivery_id)
    if claim is None:
        return
    headers = signed_headers(secrets_in_use=claim.secrets, msg_id=claim.msg_id,
                             timestamp=int(timezone.now().timestamp()), body=claim.body)
    result = post_signed(url=claim.url, body=claim.body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    _record(claim, result)


def _record(claim: Claim, result: SendResult) -> None:
    now = timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(of=("self",)).select_related("endpoint")
                    .filter(pk=claim.delivery_pk).first())
        if delivery is None:
            return  # the endpoint was deleted meanwhile
        WebhookAttempt.objects.create(
            delivery=delivery, number=claim.number, started_at=claim.started_at, response_code=result.status_code,
            outcome=AttemptOutcome.SUCCEEDED if result.succeeded else AttemptOutcome.FAILED,
            response_excerpt=result.excerpt, error=result.error, latency_ms=result.latency_ms)
        if delivery.lease_token != claim.token:
            return  # redelivered meanwhile: the new round owns the state
        delivery.lease_token, delivery.lease_until = "", None
        if result.succeeded:
            delivery.status, delivery.succeeded_at, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, now, None
            delivery.save()
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, failing_since__isnull=False).update(
                failing_since=None)
            _wake_next(delivery)
            return
        if result.gone:
            delivery.save()
            endpoint_disable(endpoint_id=delivery.endpoint_id, notify=True,
                             reason="The endpoint answered 410 Gone, asking us to stop sending.")
            return
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.ABANDONED, None
            delivery.save()
            _wake_next(delivery)
        else:
            delay = min(max(retry_delay(delivery.attempts), result.retry_after or 0),
                        settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS)
            delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, now + timedelta(seconds=delay)
            delivery.queued_at = now if _schedule_retry(delivery.public_id, delay) else None
            delivery.save()
        _note_failure(delivery.endpoint_id, now)


def _wake_next(delivery: WebhookDelivery) -> None:
    """The next open delivery of the same session to the same endpoint may go now."""
    if not delivery.stream:
        return
    successor = (WebhookDelivery.objects.filter(endpoint_id=delivery.endpoint_id, stream=delivery.stream,
                                                sequence__gt=delivery.sequence, status__in=OPEN_STATUSES)
                 .order_by("sequence").values_list("pk", "public_id").first())
    if successor is None:
        return
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=successor[0], next_attempt_at__isnull=True).update(next_attempt_at=now,
                                                                                         queued_at=now)
    deliveries_enqueue([successor[1]])


def _schedule_retry(delivery_id: str, delay: float) -> bool:
    """Queue the retry as a countdown when it is soon; True when queued. Otherwise `dispatch_due` sends it
    when due (docs/webhooks.md, "Retries")."""
    if _eager() or delay > COUNTDOWN_LIMIT_SECONDS:
        return False
    transaction.on_commit(partial(_send_tasks, [delivery_id], countdown=delay), robust=True)
    return True


def _note_failure(endpoint_id: int, now: datetime) -> None:
    """Remember when the endpoint started failing; past WEBHOOK_DISABLE_AFTER_DAYS without a success, disable it."""
    WebhookEndpoint.objects.filter(pk=endpoint_id, failing_since__isnull=True).update(failing_since=now)
    since = WebhookEndpoint.objects.values_list("failing_since", flat=True).get(pk=endpoint_id)
    days = settings.WEBHOOK_DISABLE_AFTER_DAYS
    if since is not None and now - since >= timedelta(days=days):
        endpoint_disable(endpoint_id=endpoint_id, notify=True,
                         reason=f"Every delivery failed for {days:g} days in a row (since {since:%Y-%m-%d %H:%M} UTC).")


def endpoint_disable(*, endpoint_id: int, reason: str, notify: bool) -> bool:
    """Stop sending to an endpoint: its open deliveries are abandoned; with `notify`, its owner gets an
    e-mail once the change commits. Returns False when it was already disabled (nothing is sent twice)."""
    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().select_related("user").filter(pk=endpoint_id).first()
        if endpoint is None or not endpoint.enabled:
            return False
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = False, now, reason[:300]
        endpoint.save(update_fields=["enabled", "disabled_at", "disabled_reason", "updated_at"])
        endpoint.deliveries.filter(status__in=OPEN_STATUSES).update(
            status=DeliveryStatus.ABANDONED, next_attempt_at=None, lease_token="", lease_until=None)
        if notify:
            transaction.on_commit(partial(_tell_owner, endpoint.user.email, endpoint, reason), robust=True)
    log.warning("webhook %s disabled: %s", endpoint.public_id, reason)
    return True


def _tell_owner(email: str, endpoint: WebhookEndpoint, reason: str) -> None:
    send_mail(
        subject="CloudInterview: a webhook endpoint was disabled",
        message=(f"We stopped sending webhooks to {endpoint.url} ({endpoint.public_id}).\n\n{reason}\n\n"
                 "Its pending events were abandoned. Once the endpoint works again, enable it on your settings page "
                 f"(Settings, Webhooks) or with PATCH /v1/api/webhooks/{endpoint.public_id} "
                 '{"enabled": true}, then send a test event.\n'),
        from_email=None, recipient_list=[email], fail_silently=False)


def delivery_redeliver(*, delivery: WebhookDelivery) -> bool:
    """Send a delivery again from its first attempt (staff's "redeliver"), whatever its state, with the same
    `webhook-id`. Returns False when its endpoint is disabled. An attempt in flight finishes but no longer
    decides the state."""
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery.pk)
        if not locked.endpoint.enabled:
            return False
        now = timezone.now()
        locked.status, locked.attempts, locked.next_attempt_at, locked.queued_at = DeliveryStatus.PENDING, 0, now, now
        locked.lease_token, locked.lease_until, locked.succeeded_at = "", None, None
        locked.save()
        deliveries_enqueue([locked.public_id])
    return True
