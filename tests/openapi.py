"""Real responses checked against our own OpenAPI document, strictly (docs/api.md, "The schema").

`check_response` is run on every response of Django's test client under /v1 (an autouse fixture in
tests/conftest.py), so every API test is also a test of the document: the operation must be documented, the status
must be one of its responses, the content type one it declares, and a JSON body must match the declared schema with
formats checked and no undocumented property (`additionalProperties: false` is added here, on every object the
document describes, so a key the document does not name fails: clients generated from it would drop it)."""

import json
import re
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from drf_spectacular.generators import SchemaGenerator

# Served under /v1 but described elsewhere: the document itself, its UI, and the socket's AsyncAPI document.
UNDOCUMENTED = ("/v1/schema", "/v1/docs", "/v1/asyncapi")
METHODS = {"get", "put", "patch", "post", "delete"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    """RFC 3339, as OpenAPI's date-time (jsonschema checks it only with an optional package)."""
    if not isinstance(value, str):
        return True
    return bool(RFC3339.match(value)) and bool(datetime.fromisoformat(value.replace("Z", "+00:00")))


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    """An absolute URI: a scheme and an authority (every link the API returns is absolute)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def _strict(schema: Any) -> Any:
    """The schema with `additionalProperties: false` on every object that lists its properties and says nothing
    about others."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    if "properties" in out:
        out["properties"] = {name: _strict(sub) for name, sub in out["properties"].items()}
        out.setdefault("additionalProperties", False)
    for key in ("items", "additionalProperties", "not"):
        if isinstance(out.get(key), dict):
            out[key] = _strict(out[key])
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        if key in out:
            out[key] = [_strict(sub) for sub in out[key]]
    return out


@cache
def document() -> dict[str, Any]:
    """The document as `/v1/schema` serves it (OpenAPI 3.1: its schemas are JSON Schema 2020-12)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@cache
def _components() -> dict[str, Any]:
    components = document()["components"]
    return {**components, "schemas": {name: _strict(schema) for name, schema in components["schemas"].items()}}


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    root = {**_strict(schema), "components": _components()}
    return jsonschema.Draft202012Validator(root, format_checker=FORMATS)


@cache
def _component_validator(component: str) -> jsonschema.Draft202012Validator:
    return _validator({"$ref": f"#/components/schemas/{component}"})


@cache
def _operations() -> list[tuple[re.Pattern[str], str, str]]:
    """(path regex, method, path template), literal segments before parameters (`questions/random` before
    `questions/{question_id}`)."""
    found = []
    for template, item in document()["paths"].items():
        parts = re.split(r"\{[^}]+\}", template)
        regex = re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "/?$")  # APPEND_SLASH's twin
        found += [(regex, method, template) for method in item if method in METHODS]
    return sorted(found, key=lambda entry: entry[2].count("{"))


@cache
def _response_validator(method: str, template_status: tuple[str, str], media: str) -> jsonschema.Draft202012Validator:
    template, status = template_status
    return _validator(document()["paths"][template][method]["responses"][status]["content"][media]["schema"])


def _template_for(method: str, path: str) -> str | None:
    return next((template for regex, documented, template in _operations()
                 if documented == method and regex.match(path)), None)


def check_response(method: str, path: str, status: int, content_type: str, body: bytes) -> None:
    """Fail (AssertionError, or jsonschema's ValidationError naming the mismatch) unless the response is one the
    document describes."""
    method = method.lower()
    if not path.startswith("/v1/") or path.startswith(UNDOCUMENTED) or method not in METHODS:
        return
    template = _template_for(method, path)
    if template is None:  # no such route or method: a 404 or 405 from the framework, in the error envelope
        assert status in (404, 405), f"{method.upper()} {path}: {status} from an undocumented operation"
        _component_validator("ErrorEnvelopeSchema").validate(json.loads(body))
        return
    responses = document()["paths"][template][method]["responses"]
    where = f"{method.upper()} {template} {status}"
    assert str(status) in responses, f"{where}: status not documented (documented: {sorted(responses)})"
    content = responses[str(status)].get("content")
    if not content:
        assert not body, f"{where}: a body where the document declares none"
        return
    media = content_type.split(";")[0].strip()
    assert media in content, f"{where}: {media!r} is not a declared content type ({sorted(content)})"
    if media == "application/json":
        _response_validator(method, (template, str(status)), media).validate(json.loads(body))


def assert_matches(body: Any, component: str) -> None:
    """Fail with the first mismatch between `body` and `#/components/schemas/{component}`, strictly."""
    _component_validator(component).validate(body)
