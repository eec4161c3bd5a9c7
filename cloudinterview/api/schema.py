"""OpenAPI helpers: the real envelopes and error bodies, not generic objects."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import serializers


class ErrorDetailSchema(serializers.Serializer):
    field = serializers.CharField(allow_null=True, required=False)
    issue = serializers.CharField(required=False)
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


ERROR_CODES = [
    "VALIDATION_ERROR", "AUTHENTICATION_REQUIRED", "INVALID_TOKEN", "INVALID_CREDENTIALS", "PERMISSION_DENIED",
    "NOT_FOUND", "METHOD_NOT_ALLOWED", "NOT_ACCEPTABLE", "CONFLICT", "INVALID_STATE", "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE", "RATE_LIMITED", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE",
]


class ErrorSchema(serializers.Serializer):
    code = serializers.ChoiceField(choices=ERROR_CODES)
    message = serializers.CharField()
    details = ErrorDetailSchema()
    timestamp = serializers.DateTimeField()


class ErrorEnvelopeSchema(serializers.Serializer):
    success = serializers.BooleanField(default=False)
    error = ErrorSchema()


class PaginationSchema(serializers.Serializer):
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    hasMore = serializers.BooleanField()


def envelope_schema(name: str, **fields: serializers.Field) -> serializers.Serializer:
    """A named `{"success": true, ...fields}` component. Never a bare array, even from a list action: the list is
    inside the envelope (`many=False` stops drf-spectacular from wrapping it)."""
    envelope = inline_serializer(name=name, fields={"success": serializers.BooleanField(default=True), **fields})
    extend_schema_serializer(many=False)(type(envelope))
    return envelope


ERROR_DESCRIPTIONS = {
    400: "VALIDATION_ERROR",
    401: "AUTHENTICATION_REQUIRED, INVALID_TOKEN or INVALID_CREDENTIALS",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "CONFLICT or INVALID_STATE",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED (see Retry-After)",
}


def errors(*codes: int) -> dict[int, Any]:
    """Error responses for `extend_schema(responses=...)`, each the real error envelope."""
    return {code: OpenApiResponse(ErrorEnvelopeSchema, description=ERROR_DESCRIPTIONS[code]) for code in codes}


@extend_schema_field({"$ref": "#/components/schemas/JsonValue"})
class JsonValueField(serializers.JSONField):
    """Any JSON value, passed through (a test case's arguments, expected and returned values): documented as the
    JsonValue component, the union of the JSON types (cloudinterview/api/openapi_conventions.py)."""


def stored_json(shape: serializers.Serializer, **kwargs: Any) -> serializers.Field:
    """A JSON value stored already in the API's shape (scores, test results, a report's skills), passed through
    untouched and documented as `shape`: re-serializing it could only change what was recorded."""
    field_class = type(f"Stored{type(shape).__name__}", (serializers.JSONField,), {})
    return extend_schema_field(shape)(field_class)(**kwargs)
