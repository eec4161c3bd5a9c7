"""The API's JSON body parser: DRF's, with the bounds of cloudinterview.api.strictjson."""

import codecs
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from . import strictjson


class StrictJSONParser(JSONParser):
    """Refuses deep nesting, NaN, NUL and lone surrogates with a 400 before any view sees the body."""

    def parse(self, stream: IO[bytes], media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return strictjson.loads(codecs.getreader(encoding)(stream).read())
        except ValueError as exc:  # UnicodeDecodeError and json's errors are ValueErrors too
            raise ParseError(f"JSON parse error - {exc}") from exc
