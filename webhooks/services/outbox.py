"""Recording events: the domain-event sink, and the ping. Rows are written in the caller's transaction;
their delivery tasks are queued only once it commits."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cloudinterview.domain_events import DomainEvent
from domain.errors import InvalidState

from .. import payloads
from ..models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookStream
from .delivery import deliveries_catch_up, deliveries_enqueue


def _next_sequence(key: str) -> int:
    """The next number of the session's stream. The UPDATE holds the stream row's lock until the caller's
    transaction commits, so a later number is never committed before an earlier one."""
    WebhookStream.objects.get_or_create(key=key)
    WebhookStream.objects.filter(key=key).update(last_sequence=F("last_sequence") + 1)
    return WebhookStream.objects.values_list("last_sequence", flat=True).get(key=key)


def event_record(event: DomainEvent) -> None:
    """The sink of domain events (registered in WebhooksConfig.ready): one event row and one delivery per
    enabled endpoint of the user subscribed to its type. One query when nobody listens."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(user_id=event.user_id, enabled=True).select_related("user")
                 if event.type in e.events]
    if not endpoints:
        return
    occurred_at, body = payloads.domain_event_body(event, user_public_id=endpoints[0].user.public_id)
    stream = f"session:{event.session_id}"
    sequence = _next_sequence(stream)
    message = WebhookEvent.objects.create(user_id=event.user_id, type=event.type, stream=stream, sequence=sequence,
                                          body=body, created_at=occurred_at)
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create([
        WebhookDelivery(endpoint=endpoint, event=message, stream=stream, sequence=sequence, next_attempt_at=now,
                        queued_at=now)
        for endpoint in endpoints
    ])
    deliveries_enqueue([d.public_id for d in deliveries])
    transaction.on_commit(deliveries_catch_up, robust=True)


def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a `ping` to one endpoint (the test button): outside any session's order, retried like others."""
    if not endpoint.enabled:
        raise InvalidState("The webhook is disabled; enable it before sending a test event.")
    now = timezone.now()
    with transaction.atomic():
        message = WebhookEvent.objects.create(user_id=endpoint.user_id, type=EventType.PING, created_at=now,
                                              body=payloads.ping_body(endpoint=endpoint, at=now))
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=message, next_attempt_at=now, queued_at=now)
        deliveries_enqueue([delivery.public_id])
    return delivery
