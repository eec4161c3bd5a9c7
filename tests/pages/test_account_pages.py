"""Sign-up, log-in, password change and reset, profile and preferences: through accounts.services."""

import re

import pytest
from django.core import mail

from accounts.models import Login, User
from accounts.tokens import login_start
from cloudinterview.choices import Language
from domain.languages import RUNNABLE_LANGUAGES

pytestmark = pytest.mark.django_db

SIGNUP = {"name": "Ada Lovelace", "email": "Ada@Example.com", "password1": "analytical-engine-42",
          "password2": "analytical-engine-42", "experience_level": "senior",
          "preferred_languages": ["python", "javascript"]}


def test_signing_up_creates_the_account_and_logs_in(client):
    response = client.post("/accounts/signup/", SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"
    user = User.objects.get(email="ada@example.com")
    assert (user.experience_level, user.primary_languages, user.language_preferences) == (
        "senior", ["python", "javascript"], ["python", "javascript"])
    assert client.get("/").status_code == 200


def test_an_email_already_registered_is_refused_on_the_form(client, user):
    response = client.post("/accounts/signup/", {**SIGNUP, "email": user.email.upper()})

    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_weak_password_is_refused_with_the_validators_message(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "123", "password2": "123"})

    assert "too short" in response.content.decode()
    assert not User.objects.exists()


def test_logging_in_with_email_and_password(client, user, password):
    response = client.post("/accounts/login/", {"username": user.email.upper(), "password": password})

    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_log_in_attempts_share_the_auth_rate_limit(client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "auth": "2/min"}
    for _ in range(2):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong"})

    response = client.post("/accounts/login/", {"username": user.email, "password": "wrong"})

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "correct email" not in response.content.decode()  # the throttle alone: no password was checked
    assert f'value="{user.email}"' in response.content.decode()


def test_changing_the_password_keeps_this_browser_in_and_ends_api_logins(page_client, user, password):
    login_start(user=user)

    response = page_client.post("/accounts/password/", {"current_password": password,
                                                        "new_password1": "a-brand-new-secret-7",
                                                        "new_password2": "a-brand-new-secret-7"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-7")
    assert page_client.get("/").status_code == 200
    assert not Login.objects.filter(user=user, revoked_at__isnull=True).exists()  # no stray API login is opened


def test_a_wrong_current_password_is_an_error_on_its_field(page_client):
    response = page_client.post("/accounts/password/", {"current_password": "nope", "new_password1": "x-secret-99-y",
                                                        "new_password2": "x-secret-99-y"})

    assert response.status_code == 200
    assert "current password is incorrect" in response.content.decode()


def test_password_reset_by_email(client, user):
    login_start(user=user)

    client.post("/accounts/password/reset/", {"email": user.email})

    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "reset-secret-314", "new_password2": "reset-secret-314"})
    assert response["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password("reset-secret-314")
    assert not Login.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_profile_and_preferences_are_saved_and_dark_mode_is_honoured(page_client, user):
    response = page_client.post("/accounts/settings/", {
        "name": "Grace", "job_titles": "Staff Engineer, Tech Lead", "experience_level": "staff",
        "primary_languages": ["javascript"], "areas_of_interest": "compilers", "resume_summary": "",
        "default_mode": "mixed", "default_difficulty": "hard", "language_preferences": ["python"],
        "feedback_style": "actionable", "dark_mode": "on", "voice_input_enabled": "on"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.job_titles == ["Staff Engineer", "Tech Lead"]
    assert (user.default_mode, user.default_difficulty, user.feedback_style) == ("mixed", "hard", "actionable")
    assert user.dark_mode
    assert user.voice_input_enabled
    for path in ("/", "/questions/", "/sessions/", "/interviews/new/"):
        assert 'data-theme="dark"' in page_client.get(path).content.decode()


def test_settings_offer_interview_languages_that_run_and_any_primary_language(page_client):
    """A profile may name any language a candidate knows; an interview only one the sandbox runs."""
    html = page_client.get("/accounts/settings/").content.decode()

    preferred = re.findall(r'name="language_preferences" value="([a-z]+)"', html)
    primary = re.findall(r'name="primary_languages" value="([a-z]+)"', html)
    assert sorted(preferred) == sorted(RUNNABLE_LANGUAGES)
    assert sorted(primary) == sorted(Language.values)


def test_logged_out_pages_follow_the_system_theme(client):
    assert 'data-theme="auto"' in client.get("/accounts/login/").content.decode()
