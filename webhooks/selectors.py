"""Reads of webhooks: each queryset shape in one place, with its related rows fetched in fixed queries."""

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from accounts.models import User
from domain.errors import NotFound

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_list_for_user(*, user: User) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(user=user).order_by("-created_at", "-id")


def endpoint_for_user(*, user: User, webhook_id: str) -> WebhookEndpoint:
    """The user's endpoint; another user's is 404, never 403."""
    endpoint = WebhookEndpoint.objects.filter(user=user, public_id=webhook_id).first()
    if endpoint is None:
        raise NotFound("No such webhook.")
    return endpoint


def _with_log(deliveries: QuerySet[WebhookDelivery]) -> QuerySet[WebhookDelivery]:
    """Deliveries with their event and attempts: two queries for any page."""
    return deliveries.select_related("event").prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("started_at", "id")))


def delivery_list_for_endpoint(*, endpoint: WebhookEndpoint, status: str | None = None) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    if status:
        deliveries = deliveries.filter(status=status)
    return _with_log(deliveries).order_by("-created_at", "-id")


def recent_deliveries_for_user(*, user: User, per_endpoint: int) -> dict[int, list[WebhookDelivery]]:
    """The latest `per_endpoint` deliveries of each of the user's endpoints, keyed by endpoint id, in two
    queries whatever the number of endpoints (a window function ranks them per endpoint)."""
    ranked = WebhookDelivery.objects.filter(endpoint__user=user).annotate(
        rank=Window(RowNumber(), partition_by=[F("endpoint_id")], order_by=[F("created_at").desc(), F("id").desc()]))
    grouped: dict[int, list[WebhookDelivery]] = {}
    for delivery in _with_log(ranked.filter(rank__lte=per_endpoint)).order_by("-created_at", "-id"):
        grouped.setdefault(delivery.endpoint_id, []).append(delivery)
    return grouped
