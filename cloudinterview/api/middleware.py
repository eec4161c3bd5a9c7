"""Request shaping for /v1: one URL per resource whatever the trailing slash, bodies capped at 1 MiB."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .exceptions import error_json

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
