"""Validate real response bodies against the components of our own OpenAPI document."""

from functools import cache
from typing import Any

import jsonschema
from drf_spectacular.generators import SchemaGenerator


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable` becomes a JSON Schema union with null."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@cache
def _components() -> dict[str, Any]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return _json_schema(schema["components"])


def assert_matches(body: dict[str, Any], component: str) -> None:
    """Fail with the first mismatch between `body` and `#/components/schemas/{component}`."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": _components()}
    jsonschema.validate(body, schema)
