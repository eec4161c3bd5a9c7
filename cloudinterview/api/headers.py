"""Headers every response carries (docs/api.md, "Conventions"): `X-Request-Id`, and on rate-limited routes
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (the IETF draft's names), 429s included.

The request id is the client's when it sent a well-formed one (so one id follows a call through a client's own
logs and ours), else a new random one. It is in every log line written while the request runs (`RequestIdFilter`
in the LOGGING settings), in this process and in the thread the view runs in.
"""

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-Id"
REQUEST_ID_FORMAT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")  # UUIDs, ULIDs, trace ids; no spaces
current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if REQUEST_ID_FORMAT.match(given) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` ("-" outside a request) for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


def record_rate_status(request: Any, status: Any) -> None:
    """Called by the throttles (cloudinterview.api.throttling) with a RateStatus: the middleware turns the most
    constraining one into headers. `request` is DRF's Request or Django's HttpRequest."""
    http_request = getattr(request, "_request", request)
    known = getattr(http_request, "rate_status", None)
    if known is None or status.wait is not None or (known.wait is None and status.remaining < known.remaining):
        http_request.rate_status = status


def _add_headers(request: HttpRequest, response: HttpResponse, request_id: str) -> HttpResponse:
    response[REQUEST_ID_HEADER] = request_id
    status = getattr(request, "rate_status", None)
    if status is not None:
        response["RateLimit-Limit"] = str(status.limit)
        response["RateLimit-Remaining"] = str(status.remaining)
        response["RateLimit-Reset"] = str(status.reset)
    return response


class ResponseHeadersMiddleware:
    """The outermost middleware, so every response gets the headers, even one refused before any view."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if iscoroutinefunction(self):
            return self.__acall__(request)
        request_id = request.request_id = request_id_for(request)
        token = current_request_id.set(request_id)
        try:
            return _add_headers(request, self.get_response(request), request_id)
        finally:
            current_request_id.reset(token)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.request_id = request_id_for(request)
        token = current_request_id.set(request_id)
        try:
            return _add_headers(request, await self.get_response(request), request_id)
        finally:
            current_request_id.reset(token)
