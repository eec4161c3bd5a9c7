"""The OpenAPI document validates and describes every route under /v1."""

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
