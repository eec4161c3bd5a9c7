"""Request shaping: for /v1 one URL per resource whatever the trailing slash and bodies capped at 1 MiB;
everywhere, no NUL in the URL.

Sync and async capable, like every middleware in the stack: under Daphne an all-async chain keeps request
threads from waiting on the event loop (a sync middleware between async ones parks its thread in asgiref's
CurrentThreadExecutor, and a server shutting down under load then never exits).
"""

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from .exceptions import error_json
from .strictjson import UNREPRESENTABLE

API_PREFIX = "/v1/"


class RequestGate:
    """A middleware that may answer (or refuse) a request before the view; `refusal` says how."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if iscoroutinefunction(self):
            return self.__acall__(request)
        return self.refusal(request) or self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or await self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        raise NotImplementedError


class ApiPathMiddleware(RequestGate):
    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        """Normalises an API path in place; an oversized body is refused before anything reads it."""
        if not request.path_info.startswith(API_PREFIX):
            return None
        if len(request.path_info) > len(API_PREFIX) and request.path_info.endswith("/"):
            request.path_info = request.path_info.rstrip("/")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_BODY_BYTES:
            return error_json(413, f"The request body exceeds {settings.MAX_BODY_BYTES} bytes.")
        return None


class UrlTextMiddleware(RequestGate):
    """A NUL (or a lone surrogate) in the path or the query string is a 400 on every path, the envelope under
    /v1: no database stores it, PostgreSQL fails the query with a 500 (docs/security.md, "Bad input")."""

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        texts = [request.path_info, *(text for key, values in request.GET.lists() for text in (key, *values))]
        if any(UNREPRESENTABLE.search(text) for text in texts):
            raise BadRequest("NUL characters and lone surrogates are not allowed in the URL.")
        return None
