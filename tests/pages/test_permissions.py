"""Who may see which page: logged-out visitors go to log in; one user never sees another's sessions."""

import pytest

from feedback.services import share_create
from tests.pages.factories import finished_session

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = ["/", "/sessions/", "/questions/", "/interviews/new/", "/accounts/settings/", "/accounts/password/"]


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_logged_out_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_a_session_page_sends_logged_out_visitors_to_log_in(client, user):
    session = finished_session(user)

    for path in (f"/sessions/{session.public_id}/report/", f"/interviews/{session.public_id}/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("suffix", ["report/", "share/"])
def test_another_users_report_is_not_found(client_for, user, other_user, suffix):
    session = finished_session(user)
    intruder = client_for(other_user)

    response = intruder.get(f"/sessions/{session.public_id}/{suffix}") if suffix == "report/" else \
        intruder.post(f"/sessions/{session.public_id}/{suffix}", {"share": "on"})

    assert response.status_code == 404


def test_another_users_interview_room_is_not_found(client_for, user, other_user):
    session = finished_session(user, status="in_progress")

    assert client_for(other_user).get(f"/interviews/{session.public_id}/").status_code == 404


def test_another_users_sessions_never_appear_in_lists(client_for, user, other_user):
    session = finished_session(user)
    intruder = client_for(other_user)

    for path in ("/", "/sessions/"):
        assert session.public_id not in intruder.get(path).content.decode()


def test_an_unknown_session_is_not_found(page_client):
    assert page_client.get("/sessions/session_nope/report/").status_code == 404


def test_the_share_page_is_public_until_revoked(client, page_client, user):
    session = finished_session(user)
    link = share_create(session=session)

    assert client.get(f"/share/{link.token}").status_code == 200
    page_client.post(f"/sessions/{session.public_id}/share/", {"share": "off"})
    assert client.get(f"/share/{link.token}").status_code == 404


def test_forms_refuse_posts_without_a_csrf_token(user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    assert browser.post("/accounts/settings/", {"name": "X"}).status_code == 403
    assert browser.post("/interviews/new/", {"mode": "technical"}).status_code == 403


def test_logout_is_a_post(page_client):
    assert page_client.get("/accounts/logout/").status_code == 405
    assert page_client.post("/accounts/logout/").status_code == 302
    assert page_client.get("/").status_code == 302
