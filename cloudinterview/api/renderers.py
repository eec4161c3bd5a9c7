"""The API's JSON renderer: DRF's, which never turns a value it cannot encode into a 500."""

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import JSONRenderer

from .strictjson import storable


class StorableJSONRenderer(JSONRenderer):
    """DRF refuses NaN and Infinity (strict JSON) by raising while the response is rendered; a value that
    reached a response that way (a number computed from candidates' code) is sent as `storable` shows it."""

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except (ValueError, RecursionError):
            return super().render(storable(data), accepted_media_type, renderer_context)
