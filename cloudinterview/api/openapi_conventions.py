"""The conventions every operation shares, written into the OpenAPI document once instead of on each view: the
`Idempotency-Key` header of every POST (with its 409 and 422), and the response headers (`X-Request-Id` on every
response, `RateLimit-*` on every rate-limited one, `Location` and `Retry-After` on every 202, `Retry-After` on 429
and 503, `Idempotent-Replayed` on a replay). A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS)."""

from typing import Any

from .idempotency import HEADER, KEY_MAX_LENGTH, REPLAYED_HEADER

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
METHODS = {"get", "put", "patch", "post", "delete"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _error_response(result: dict[str, Any], description: str) -> dict[str, Any]:
    """A response with the error envelope, taken from any error response already in the document."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for status, response in (operation.get("responses") or {}).items() if isinstance(operation, dict) else ():
                if status.startswith("4") and "content" in response:
                    return {"description": description, "content": response["content"]}
    return {"description": description}


def _document_operation(result: dict[str, Any], method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    if method == "post":
        operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/IdempotencyKey"})
        for status, description in IDEMPOTENCY_ERRORS.items():
            if status not in responses:
                responses[status] = _error_response(result, description)
            elif status != "400":
                responses[status]["description"] = description
    for status, response in responses.items():
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
    """drf-spectacular postprocessing hook: the shared headers on every operation under /v1."""
    components = result.setdefault("components", {})
    components.setdefault("headers", {}).update(HEADERS)
    components.setdefault("parameters", {})["IdempotencyKey"] = IDEMPOTENCY_PARAMETER
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method in METHODS:
                _document_operation(result, method, operation)
    return result
