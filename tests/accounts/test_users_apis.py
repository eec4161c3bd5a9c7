"""GET/PUT/PATCH/DELETE /v1/api/users/me."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import PASSWORD, bearer

pytestmark = pytest.mark.django_db


def test_me_has_the_seed_shape(auth_client, user):
    body = auth_client.get("/v1/api/users/me").json()

    assert body["success"] is True
    me = body["user"]
    assert set(me) == {"userId", "email", "name", "profile", "preferences", "stats", "createdAt", "lastActive"}
    assert set(me["profile"]) == {"jobTitles", "experienceLevel", "primaryLanguages", "industries", "resumeSummary",
                                  "areasOfInterest"}
    assert set(me["preferences"]) == {"defaultMode", "defaultDifficulty", "languagePreferences", "feedbackStyle",
                                      "voiceInputEnabled", "darkMode"}
    assert set(me["stats"]) == {"totalSessions", "averageScore", "completedChallenges", "streakDays"}
    assert me["userId"] == user.public_id
    assert me["createdAt"].endswith("Z")
    assert me["lastActive"].endswith("Z")


def test_put_takes_partial_nested_objects(auth_client):
    response = auth_client.put("/v1/api/users/me", {
        "profile": {"jobTitles": ["Senior Software Engineer", "Tech Lead"], "experienceLevel": "senior"},
        "preferences": {"defaultMode": "mixed", "voiceInputEnabled": True},
    }, format="json")

    assert response.status_code == 200
    me = response.json()["user"]
    assert me["profile"]["jobTitles"] == ["Senior Software Engineer", "Tech Lead"]
    assert me["profile"]["experienceLevel"] == "senior"
    assert me["preferences"]["defaultMode"] == "mixed"
    assert me["preferences"]["voiceInputEnabled"] is True
    assert me["preferences"]["defaultDifficulty"] == "medium"  # untouched


def test_patch_behaves_like_put(auth_client):
    response = auth_client.patch("/v1/api/users/me", {"preferences": {"darkMode": True}}, format="json")

    assert response.status_code == 200
    assert response.json()["user"]["preferences"]["darkMode"] is True


@pytest.mark.parametrize(("body", "field"), [
    ({"preferences": {"defaultMode": "chaotic"}}, "preferences.defaultMode"),
    ({"preferences": {"defaultDifficulty": "insane"}}, "preferences.defaultDifficulty"),
    ({"preferences": {"feedbackStyle": "rude"}}, "preferences.feedbackStyle"),
    ({"profile": {"experienceLevel": "god"}}, "profile.experienceLevel"),
    ({"profile": {"favouriteColour": "blue"}}, "profile.favouriteColour"),
    ({"nickname": "x"}, "nickname"),
    ({"profile": {"jobTitles": ["x"] * 11}}, "profile.jobTitles"),
    ({"profile": {"resumeSummary": "x" * 5001}}, "profile.resumeSummary"),
])
def test_invalid_updates_are_refused_naming_the_field(auth_client, body, field):
    response = auth_client.put("/v1/api/users/me", body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]["field"] == field


def test_delete_requires_the_password(auth_client, user):
    response = auth_client.delete("/v1/api/users/me", {"password": "wrong-password"}, format="json")

    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_removes_account_kills_tokens_and_frees_the_email(api_client, auth_client, user, tokens):
    response = auth_client.delete("/v1/api/users/me", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    after = api_client.get("/v1/api/users/me", **bearer(tokens["accessToken"]))
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "INVALID_TOKEN"
    again = APIClient().post("/v1/auth/register", {"email": user.email, "password": PASSWORD}, format="json")
    assert again.status_code == 201
