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
            # Not validated: a spent budget checks no password, and "too many attempts" is the one thing to say
            # (beside "enter a correct email and password" it read as two failures). What was typed stays,
            # passwords apart; templates show `throttled` with the form's errors.
            kwargs = self.get_form_kwargs()
            data = kwargs.pop("data")
            kwargs.pop("files", None)
            kwargs["initial"] = {name: value for name, value in data.items() if "password" not in name}
            form = self.get_form_class()(**kwargs)
            return self.render_to_response(self.get_context_data(form=form, throttled=error),
                                           status=THROTTLED_STATUS)
        return super().post(request, *args, **kwargs)


class AdminAuthenticationForm(admin_forms.AdminAuthenticationForm):
    """The admin's log-in form: each attempt spends the auth budget before the password is checked."""

    def clean(self) -> dict[str, Any]:
        if error := auth_throttled(self.request):
            raise ValidationError(error, code="throttled")
        return super().clean()
