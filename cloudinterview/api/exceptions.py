"""Every error under /v1 leaves in one envelope: {"success": false, "error": {...}}."""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

from domain.errors import (
    AlreadyExists,
    ApplicationError,
    InvalidCredentials,
    InvalidInput,
    InvalidState,
    InvalidToken,
    NotFound,
    TooLarge,
    Unavailable,
)

from .outages import MESSAGE, RETRY_AFTER_SECONDS, is_outage
from .times import utcnow_iso

log = logging.getLogger("cloudinterview.api")

STATUS_CODES = {
    400: "VALIDATION_ERROR",
    401: "AUTHENTICATION_REQUIRED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "success": False,
        "error": {"code": code, "message": message, "details": details or {}, "timestamp": utcnow_iso()},
    }


def error_json(status_code: int, message: str, code: str | None = None) -> JsonResponse:
    """The envelope for responses made outside DRF (middleware, URL resolver, 500 handler)."""
    response = JsonResponse(error_body(code or STATUS_CODES[status_code], message), status=status_code)
    if status_code == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as {"profile.experienceLevel": ["..."]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "" if key == "non_field_errors" and not prefix else key
            out.update(_flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix)))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix: [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            if item:
                out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: [str(detail)]}


def _validation_details(detail: Any) -> tuple[str, dict[str, Any]]:
    fields = _flatten(detail)
    field, messages = next(iter(fields.items()), ("", ["Invalid request."]))
    message = f"{field}: {messages[0]}" if field else messages[0]
    return message, {"field": field or None, "issue": messages[0], "fields": fields}


DOMAIN_ERRORS: dict[type[ApplicationError], tuple[int, str]] = {
    InvalidInput: (400, "VALIDATION_ERROR"),
    InvalidCredentials: (401, "INVALID_CREDENTIALS"),
    InvalidToken: (401, "INVALID_TOKEN"),
    NotFound: (404, "NOT_FOUND"),
    AlreadyExists: (409, "CONFLICT"),
    InvalidState: (409, "INVALID_STATE"),
    TooLarge: (413, "PAYLOAD_TOO_LARGE"),
    Unavailable: (503, "SERVICE_UNAVAILABLE"),
}


@dataclass(frozen=True)
class ErrorDescription:
    """One exception as every door shows it: the REST envelope, the socket's `error` event."""

    status: int
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        return Response(error_body(self.code, self.message, self.details), status=self.status, headers=self.headers)


def _domain_error(exc: ApplicationError) -> ErrorDescription:
    status, code = next((DOMAIN_ERRORS[kind] for kind in type(exc).__mro__ if kind in DOMAIN_ERRORS),
                        (400, "VALIDATION_ERROR"))
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else {}
    return ErrorDescription(status, code, exc.message, exc.details, headers)


def _framework_error(exc: exceptions.APIException) -> ErrorDescription:
    """DRF's own exceptions (authentication, parsing, throttling, negotiation), with the contract's codes."""
    if isinstance(exc, exceptions.ValidationError):
        message, details = _validation_details(exc.detail)
        return ErrorDescription(400, "VALIDATION_ERROR", message, details)
    code = STATUS_CODES.get(exc.status_code, "INTERNAL_ERROR")
    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.AuthenticationFailed):
        code = "INVALID_TOKEN"
    if isinstance(exc, exceptions.ParseError):
        code = "VALIDATION_ERROR"
    if isinstance(exc, exceptions.Throttled):
        headers["Retry-After"] = str(max(1, int(exc.wait or 1)))
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    message = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else "Invalid request."
    return ErrorDescription(exc.status_code, code, message, headers=headers)


def describe_error(exc: Exception, where: str) -> ErrorDescription:
    """Map any exception to the contract's status, code and message; an unexpected one is logged with `where`
    and leaves as INTERNAL_ERROR, with no detail of its own."""
    if isinstance(exc, ApplicationError):
        return _domain_error(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return ErrorDescription(413, "PAYLOAD_TOO_LARGE", "The request body is too large.")
    if isinstance(exc, exceptions.APIException):
        return _framework_error(exc)
    if is_outage(exc):
        log.warning("Backing service unavailable in %s: %r", where, exc)
        return ErrorDescription(503, "SERVICE_UNAVAILABLE", MESSAGE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    log.exception("Unhandled error in %s", where)
    return ErrorDescription(500, "INTERNAL_ERROR", "Internal server error.")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's handler, replaced: every exception leaves in the envelope with the contract's status and code."""
    return describe_error(exc, context.get("view").__class__.__name__).response()
