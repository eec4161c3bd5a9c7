"""API-wide conventions: envelope on every error path, trailing slashes, body limit."""

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_url_under_v1_is_a_json_404(api_client):
    response = api_client.get("/v1/api/nothing-here")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_wrong_method_is_a_json_405(auth_client):
    response = auth_client.post("/v1/api/users/me", {}, format="json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_trailing_slash_is_served_too(auth_client):
    assert auth_client.get("/v1/api/users/me/").status_code == 200


def test_body_over_one_mebibyte_is_413(api_client):
    body = '{"email": "' + "a" * (1024 * 1024) + '"}'

    response = api_client.generic("POST", "/v1/auth/login", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_malformed_json_is_a_validation_error(api_client):
    response = api_client.generic("POST", "/v1/auth/login", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_wrong_content_type_is_415(api_client):
    response = api_client.generic("POST", "/v1/auth/login", "email=a", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_unacceptable_accept_header_is_406(auth_client):
    response = auth_client.get("/v1/api/users/me", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert response.json()["error"]["code"] == "NOT_ACCEPTABLE"


def test_unhandled_exception_is_a_500_envelope_without_trace(auth_client, monkeypatch):
    from feedback import apis  # the door of /users/me

    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(apis, "user_update", boom)

    response = auth_client.put("/v1/api/users/me", {"name": "x"}, format="json")

    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "INTERNAL_ERROR"
    assert "secret internals" not in response.content.decode()
