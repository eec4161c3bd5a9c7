"""Languages (docs/api.md, "Languages"): what the sandbox runs, asked of it; a session's language limited to those,
in the API and on the pages; stored profiles naming other languages still work."""

import subprocess

import pytest

from domain.languages import RUNNABLE_LANGUAGES
from interviews.models import InterviewSession
from pages.forms import SettingsForm, SignupForm, StartInterviewForm
from sandbox.runtimes import runtimes

pytestmark = pytest.mark.django_db


def test_languages_lists_what_the_sandbox_runs_with_versions(api_client):
    node = subprocess.run(["/usr/bin/node", "--version"], capture_output=True, text=True, check=True).stdout

    response = api_client.get("/v1/api/languages")

    assert response.status_code == 200
    languages = response.json()["languages"]
    assert [item["language"] for item in languages] == list(RUNNABLE_LANGUAGES)
    by_language = {item["language"]: item for item in languages}
    assert by_language["javascript"] == {"language": "javascript", "name": "JavaScript", "runtime": "Node.js",
                                         "version": node.strip().lstrip("v")}
    assert by_language["python"]["runtime"] == "CPython"
    assert by_language["python"]["version"].count(".") == 2
    assert response["RateLimit-Limit"] == "100"


def test_a_runtime_that_is_not_installed_is_not_listed(monkeypatch):
    runtimes.cache_clear()
    monkeypatch.setenv("SANDBOX_NODE", "/nonexistent/node")
    try:
        assert [item["language"] for item in runtimes()] == ["python"]
    finally:
        runtimes.cache_clear()


@pytest.mark.parametrize("language", ["go", "typescript", "cobol"])
def test_a_session_in_a_language_that_does_not_run_is_refused_naming_the_allowed_ones(auth_client, user, language):
    response = auth_client.post("/v1/api/sessions", {"mode": "technical", "language": language}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]["field"] == "language"
    assert "python, javascript" in error["message"]
    assert not InterviewSession.objects.filter(user=user).exists()


def test_a_stored_preference_for_a_language_that_does_not_run_still_starts_a_session(auth_client, user):
    user.language_preferences = ["go", "javascript"]
    user.primary_languages = ["go", "rust"]
    user.save()

    session = auth_client.post("/v1/api/sessions", {"mode": "technical"}, format="json")
    profile = auth_client.get("/v1/api/users/me")

    assert session.status_code == 201
    assert session.json()["session"]["language"] == "javascript"
    assert profile.json()["user"]["preferences"]["languagePreferences"] == ["go", "javascript"]
    assert profile.json()["user"]["profile"]["primaryLanguages"] == ["go", "rust"]


def test_the_pages_offer_only_languages_that_run_for_interviews(user):
    user.language_preferences = ["go"]
    runnable = set(RUNNABLE_LANGUAGES)

    assert {value for value, _ in StartInterviewForm.for_user(user).fields["language"].choices} == runnable
    assert StartInterviewForm.for_user(user).initial["language"] == "python"
    assert {value for value, _ in SettingsForm.for_user(user).fields["language_preferences"].choices} == runnable
    assert {value for value, _ in SignupForm().fields["preferred_languages"].choices} == runnable
    assert len(SettingsForm.for_user(user).fields["primary_languages"].choices) == 11  # a profile may list any


def test_the_settings_page_shows_a_profile_naming_other_languages(client, user):
    user.language_preferences = ["go", "python"]
    user.save()
    client.force_login(user)

    response = client.get("/accounts/settings/")

    assert response.status_code == 200
    assert response.content.decode().count('value="go"') == 1  # offered as a primary language, not for interviews
