"""Success responses and input validation, the two ends of every view."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

# How long a client should wait before polling the Location of a 202 (docs/api.md, "Evaluation is asynchronous").
ACCEPTED_RETRY_AFTER_SECONDS = 2


def envelope(status: int = 200, headers: dict[str, str] | None = None, **payload: Any) -> Response:
    """`{"success": true, ...payload}`: the one shape of every JSON success."""
    return Response({"success": True, **payload}, status=status, headers=headers)


def accepted(request: Request, url_name: str, url_kwargs: dict[str, str], **payload: Any) -> Response:
    """A 202: the work goes on in a task; `Location` is where its result will be (absolute), `Retry-After` when to
    look. Every 202 of the API is made here."""
    location = request.build_absolute_uri(reverse(url_name, kwargs=url_kwargs))
    return envelope(status=202, headers={"Location": location, "Retry-After": str(ACCEPTED_RETRY_AFTER_SECONDS)},
                    **payload)


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validate input or raise the 400 envelope; returns validated_data keyed by model-side names."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class StrictSerializer(serializers.Serializer):
    """Rejects keys it does not know, at every level, so a typo never passes silently."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, f in self.fields.items() if not f.read_only})
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)


class BoundedListField(serializers.ListField):
    """A list of short strings with a bounded length: every list input is capped."""

    def __init__(self, max_items: int = 20, max_length: int = 100, **kwargs: Any) -> None:
        kwargs.setdefault("child", serializers.CharField(max_length=max_length, allow_blank=False))
        kwargs.setdefault("max_length", max_items)
        super().__init__(**kwargs)
