"""The auth endpoints' HTTP contract (CONTRACT section 3 and section 12 'Tokens and limits')."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.conftest import PASSWORD, bearer, login

pytestmark = pytest.mark.django_db


def register(client: APIClient, **overrides):
    body = {
        "email": "new.person@example.com",
        "name": "New Person",
        "password": PASSWORD,
        "preferredLanguages": ["javascript", "python"],
        "experienceLevel": "senior",
        **overrides,
    }
    return client.post("/v1/auth/register", body, format="json")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert body["error"]["timestamp"].endswith("Z")
    return body["error"]


class TestRegister:
    def test_returns_201_with_user_and_tokens(self, api_client):
        response = register(api_client)

        assert response.status_code == 201
        body = response.json()
        assert body["success"] is True
        assert body["user"]["userId"].startswith("user_")
        assert body["user"]["email"] == "new.person@example.com"
        assert body["tokens"]["tokenType"] == "Bearer"
        assert body["tokens"]["expiresIn"] == 15 * 60
        assert set(body["tokens"]) == {"accessToken", "refreshToken", "tokenType", "expiresIn"}

    def test_preferred_languages_fill_profile_and_preferences(self, api_client):
        user = register(api_client).json()["user"]

        assert user["profile"]["primaryLanguages"] == ["javascript", "python"]
        assert user["preferences"]["languagePreferences"] == ["javascript", "python"]
        assert user["profile"]["experienceLevel"] == "senior"

    def test_bad_email_is_a_validation_error_naming_the_field(self, api_client):
        error = assert_error(register(api_client, email="not-an-email"), 400, "VALIDATION_ERROR")

        assert error["details"]["field"] == "email"

    def test_weak_password_is_refused(self, api_client):
        error = assert_error(register(api_client, password="12345"), 400, "VALIDATION_ERROR")

        assert error["details"]["field"] == "password"

    def test_duplicate_email_in_any_case_is_a_conflict(self, api_client):
        register(api_client)

        assert_error(register(api_client, email="NEW.Person@Example.COM"), 409, "CONFLICT")

    def test_unknown_experience_level_is_refused(self, api_client):
        error = assert_error(register(api_client, experienceLevel="wizard"), 400, "VALIDATION_ERROR")

        assert error["details"]["field"] == "experienceLevel"

    def test_unknown_key_is_refused(self, api_client):
        error = assert_error(register(api_client, isStaff=True), 400, "VALIDATION_ERROR")

        assert error["details"]["field"] == "isStaff"


class TestLogin:
    def test_returns_user_and_tokens(self, api_client, user):
        response = api_client.post("/v1/auth/login", {"email": user.email.upper(), "password": PASSWORD},
                                   format="json")

        assert response.status_code == 200
        assert response.json()["user"]["userId"] == user.public_id

    def test_wrong_password_and_unknown_email_fail_alike(self, api_client, user):
        wrong = api_client.post("/v1/auth/login", {"email": user.email, "password": "nope-nope-nope"}, format="json")
        unknown = api_client.post("/v1/auth/login", {"email": "ghost@example.com", "password": "nope-nope-nope"},
                                  format="json")

        first = assert_error(wrong, 401, "INVALID_CREDENTIALS")
        second = assert_error(unknown, 401, "INVALID_CREDENTIALS")
        assert first["message"] == second["message"]


class TestAccessTokens:
    def test_missing_token_is_authentication_required(self, api_client):
        response = api_client.get("/v1/api/users/me")

        assert_error(response, 401, "AUTHENTICATION_REQUIRED")
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_tampered_token_is_invalid(self, api_client, tokens):
        head, payload, signature = tokens["accessToken"].split(".")
        forged = f"{head}.{payload}.{signature[::-1]}"

        assert_error(api_client.get("/v1/api/users/me", **bearer(forged)), 401, "INVALID_TOKEN")

    def test_malformed_token_is_invalid(self, api_client):
        assert_error(api_client.get("/v1/api/users/me", **bearer("garbage")), 401, "INVALID_TOKEN")

    def test_expired_token_is_invalid(self, api_client, tokens):
        with time_machine.travel(timedelta(minutes=16), tick=False):
            assert_error(api_client.get("/v1/api/users/me", **bearer(tokens["accessToken"])), 401, "INVALID_TOKEN")

    def test_refresh_token_is_not_an_access_token(self, api_client, tokens):
        assert_error(api_client.get("/v1/api/users/me", **bearer(tokens["refreshToken"])), 401, "INVALID_TOKEN")


class TestRefresh:
    def test_refresh_by_header_returns_a_new_pair(self, api_client, tokens):
        response = api_client.post("/v1/auth/refresh", **bearer(tokens["refreshToken"]))

        assert response.status_code == 200
        new = response.json()["tokens"]
        assert new["refreshToken"] != tokens["refreshToken"]
        assert api_client.get("/v1/api/users/me", **bearer(new["accessToken"])).status_code == 200

    def test_refresh_by_body_works(self, api_client, tokens):
        response = api_client.post("/v1/auth/refresh", {"refreshToken": tokens["refreshToken"]}, format="json")

        assert response.status_code == 200

    def test_rotated_refresh_token_is_dead_and_its_reuse_ends_the_login(self, api_client, tokens):
        rotated = api_client.post("/v1/auth/refresh", **bearer(tokens["refreshToken"])).json()["tokens"]

        assert_error(api_client.post("/v1/auth/refresh", **bearer(tokens["refreshToken"])), 401, "INVALID_TOKEN")
        # reuse detection: the whole chain is gone, including the newest pair
        assert_error(api_client.post("/v1/auth/refresh", **bearer(rotated["refreshToken"])), 401, "INVALID_TOKEN")
        assert_error(api_client.get("/v1/api/users/me", **bearer(rotated["accessToken"])), 401, "INVALID_TOKEN")

    def test_old_access_token_stays_valid_after_a_refresh(self, api_client, tokens):
        api_client.post("/v1/auth/refresh", **bearer(tokens["refreshToken"]))

        assert api_client.get("/v1/api/users/me", **bearer(tokens["accessToken"])).status_code == 200

    def test_access_token_is_refused_for_refresh(self, api_client, tokens):
        assert_error(api_client.post("/v1/auth/refresh", **bearer(tokens["accessToken"])), 401, "INVALID_TOKEN")

    def test_refresh_counts_under_the_users_sessions_budget_whatever_the_ip(self, api_client, tokens, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sessions": "3/min"}
        api_client.get("/v1/api/users/me", **bearer(tokens["accessToken"]))  # one hit as the user
        current = tokens["refreshToken"]
        for address in ("198.51.100.1", "198.51.100.2"):
            response = api_client.post("/v1/auth/refresh", REMOTE_ADDR=address, **bearer(current))
            assert response.status_code == 200
            current = response.json()["tokens"]["refreshToken"]

        limited = api_client.post("/v1/auth/refresh", REMOTE_ADDR="198.51.100.3", **bearer(current))

        assert_error(limited, 429, "RATE_LIMITED")

    def test_missing_refresh_token_is_refused(self, api_client):
        assert_error(api_client.post("/v1/auth/refresh", {}, format="json"), 401, "INVALID_TOKEN")


class TestLogout:
    def test_logout_kills_the_access_and_refresh_token_of_that_login(self, api_client, user, tokens):
        other = login(APIClient(), user.email)

        response = api_client.post("/v1/auth/logout", **bearer(tokens["accessToken"]))

        assert response.status_code == 200
        assert response.json() == {"success": True}
        assert_error(api_client.get("/v1/api/users/me", **bearer(tokens["accessToken"])), 401, "INVALID_TOKEN")
        assert_error(api_client.post("/v1/auth/refresh", **bearer(tokens["refreshToken"])), 401, "INVALID_TOKEN")
        assert api_client.get("/v1/api/users/me", **bearer(other["accessToken"])).status_code == 200

    def test_all_devices_ends_every_login(self, api_client, user, tokens):
        other = login(APIClient(), user.email)

        api_client.post("/v1/auth/logout", {"allDevices": True}, format="json", **bearer(tokens["accessToken"]))

        assert_error(api_client.get("/v1/api/users/me", **bearer(other["accessToken"])), 401, "INVALID_TOKEN")
        assert_error(api_client.get("/v1/api/users/me", **bearer(tokens["accessToken"])), 401, "INVALID_TOKEN")


class TestPasswordChange:
    def test_new_pair_for_caller_and_other_logins_end(self, api_client, user, tokens):
        other = login(APIClient(), user.email)

        response = api_client.post(
            "/v1/auth/password", {"currentPassword": PASSWORD, "newPassword": "another-long-secret-42"},
            format="json", **bearer(tokens["accessToken"]),
        )

        assert response.status_code == 200
        fresh = response.json()["tokens"]
        assert api_client.get("/v1/api/users/me", **bearer(fresh["accessToken"])).status_code == 200
        assert_error(api_client.get("/v1/api/users/me", **bearer(other["accessToken"])), 401, "INVALID_TOKEN")
        assert_error(api_client.get("/v1/api/users/me", **bearer(tokens["accessToken"])), 401, "INVALID_TOKEN")
        login(APIClient(), user.email, "another-long-secret-42")

    def test_wrong_current_password_is_a_validation_error(self, auth_client):
        response = auth_client.post("/v1/auth/password",
                                    {"currentPassword": "wrong-one-here", "newPassword": "another-long-secret-42"},
                                    format="json")

        error = assert_error(response, 400, "VALIDATION_ERROR")
        assert error["details"]["field"] == "currentPassword"


class TestAuthRateLimit:
    def test_sixth_auth_request_in_a_minute_is_429_with_retry_after(self, api_client, user):
        for _ in range(5):
            api_client.post("/v1/auth/login", {"email": user.email, "password": "wrong-wrong"}, format="json")

        response = api_client.post("/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json")

        assert_error(response, 429, "RATE_LIMITED")
        assert 1 <= int(response["Retry-After"]) <= 60

    def test_register_and_login_share_the_budget(self, api_client, user):
        for i in range(5):
            register(api_client, email=f"someone{i}@example.com")

        assert_error(api_client.post("/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json"),
                     429, "RATE_LIMITED")

    def test_forged_forwarded_for_does_not_dodge_the_limit(self, api_client, user):
        for i in range(5):
            api_client.post("/v1/auth/login", {"email": user.email, "password": "x"}, format="json",
                            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")

        response = api_client.post("/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json",
                                   HTTP_X_FORWARDED_FOR="10.9.9.9")

        assert_error(response, 429, "RATE_LIMITED")

    def test_forwarded_for_counts_when_the_peer_is_a_trusted_proxy(self, api_client, user, settings):
        import ipaddress

        settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.0/8")]
        for _ in range(5):
            api_client.post("/v1/auth/login", {"email": user.email, "password": "x"}, format="json",
                            HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="127.0.0.1")

        other_client = api_client.post("/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json",
                                       HTTP_X_FORWARDED_FOR="203.0.113.8", REMOTE_ADDR="127.0.0.1")

        assert other_client.status_code == 200


class TestAuthResponsesCarryTheStats:
    """Sign-up and log-in answer the account with its `stats`, as `/users/me` does; a new account's are empty and
    cost no query over sessions."""

    @staticmethod
    def session_queries(captured) -> list[str]:
        tables = ('FROM "interviews_', 'FROM "feedback_')
        return [q["sql"] for q in captured.captured_queries if any(table in q["sql"] for table in tables)]

    def test_sign_up_answers_empty_stats_without_reading_sessions(self, api_client):
        with CaptureQueriesContext(connection) as captured:
            body = register(api_client).json()

        assert body["user"]["stats"] == {"totalSessions": 0, "averageScore": 0.0, "completedChallenges": 0,
                                         "streakDays": 0}
        assert self.session_queries(captured) == []

    def test_log_in_answers_the_users_stats(self, api_client, user):
        body = api_client.post("/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json").json()

        assert body["user"]["userId"] == user.public_id
        assert set(body["user"]["stats"]) == {"totalSessions", "averageScore", "completedChallenges", "streakDays"}

    def test_the_users_own_resource_has_the_stats(self, auth_client):
        assert set(auth_client.get("/v1/api/users/me").json()["user"]["stats"]) == {
            "totalSessions", "averageScore", "completedChallenges", "streakDays"}
