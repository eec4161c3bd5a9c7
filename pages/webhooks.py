"""The settings page's webhooks section: thin doors onto webhooks' services, like the REST API's.

A new or rotated secret is rendered once, in the response to the POST that made it, and never stored in the
browser session; the other actions redirect back to the section.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cloudinterview.api.throttling import rate_check, user_ident
from domain.errors import ApplicationError, NotFound
from webhooks.models import WebhookEndpoint
from webhooks.selectors import endpoint_for_user, endpoint_list_for_user, recent_deliveries_for_user
from webhooks.services.delivery import deliveries_catch_up
from webhooks.services.endpoints import endpoint_create, endpoint_delete, endpoint_rotate_secret, endpoint_update
from webhooks.services.outbox import endpoint_ping

from .forms import SettingsForm, WebhookForm

RECENT_DELIVERIES = 5
THROTTLED_STATUS = 429


def webhooks_context(user: Any, *, webhook_form: WebhookForm | None = None,
                     new_secret: dict[str, str] | None = None) -> dict[str, Any]:
    """The section's data in three queries: endpoints, and the latest deliveries of all of them with their log."""
    deliveries_catch_up()
    endpoints = list(endpoint_list_for_user(user=user)[:settings.WEBHOOK_MAX_ENDPOINTS_PER_USER])
    recent = recent_deliveries_for_user(user=user, per_endpoint=RECENT_DELIVERIES) if endpoints else {}
    return {"webhooks": [(endpoint, recent.get(endpoint.pk, [])) for endpoint in endpoints],
            "webhook_form": webhook_form or WebhookForm(), "new_secret": new_secret,
            "webhook_limit": settings.WEBHOOK_MAX_ENDPOINTS_PER_USER}


def settings_response(request: HttpRequest, *, form: SettingsForm | None = None, status: int = 200,
                      **webhooks: Any) -> HttpResponse:
    """The whole settings page: profile and preferences, then webhooks."""
    context = {"form": form or SettingsForm.for_user(request.user), **webhooks_context(request.user, **webhooks)}
    return render(request, "pages/settings.html", context, status=status)


def _section() -> HttpResponse:
    return redirect(reverse("pages:settings") + "#webhooks")


def _own(request: HttpRequest, webhook_id: str) -> WebhookEndpoint:
    try:
        return endpoint_for_user(user=request.user, webhook_id=webhook_id)
    except NotFound as exc:
        raise Http404("No such webhook.") from exc


def _throttled(request: HttpRequest) -> HttpResponse | None:
    """The sessions rate scope of the user, shared with the API: the page cannot be used to flood receivers."""
    wait = rate_check("sessions", user_ident(request.user.public_id))
    if wait is None:
        return None
    messages.error(request, f"Too many requests; try again in {int(wait)} s.")
    response = settings_response(request, status=THROTTLED_STATUS)
    response["Retry-After"] = str(int(wait))
    return response


@login_required
@require_POST
def webhook_create(request: HttpRequest) -> HttpResponse:
    if refusal := _throttled(request):
        return refusal
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            endpoint, secret = endpoint_create(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return settings_response(request, new_secret={"url": endpoint.url, "secret": secret})
    return settings_response(request, webhook_form=form)


@login_required
@require_POST
def webhook_rotate(request: HttpRequest, webhook_id: str) -> HttpResponse:
    if refusal := _throttled(request):
        return refusal
    endpoint, secret = endpoint_rotate_secret(endpoint=_own(request, webhook_id))
    return settings_response(request, new_secret={"url": endpoint.url, "secret": secret, "rotated": "yes"})


@login_required
@require_POST
def webhook_test(request: HttpRequest, webhook_id: str) -> HttpResponse:
    if refusal := _throttled(request):
        return refusal
    try:
        endpoint_ping(endpoint=_own(request, webhook_id))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "A test event was sent; its delivery is listed below.")
    return _section()


@login_required
@require_POST
def webhook_enable(request: HttpRequest, webhook_id: str) -> HttpResponse:
    endpoint_update(endpoint=_own(request, webhook_id), enabled=True)
    messages.success(request, "The webhook is enabled again. Send a test event to check it.")
    return _section()


@login_required
@require_POST
def webhook_delete(request: HttpRequest, webhook_id: str) -> HttpResponse:
    endpoint_delete(endpoint=_own(request, webhook_id))
    messages.success(request, "The webhook was deleted.")
    return _section()
