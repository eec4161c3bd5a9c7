"""Request shaping: for /v1 one URL per resource whatever the trailing slash and bodies capped at 1 MiB;
everywhere, no NUL in the URL."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from .exceptions import error_json
from .strictjson import UNREPRESENTABLE

API_PREFIX = "/v1/"


class ApiPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            if len(request.path_info) > len(API_PREFIX) and request.path_info.endswith("/"):
                request.path_info = request.path_info.rstrip("/")
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.MAX_BODY_BYTES:
                return error_json(413, f"The request body exceeds {settings.MAX_BODY_BYTES} bytes.")
        return self.get_response(request)


class UrlTextMiddleware:
    """A NUL (or a lone surrogate) in the path or the query string is a 400 on every path, the envelope under
    /v1: no database stores it, PostgreSQL fails the query with a 500 (docs/security.md, "Bad input")."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        texts = [request.path_info, *(text for key, values in request.GET.lists() for text in (key, *values))]
        if any(UNREPRESENTABLE.search(text) for text in texts):
            raise BadRequest("NUL characters and lone surrogates are not allowed in the URL.")
        return self.get_response(request)
