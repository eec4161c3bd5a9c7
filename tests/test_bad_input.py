"""Hostile input is a 4xx in the envelope, never a 500: lone surrogates, NUL bytes, JSON nested past any
real body's depth, and ids that are not ids (docs/security.md, "Bad input")."""

import json
import math

import pytest

from feedback.services import share_create
from tests.pages.factories import finished_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_client(client, user):
    client.force_login(user)
    return client

DEEP = "[" * 100_000  # 200 KB once the client sends it: under the 1 MiB body limit


def assert_refused(response, status: int = 400, code: str = "VALIDATION_ERROR") -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    return body


def post_raw(client, path: str, body: str, method: str = "POST"):
    return client.generic(method, path, body.encode("utf-8", "surrogatepass"), content_type="application/json")


class TestJsonBodies:
    def test_a_lone_surrogate_in_a_refresh_token_is_refused(self, api_client):
        assert_refused(post_raw(api_client, "/v1/auth/refresh", '{"refreshToken": "\\ud800"}'))

    @pytest.mark.parametrize("text", ["\\udfff", "a\\ud83d", "\\ude00\\ud83d"])
    def test_a_lone_surrogate_anywhere_in_a_body_is_refused(self, auth_client, text):
        body = assert_refused(post_raw(auth_client, "/v1/api/users/me", f'{{"name": "{text}"}}', method="PATCH"))

        assert "surrogate" in body["error"]["message"]

    def test_a_surrogate_pair_is_a_real_character_and_accepted(self, auth_client):
        response = post_raw(auth_client, "/v1/api/users/me", '{"name": "Ada \\ud83d\\ude00"}', method="PATCH")

        assert response.status_code == 200
        assert response.json()["user"]["name"] == "Ada \U0001f600"

    def test_a_nul_character_in_a_body_is_refused(self, auth_client):
        assert_refused(post_raw(auth_client, "/v1/api/users/me", '{"name": "a\\u0000b"}', method="PATCH"))

    @pytest.mark.parametrize(("path", "method"), [
        ("/v1/auth/login", "POST"), ("/v1/auth/register", "POST"), ("/v1/auth/refresh", "POST"),
        ("/v1/api/sessions", "POST"), ("/v1/api/users/me", "PATCH"),
    ])
    def test_a_hundred_thousand_open_brackets_are_a_validation_error(self, auth_client, path, method):
        body = assert_refused(post_raw(auth_client, path, DEEP, method=method))

        assert "nested" in body["error"]["message"]

    def test_nesting_deeper_than_any_real_body_is_refused(self, auth_client):
        nested = '{"mode": "technical", "topics": ' + "[" * 40 + "]" * 40 + "}"

        assert_refused(post_raw(auth_client, "/v1/api/sessions", nested))

    def test_brackets_inside_strings_do_not_count_as_nesting(self, auth_client):
        name = "[" * 100 + '{\\"' + "]" * 3

        response = post_raw(auth_client, "/v1/api/users/me", json.dumps({"name": "x"}).replace("x", name),
                            method="PATCH")

        assert response.status_code == 200, response.content
        assert response.json()["user"]["name"].startswith("[[[")


def session_routes(session_id: str) -> list[tuple[str, str]]:
    base = f"/v1/api/sessions/{session_id}"
    return [("GET", base), ("POST", f"{base}/questions/next"), ("POST", f"{base}/answers"),
            ("POST", f"{base}/run"), ("POST", f"{base}/complete"), ("GET", f"{base}/transcript.pdf"),
            ("POST", f"{base}/share"), ("DELETE", f"{base}/share")]


class TestIdsInPaths:
    @pytest.mark.parametrize(("method", "path"), [
        *session_routes("%00"), *session_routes("session_%00"),
        ("GET", "/v1/api/questions/%00"), ("GET", "/v1/api/questions/q_%00ab"),
        ("GET", "/v1/api/feedback/feedback_%00"),
    ])
    def test_a_nul_byte_in_an_api_id_is_refused_in_the_envelope(self, auth_client, method, path):
        assert_refused(auth_client.generic(method, path, "{}", content_type="application/json"))

    def test_a_nul_byte_in_an_answer_id_is_refused(self, auth_client, user):
        session = finished_session(user)

        assert_refused(auth_client.get(f"/v1/api/sessions/{session.public_id}/answers/answer_%00"))

    @pytest.mark.parametrize("path", ["/v1/api/sessions/session_%F0%9F%98%80", "/v1/api/questions/q_" + "a" * 300,
                                      "/v1/api/feedback/not-a-feedback-id", "/v1/api/sessions/q_abc"])
    def test_an_id_not_in_the_id_format_is_not_found_without_a_query(self, auth_client, path,
                                                                     django_assert_num_queries):
        with django_assert_num_queries(0):  # refused by the URL resolver: the id never reaches the ORM
            assert_refused(auth_client.get(path), 404, "NOT_FOUND")

    @pytest.mark.parametrize("template", ["/questions/{}/", "/sessions/{}/report/", "/interviews/{}/"])
    def test_a_nul_byte_in_a_page_id_is_a_400_page(self, page_client, template):
        response = page_client.get(template.format("%00"))

        assert response.status_code == 400

    def test_a_nul_byte_in_a_share_token_is_a_400_page(self, client):
        assert client.get("/share/%00").status_code == 400
        assert client.get("/share/abc%00def").status_code == 400

    def test_a_real_share_token_still_opens_its_page(self, client, user):
        token = share_create(session=finished_session(user)).token

        assert client.get(f"/share/{token}").status_code == 200


class TestQueryStrings:
    @pytest.mark.parametrize("query", ["topics=a%00b", "search=%00", "category=x%00", "page=1%00", "%00=1"])
    def test_a_nul_byte_in_a_query_parameter_is_refused(self, auth_client, query):
        body = assert_refused(auth_client.get(f"/v1/api/questions?{query}"))

        assert "NUL" in body["error"]["message"]

    def test_a_nul_byte_in_a_history_filter_is_refused(self, auth_client):
        assert_refused(auth_client.get("/v1/api/users/me/sessions?status=completed%00"))

    @pytest.mark.parametrize("path", ["/questions/?q=%00", "/sessions/?status=%00", "/interviews/new/?topics=%00"])
    def test_a_nul_byte_in_a_page_query_is_a_400_page(self, page_client, path):
        assert page_client.get(path).status_code == 400


class TestResponses:
    def test_a_non_finite_number_reaching_a_response_is_rendered_not_a_500(self):
        from cloudinterview.api.renderers import StorableJSONRenderer

        body = StorableJSONRenderer().render({"success": True, "values": [math.nan, math.inf, 1.5]})

        assert json.loads(body, parse_constant=lambda name: pytest.fail(f"{name} in strict JSON")) == {
            "success": True, "values": ["NaN", "Infinity", 1.5]}


def test_a_nul_in_the_user_agent_does_not_break_login(api_client, user, password):
    response = api_client.post("/v1/auth/login", {"email": user.email, "password": password}, format="json",
                               HTTP_USER_AGENT="curl\x00/8")

    assert response.status_code == 200
