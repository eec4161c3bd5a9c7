"""Managing a user's webhook endpoints: create, update, delete, rotate the secret. The same services serve
the API, the settings page and admin."""

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from domain.errors import InvalidInput, InvalidState

from ..addresses import UrlRefused, url_check
from ..models import DEFAULT_EVENTS, SUBSCRIBABLE, WebhookEndpoint
from ..signing import secret_new
from .delivery import endpoint_disable

DISABLED_BY_USER = "Disabled by you."


def _checked_url(url: str) -> str:
    try:
        return url_check(url)
    except UrlRefused as exc:
        raise InvalidInput(str(exc), field="url") from exc


def _checked_events(events: Sequence[str] | None) -> list[str]:
    """Unique subscribable event types in a stable order; the default set when none are given."""
    chosen = set(DEFAULT_EVENTS if events is None else events)
    unknown = chosen - set(SUBSCRIBABLE)
    if unknown:
        raise InvalidInput(f"Unknown event type {sorted(unknown)[0]!r}.", field="events")
    if not chosen:
        raise InvalidInput("Choose at least one event.", field="events")
    return [str(e) for e in SUBSCRIBABLE if e in chosen]


def endpoint_create(*, user: User, url: str, events: Sequence[str] | None = None,
                    description: str = "") -> tuple[WebhookEndpoint, str]:
    """Add an endpoint with a fresh secret; returns it and the secret (shown to the user this once).

    The user's row is locked while counting, so concurrent requests cannot pass the per-user cap together.
    """
    url = _checked_url(url)
    chosen = _checked_events(events)
    limit = settings.WEBHOOK_MAX_ENDPOINTS_PER_USER
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).exists()
        if WebhookEndpoint.objects.filter(user=user).count() >= limit:
            raise InvalidState(f"You already have {limit} webhooks, the most allowed; delete one first.")
        secret = secret_new()
        endpoint = WebhookEndpoint.objects.create(user=user, url=url, events=chosen, description=description,
                                                  secret=secret)
    return endpoint, secret


def endpoint_update(*, endpoint: WebhookEndpoint, url: str | None = None, events: Sequence[str] | None = None,
                    description: str | None = None, enabled: bool | None = None) -> WebhookEndpoint:
    """Change what was given. Enabling clears the disabled state and the failure streak; disabling abandons
    the endpoint's pending deliveries."""
    if url is not None:
        endpoint.url = _checked_url(url)
    if events is not None:
        endpoint.events = _checked_events(events)
    if description is not None:
        endpoint.description = description
    if enabled is True and not endpoint.enabled:
        endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason, endpoint.failing_since = True, None, "", None
    endpoint.save()
    if enabled is False and endpoint.enabled:
        endpoint_disable(endpoint_id=endpoint.pk, reason=DISABLED_BY_USER, notify=False)
        endpoint.refresh_from_db()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its deliveries and their log; tasks still queued for them find nothing."""
    endpoint.delete()


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> tuple[WebhookEndpoint, str]:
    """A new secret signs from now on; the one it replaces keeps signing beside it for
    WEBHOOK_SECRET_OVERLAP_HOURS, so receivers can switch without losing events. A secret older than that
    (from an earlier rotation) stops at once. Returns the endpoint and the new secret (shown this once)."""
    now = timezone.now()
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = now + timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
        locked.secret = secret_new()
        locked.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    return locked, locked.secret
