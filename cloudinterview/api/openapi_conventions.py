"""The conventions every operation shares, written into the OpenAPI document once instead of on each view
(docs/api.md, "The schema"): the `Idempotency-Key` header of every POST (with its 409 and 422); the response headers
(`X-Request-Id` on every response, `RateLimit-*` on every rate-limited one, `Location` and `Retry-After` on every
202, `Retry-After` on 429 and 503, `Idempotent-Replayed` on a replay); the errors any operation can answer (400,
406, 500, 503; 413 and 415 with a body); `security: []` on public operations; query enums as the shared named
enums; the server; an example on every request body, parameter and response. A drf-spectacular postprocessing
hook and AutoSchema (SPECTACULAR_SETTINGS, REST_FRAMEWORK)."""

import copy
from http import HTTPStatus
from typing import Any

from drf_spectacular.openapi import AutoSchema

from .idempotency import HEADER, KEY_MAX_LENGTH, REPLAYED_HEADER
from .openapi_examples import error_example, example

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-Id": {
        "description": "The request's id: the client's own X-Request-Id when well formed (1 to 128 of "
                       "`A-Za-z0-9._:-`, starting with a letter or digit), else a new one. Logged with the request.",
        "schema": {"type": "string", "maxLength": 128}},
    "RateLimit-Limit": {"description": "Requests allowed per window in this route's scope (docs/api.md, \"Rate "
                                       "limits\").", "schema": {"type": "integer", "minimum": 0}},
    "RateLimit-Remaining": {"description": "Requests left in the current window.",
                            "schema": {"type": "integer", "minimum": 0}},
    "RateLimit-Reset": {"description": "Seconds until the current window ends (on a 429: until a request is "
                                       "allowed again, as Retry-After).", "schema": {"type": "integer", "minimum": 0}},
    "Retry-After": {"description": "Seconds to wait before trying again (429, 503) or before polling Location "
                                   "(202).", "schema": {"type": "integer", "minimum": 0}},
    "Location": {"description": "Where the result of the accepted work will be: the answer (GET …/answers/"
                                "{answerId}) or the report (GET /v1/api/feedback/{feedbackId}).",
                 "schema": {"type": "string", "format": "uri"}},
    REPLAYED_HEADER: {"description": "`true` when this response is the replay of an earlier request with the same "
                                     "Idempotency-Key.", "schema": {"type": "string", "enum": ["true"]}},
}
IDEMPOTENCY_PARAMETER = {
    "name": HEADER, "in": "header", "required": False,
    "description": "Makes a retry safe (docs/api.md, \"Idempotency\"): the same key with the same body, from the same "
                   "user (or client IP on public routes) on the same path, within 24 h, replays the first response "
                   f"with `{REPLAYED_HEADER}: true` and runs nothing. Another body or path with the key: 422; the "
                   "first request still running: 409; a malformed key: 400. Only successes (2xx) and 409s are "
                   "remembered: after any other error the same key runs the corrected request.",
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH, "pattern": "^[\\x21-\\x7e]+$"},
    "example": "5f0c7a3e-8d4b-4f8e-9a51-2c1d9b7e6f10",
}
IDEMPOTENCY_ERRORS = {
    "400": "VALIDATION_ERROR: a malformed body or parameter, or a malformed Idempotency-Key.",
    "409": "CONFLICT: a request with the same Idempotency-Key is still running (see Retry-After); or CONFLICT / "
           "INVALID_STATE from the operation itself.",
    "422": "VALIDATION_ERROR: the Idempotency-Key was used with another body or path.",
}
# What any operation can answer, whatever it does (docs/api.md, "Errors"); and any operation with a body.
ANY_OPERATION_ERRORS = {
    "400": "VALIDATION_ERROR: a malformed request (path, query or body).",
    "406": "NOT_ACCEPTABLE: the Accept header allows no type this operation returns.",
    "500": "INTERNAL_ERROR: an unexpected failure, logged with the request's X-Request-Id.",
    "503": "SERVICE_UNAVAILABLE: a backing service (database, cache, broker, code sandbox) is unavailable; retry "
           "after Retry-After.",
}
BODY_ERRORS = {
    "413": "PAYLOAD_TOO_LARGE: the body is over 1 MiB (or a field over its own limit).",
    "415": "UNSUPPORTED_MEDIA_TYPE: the body is not `application/json`.",
}
# Not recursive (an array's items and an object's values are `{}`, any JSON value): openapi-python-client cannot
# generate a recursive union.
JSON_VALUE = {
    "description": "Any JSON value: a test case's arguments, expected or returned value, as its question defines "
                   "them.",
    "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"},
              {"type": "array", "items": {}}, {"type": "object", "additionalProperties": {}}],
}
METHODS = {"get", "put", "patch", "post", "delete"}
STANDARD_ACTIONS = {"list", "create", "retrieve", "update", "partial_update", "destroy"}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with this API's naming: operation ids are the resource's path without the
    `api` segment, then the verb (`sessions_answers_create`, `users_me_sessions_list`); a POST that is an action
    rather than a creation is named by its path alone (`sessions_complete`, `auth_login`). Descriptions come only
    from what is written for clients (an operation's extend_schema, a serializer's `openapi_description`), never
    from docstrings, which are written for this code's readers."""

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id().replace(".", "_")
        if operation_id.startswith("api_"):
            operation_id = operation_id.removeprefix("api_")
        if self.method == "POST" and getattr(self.view, "action", None) not in STANDARD_ACTIONS:
            operation_id = operation_id.removesuffix("_create")
        return operation_id

    def get_description(self) -> str:
        return ""

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """A component's description is its serializer's `openapi_description`, written for clients, and never
        the serializer's docstring, written for this code's readers."""
        schema = super()._map_basic_serializer(serializer, direction)
        schema.pop("description", None)
        if getattr(serializer, "openapi_description", ""):
            schema["description"] = serializer.openapi_description
        return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelopeSchema"}}}}


