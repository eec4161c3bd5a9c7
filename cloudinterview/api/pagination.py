"""limit/offset pagination with the `pagination` object of docs/api.md, "Lists",, bounded at 100 rows."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from .responses import StrictSerializer

MAX_LIMIT = 100


class PageParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(min_value=0, default=0)


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    limit: int
    offset: int

    @property
    def pagination(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "hasMore": self.offset + len(self.items) < self.total,
        }


def paginate(queryset: QuerySet, *, limit: int, offset: int) -> Page:
    """Two queries whatever the page size: a COUNT and one bounded SELECT."""
    total = queryset.count()
    items = list(queryset[offset : offset + limit]) if offset < total else []
    return Page(items=items, total=total, limit=limit, offset=offset)


def query_params(serializer_class: type[serializers.Serializer], request: Any) -> dict[str, Any]:
    """Validate query parameters strictly (unknown ones too) and return them."""
    data = {key: request.query_params.get(key) for key in request.query_params}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PageQuery(StrictSerializer, PageParams):
    """Query parameters of a plain paginated list."""
