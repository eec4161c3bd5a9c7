"""The auth budget (RATE_LIMIT_AUTH per client IP) for the form doors: the pages' sign-up, log-in and reset,
and the admin's log-in, count against the same budget as the API's auth endpoints."""

from typing import Any

from django.contrib.admin import forms as admin_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from cloudinterview.api.clientip import client_ip
from cloudinterview.api.throttling import rate_check

THROTTLED_STATUS = 429


def auth_throttled(request: HttpRequest) -> str | None:
    """One hit on the client's auth budget; the message to show when it is spent, else None."""
    wait = rate_check("auth", f"ip:{client_ip(request.META)}")
    return None if wait is None else f"Too many attempts. Try again in {int(wait) + 1} seconds."


class AuthBudgetMixin:
    """A form view whose POST spends the auth budget; a spent budget re-renders the form with a 429."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if error := auth_throttled(request):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=THROTTLED_STATUS)
        return super().post(request, *args, **kwargs)


class AdminAuthenticationForm(admin_forms.AdminAuthenticationForm):
    """The admin's log-in form: each attempt spends the auth budget before the password is checked."""

    def clean(self) -> dict[str, Any]:
        if error := auth_throttled(self.request):
            raise ValidationError(error, code="throttled")
        return super().clean()
