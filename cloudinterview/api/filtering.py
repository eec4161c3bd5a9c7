"""Query parameters of list endpoints: a FilterSet's filters plus limit/offset, validated strictly, so an unknown
or malformed parameter is the envelope's 400 naming it, never silently ignored (docs/api.md, "Lists")."""

from typing import Any

import django_filters
from rest_framework import serializers
from rest_framework.request import Request

from .pagination import PageParams


def filter_params(filterset_class: type[django_filters.FilterSet], request: Request, *,
                  page: type[serializers.Serializer] | None = PageParams) -> tuple[dict[str, str], dict[str, Any]]:
    """The request's filters, checked by the FilterSet itself, and its other parameters validated by `page`."""
    params = {key: request.query_params.get(key) for key in request.query_params}
    names = set(filterset_class.base_filters)
    others = {key: value for key, value in params.items() if key not in names}
    allowed = set(page().fields) if page else set()
    if unknown := sorted(set(others) - allowed):
        raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
    filters = {key: value for key, value in params.items() if key in names}
    filterset = filterset_class(filters)
    if not filterset.is_valid():
        raise serializers.ValidationError(filterset.errors)
    validated = {}
    if page:
        serializer = page(data=others)
        serializer.is_valid(raise_exception=True)
        validated = dict(serializer.validated_data)
    return filters, validated
