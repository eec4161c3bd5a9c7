"""Webhook tasks: load by id, call a service. Idempotent, acknowledged late."""

from celery import shared_task

from .services.delivery import deliveries_dispatch_due, delivery_attempt, events_prune


@shared_task(name="webhooks.deliver", acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             soft_time_limit=50, time_limit=60)
def deliver(delivery_id: str) -> None:
    """One attempt of one delivery (WEBHOOK_TIMEOUT_SECONDS is at most 30, well inside the limits)."""
    delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.dispatch_due", acks_late=True, ignore_result=True, soft_time_limit=60, time_limit=90)
def dispatch_due() -> int:
    """Run by beat: queue retries that have come due and deliveries whose task was lost; prune old events."""
    events_prune()
    return deliveries_dispatch_due()
