"""Every page, the admin and the API docs are served with a strict Content-Security-Policy, and no page
carries script the policy would have to allow inline (docs/security.md)."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from feedback.services import share_create
from questionbank.models import Question
from tests.accounts.factories import UserFactory
from tests.pages.factories import finished_session

pytestmark = pytest.mark.django_db

HOST = "testserver"
PUBLIC_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                "/accounts/password/reset/sent/", "/accounts/password/reset/done/", "/admin/login/"]
CANDIDATE_PAGES = ["/", "/sessions/", "/questions/", "/questions/?type=coding", "/interviews/new/",
                   "/accounts/settings/", "/accounts/password/"]
ADMIN_PAGES = ["/admin/", "/admin/questionbank/question/", "/admin/questionbank/question/import/",
               "/admin/accounts/user/", "/admin/feedback/feedback/"]
DOCS = ["/v1/docs", "/v1/schema"]


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_strict(response) -> None:
    csp = policy(response)
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive], directive
        assert "'unsafe-eval'" not in csp.get(directive, []), directive
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert {"'self'", f"ws://{HOST}", f"wss://{HOST}"} <= set(csp["connect-src"])


class _InlineScript(HTMLParser):
    """Finds what a strict policy blocks: inline <script>, on* handlers and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            data_block = (values.get("type") or "").lower() == "application/json"
            self._in_script = not values.get("src") and not data_block
        self.found += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]
        self.found += [f"<{tag} {name}={value}>" for name, value in attrs
                       if name in ("href", "src", "action", "formaction")
                       and (value or "").strip().lower().startswith("javascript:")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}")


def inline_script(html: str) -> list[str]:
    parser = _InlineScript()
    parser.feed(html)
    parser.close()
    return parser.found


def check_page(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert_strict(response)
    if response["Content-Type"].startswith("text/html"):
        assert inline_script(response.content.decode()) == [], path


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_a_strict_policy_and_no_inline_script(client, path):
    check_page(client, path)


def test_the_password_reset_link_page_too(client, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = client.get(f"/accounts/password/reset/{uid}/{default_token_generator.make_token(user)}/")

    check_page(client, link["Location"])


@pytest.mark.parametrize("path", CANDIDATE_PAGES)
def test_candidate_pages_send_a_strict_policy_and_no_inline_script(page_client, path):
    check_page(page_client, path)


def test_question_report_room_and_share_pages_too(page_client, user):
    question = Question.objects.filter(type="coding", status="published").first()
    done = finished_session(user)
    running = finished_session(user, status="in_progress")
    token = share_create(session=done).token

    for path in (f"/questions/{question.public_id}/", f"/sessions/{done.public_id}/report/",
                 f"/interviews/{running.public_id}/", f"/share/{token}"):
        check_page(page_client, path)
    check_page(Client(), f"/share/{token}")


def test_the_dashboard_with_charts_too(page_client, user):
    finished_session(user)

    check_page(page_client, "/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_send_a_strict_policy_and_no_inline_script(client, path):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    check_page(client, path)


def test_the_admin_change_form_too(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    question = Question.objects.filter(type="coding").first()

    check_page(client, f"/admin/questionbank/question/{question.pk}/change/")


@pytest.mark.parametrize("path", DOCS)
def test_the_api_docs_send_a_strict_policy_and_no_inline_script(client, path):
    check_page(client, path)


def test_swagger_ui_loads_its_start_script_from_a_url(client):
    html = client.get("/v1/docs").content.decode()
    script = client.get("/v1/docs?script=")

    assert "/v1/docs?script=" in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert_strict(script)


def test_api_errors_and_unknown_pages_carry_the_policy_too(client):
    assert_strict(client.get("/v1/api/nowhere"))
    assert_strict(client.get("/no-such-page/"))
