"""Mail configured from the environment reaches a real SMTP server (a password reset, end to end)."""

import json

import pytest
from aiosmtpd.controller import Controller

from cloudinterview.settings import _email_from_url
from tests.processes import free_port
from tests.test_settings import run_python

PRINT_EMAIL = ("import json, cloudinterview.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
               "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', "
               "'EMAIL_USE_TLS', 'EMAIL_USE_SSL']}))")


def _email_settings(**env: str) -> dict:
    result = run_python(PRINT_EMAIL, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_configuration_mail_goes_to_the_console():
    assert _email_settings()["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.com", {"EMAIL_HOST": "mail.example.com", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False}),
    ("smtp://me%40example.com:p%3Ass@mail.example.com:587",
     {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_HOST_USER": "me@example.com", "EMAIL_HOST_PASSWORD": "p:ss"}),
    ("smtp://mail.example.com:2525?tls=1", {"EMAIL_PORT": 2525, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}),
    ("smtps://mail.example.com", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
])
def test_email_url_sets_the_smtp_server(url, expected):
    configured = _email_settings(EMAIL_URL=url)

    assert configured["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {key: configured[key] for key in expected} == expected


def test_the_smtp_variables_work_without_a_url():
    configured = _email_settings(EMAIL_HOST="relay.internal", EMAIL_PORT="587", EMAIL_HOST_USER="app")

    assert (configured["EMAIL_HOST"], configured["EMAIL_USE_TLS"], configured["EMAIL_HOST_USER"]) == (
        "relay.internal", True, "app")


def test_a_url_that_is_not_smtp_stops_the_server_with_its_reason():
    result = run_python(PRINT_EMAIL, EMAIL_URL="http://mail.example.com")

    assert result.returncode != 0
    assert "EMAIL_URL: expected smtp://" in result.stderr


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's handler name
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted for delivery"


def test_a_password_reset_reaches_the_smtp_server_named_by_email_url(client, user, settings):
    inbox = Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        for name, value in _email_from_url(f"smtp://127.0.0.1:{port}").items():
            setattr(settings, name, value)
        response = client.post("/accounts/password/reset/", {"email": user.email})
    finally:
        smtp.stop()

    assert response.status_code == 302
    assert len(inbox.messages) == 1
    _, recipients, content = inbox.messages[0]
    assert recipients == [user.email]
    assert "/accounts/password/reset/" in content
