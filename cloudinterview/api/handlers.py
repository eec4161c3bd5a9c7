"""Django's last-resort handlers: JSON envelope under /v1, plain pages elsewhere."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.views import defaults

from .exceptions import error_json
from .middleware import API_PREFIX
from .outages import MESSAGE, RETRY_AFTER_SECONDS, handling_outage


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_json(404, "No such endpoint.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its `except` block, so the exception is still at hand: an outage of a
    backing service (raised in middleware or a page, outside DRF's handler) becomes a 503."""
    if handling_outage():
        if request.path.startswith(API_PREFIX):
            return error_json(503, MESSAGE)
        response = HttpResponse(f"<!doctype html><title>Unavailable</title><h1>Temporarily unavailable</h1>"
                                f"<p>{MESSAGE}</p>", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if request.path.startswith(API_PREFIX):
        return error_json(500, "Internal server error.")
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Under /v1 a request refused on purpose (BadRequest) says why; other 400s say no more."""
    if request.path.startswith(API_PREFIX):
        return error_json(400, str(exception) if isinstance(exception, BadRequest) else "Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_json(403, "Permission denied.")
    return defaults.permission_denied(request, exception)
