"""The OpenAPI document validates and describes every route under /v1."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

UNDOCUMENTED = {"/v1/schema", "/v1/docs", "/v1/asyncapi"}  # /v1/asyncapi: the socket's own document


def _routes(patterns, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        pattern = str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, prefix + pattern)
        elif isinstance(entry, URLPattern):
            routes.append("/" + prefix + pattern)
    return routes


def _normalise(path: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", "{}", path)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_schema_covers_every_v1_route(schema):
    routes = {_normalise(r) for r in _routes(get_resolver().url_patterns) if r.startswith("/v1/")}
    documented = {_normalise(p) for p in schema["paths"]}

    missing = routes - documented - UNDOCUMENTED
    assert not missing, f"undocumented routes: {sorted(missing)}"


def test_error_responses_are_the_real_envelope(schema):
    login = schema["paths"]["/v1/auth/login"]["post"]["responses"]

    assert login["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelopeSchema")
    assert "success" in schema["components"]["schemas"]["AuthResponse"]["properties"]


def test_schema_endpoint_serves_json_and_yaml(api_client):
    as_json = api_client.get("/v1/schema?format=json")
    as_yaml = api_client.get("/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi")

    assert as_json.status_code == 200
    assert as_json.json()["openapi"].startswith("3.")
    assert as_yaml.status_code == 200
    assert as_yaml.content.startswith(b"openapi:")


def test_swagger_ui_is_served_from_local_static_files(api_client):
    page = api_client.get("/v1/docs")

    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def _operations(schema) -> list[tuple[str, str, dict]]:
    return [(method, path, operation) for path, item in schema["paths"].items()
            for method, operation in item.items() if method in {"get", "post", "put", "patch", "delete"}]


def test_every_operation_is_described_for_its_readers(schema):
    """Redocly's recommended rules want a summary; client authors want the description and an example too."""
    for method, path, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        bodies = [content for response in operation["responses"].values()
                  for content in response.get("content", {}).values()]
        assert any("example" in body or "examples" in body for body in bodies), where


def test_operation_ids_are_resource_then_action(schema):
    """`sessions_answers_create`: the path's resources, then the action, with no `api_` prefix."""
    for method, path, operation in _operations(schema):
        resources = [part for part in path.split("/")[2:] if part and not part.startswith("{") and part != "api"]
        assert operation["operationId"].startswith(resources[0].replace("-", "_")), (method, path)
        assert not operation["operationId"].startswith("api_"), (method, path)


def test_public_operations_say_so_and_the_rest_need_a_credential(schema):
    public = {"/v1/auth/login", "/v1/auth/register", "/v1/auth/refresh", "/v1/api/languages"}
    for _method, path, operation in _operations(schema):
        if path in public:
            assert operation["security"] == [], path
        else:
            assert {name for entry in operation["security"] for name in entry} == {"bearerAuth", "cookieAuth"}, path


def test_server_errors_and_refusals_are_declared_in_the_envelope(schema):
    for method, path, operation in _operations(schema):
        for status in ("400", "406", "500", "503"):
            body = operation["responses"][status]["content"]["application/json"]["schema"]
            assert body["$ref"].endswith("/ErrorEnvelopeSchema"), (method, path, status)


def test_the_transcript_is_a_binary_pdf_and_the_report_a_typed_object(schema):
    pdf = schema["paths"]["/v1/api/sessions/{session_id}/transcript.pdf"]["get"]["responses"]["200"]["content"]
    report = schema["paths"]["/v1/api/feedback/{feedback_id}"]["get"]["responses"]["200"]["content"]

    assert list(pdf) == ["application/pdf"]
    assert pdf["application/pdf"]["schema"]["format"] == "binary"
    assert "$ref" in report["application/json"]["schema"]


def test_the_document_names_a_server_a_licence_and_no_internal_wording(schema):
    text = json.dumps(schema).lower()

    assert schema["openapi"].startswith("3.1")
    assert schema["servers"]
    assert schema["info"]["license"]["identifier"] == "MIT"
    assert not re.search(r"\bseed\b", text)