def _add_examples(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """An example on every JSON request body and response, and on every parameter; an error response's example
    carries the code the API uses for its status."""
    for parameter in operation.get("parameters", []):
        if "schema" in parameter:
            camel = "".join(word if i == 0 else word.title() for i, word in enumerate(parameter["name"].split("_")))
            parameter.setdefault("example", example(parameter["schema"], schemas, name=camel))
    bodies = [operation.get("requestBody", {}).get("content", {})]
    for status, response in operation["responses"].items():
        content = response.get("content", {})
        if status[0] in "45" and "application/json" in content:
            content["application/json"] = {**copy.deepcopy(content["application/json"]),
                                           "example": error_example(status)}
        else:
            bodies.append(content)
    for content in bodies:
        for media, body in content.items():
            if "examples" not in body and (media.endswith("json") or media in (
                    "application/x-www-form-urlencoded", "multipart/form-data")):
                body.setdefault("example", example(body.get("schema", {}), schemas))


def _named_enum(holder: dict[str, Any], schemas: dict[str, Any]) -> None:
    """An inline enum (of a query parameter, of a property drf-spectacular's enum hook did not reach) whose values
    are those of a named enum refers to it, so that a generated client has one `DifficultyEnum` type and not one per
    operation or event."""
    if holder.get("type") == "array":
        holder = holder.get("items", {})
    values = frozenset(holder.get("enum", []))
    name = next((name for name, schema in schemas.items() if len(values) > 1 and frozenset(schema.get("enum", [])) ==
                 values), None)
    if name:
        for key in ("enum", "type", "minLength"):
            holder.pop(key, None)
        holder["$ref"] = f"#/components/schemas/{name}"


def _named_enums(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        _named_enum(parameter.get("schema", {}), schemas)


def _document_operation(method: str, operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    operation.setdefault("security", [])  # drf-spectacular omits it on public operations (`auth=[]`)
    if method == "post":
        operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/IdempotencyKey"})
        for status, description in IDEMPOTENCY_ERRORS.items():
            if status not in responses:
                responses[status] = _error_response(description)
            elif status != "400":
                responses[status]["description"] = description
    errors = {**ANY_OPERATION_ERRORS, **(BODY_ERRORS if method in ("post", "put", "patch") else {})}
    for status, description in errors.items():
        responses.setdefault(status, _error_response(description))
    _named_enums(operation, schemas)
    _add_examples(operation, schemas)
    for status, response in responses.items():
        if not response.get("description"):
            response["description"] = HTTPStatus(int(status)).phrase
        headers = response.setdefault("headers", {})
        names = ["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]
        if status in ("202",):
            names += ["Location", "Retry-After"]
        if status in ("429", "503"):
            names.append("Retry-After")
        if method == "post" and status.startswith("2"):
            names.append(REPLAYED_HEADER)
        for name in names:
            headers.setdefault(name, _ref(name))


def document_conventions(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the shared conventions on every operation under /v1. Served live,
    the document names the server that serves it."""
    components = result.setdefault("components", {})
    components.setdefault("headers", {}).update(HEADERS)
    components.setdefault("parameters", {})["IdempotencyKey"] = IDEMPOTENCY_PARAMETER
    schemas = components.setdefault("schemas", {})
    schemas["JsonValue"] = JSON_VALUE
    for schema in schemas.values():
        for prop in schema.get("properties", {}).values():
            _named_enum(prop, schemas)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method in METHODS:
                _document_operation(method, operation, schemas)
    for item in result.get("webhooks", {}).values():
        for operation in item.values():
            operation.setdefault("security", [])  # we send these; their signature is in their headers
            _add_examples(operation, schemas)
    if request is not None:
        result["servers"] = [{"url": request.build_absolute_uri("/").rstrip("/"), "description": "This server"}]
    return result
