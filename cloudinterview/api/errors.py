"""Errors the API raises on purpose, each with the contract's status and code."""

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException


class ApiError(APIException):
    """An error rendered in the contract's envelope; `details` goes out as given."""

    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "VALIDATION_ERROR"
    default_detail = "Invalid request."

    def __init__(self, message: str | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(message or self.default_detail)
        self.details = details or {}


class ValidationFailed(ApiError):
    """A single invalid input, named so clients can point at the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        details = {"field": field, "issue": message, "fields": {field: [message]}} if field else {}
        super().__init__(message, details)


class InvalidCredentials(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    error_code = "INVALID_CREDENTIALS"
    default_detail = "Email or password is incorrect."


class InvalidToken(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    error_code = "INVALID_TOKEN"
    default_detail = "The token is invalid, expired or revoked."


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    error_code = "NOT_FOUND"
    default_detail = "Not found."


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    error_code = "CONFLICT"
    default_detail = "The resource already exists."


class InvalidState(ApiError):
    status_code = status.HTTP_409_CONFLICT
    error_code = "INVALID_STATE"
    default_detail = "The action is not allowed in the current state."


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    error_code = "PAYLOAD_TOO_LARGE"
    default_detail = "The request is too large."

    def __init__(self, message: str | None = None, field: str | None = None) -> None:
        details = {"field": field, "issue": message} if field else {}
        super().__init__(message, details)


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    error_code = "SERVICE_UNAVAILABLE"
    default_detail = "The service is temporarily unavailable."
