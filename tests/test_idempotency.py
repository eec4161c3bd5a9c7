"""Idempotency keys on POSTs under /v1 (docs/api.md, "Idempotency"): Stripe's semantics, one mechanism for every
route (cloudinterview.api.idempotency)."""

import json
import uuid

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from cloudinterview.api.idempotency import idempotency_begin
from interviews.models import Answer, InterviewSession
from tests.accounts.factories import UserFactory
from tests.conftest import PASSWORD, login
from tests.interviews.helpers import next_question, pin_plan, pinned_theory_question, start, strong_answer_for

pytestmark = pytest.mark.django_db


def keyed(key: str) -> dict[str, str]:
    return {"HTTP_IDEMPOTENCY_KEY": key}


def open_theory_question(client: APIClient) -> tuple[str, str]:
    """A running session whose current prompt is a pinned theory question (with a follow-up); (sessionId, text)."""
    question = pinned_theory_question(category="zz idempotent")
    session_id = start(client, includeCoding=False, topics=["zz idempotent"], duration=10)["session"]["sessionId"]
    pin_plan(session_id, question)
    next_question(client, session_id)
    return session_id, strong_answer_for(question)


def post_answer(client: APIClient, session_id: str, key: str, **body):
    return client.post(f"/v1/api/sessions/{session_id}/answers", body, format="json", **keyed(key))


class TestAnswersRetried:
    def test_the_same_key_and_body_answers_once_and_replays_the_first_response(self, auth_client):
        session_id, text = open_theory_question(auth_client)
        key = str(uuid.uuid4())

        first = post_answer(auth_client, session_id, key, answerText=text)
        second = post_answer(auth_client, session_id, key, answerText=text)
        third = post_answer(auth_client, session_id, key, answerText=text)

        assert first.status_code == second.status_code == third.status_code == 201
        assert second.json() == first.json()
        assert third.content == first.content
        assert "Idempotent-Replayed" not in first
        assert second["Idempotent-Replayed"] == third["Idempotent-Replayed"] == "true"
        assert second["Content-Type"] == first["Content-Type"]
        assert Answer.objects.filter(session__public_id=session_id).count() == 1
        assert first.json()["nextAction"]["type"] == "follow_up"  # the follow-up is still open, not answered

    def test_the_same_key_with_another_body_is_a_422_in_the_envelope(self, auth_client):
        session_id, text = open_theory_question(auth_client)
        key = str(uuid.uuid4())
        post_answer(auth_client, session_id, key, answerText=text)

        other = post_answer(auth_client, session_id, key, answerText="Something else entirely.")

        assert other.status_code == 422
        body = other.json()
        assert body["success"] is False
        assert body["error"]["code"] == "VALIDATION_ERROR"
        assert body["error"]["details"]["field"] == "Idempotency-Key"
        assert Answer.objects.filter(session__public_id=session_id).count() == 1

    def test_json_is_compared_by_value_not_by_spelling(self, auth_client):
        session_id, text = open_theory_question(auth_client)
        key = str(uuid.uuid4())
        url = f"/v1/api/sessions/{session_id}/answers"
        first = auth_client.post(url, json.dumps({"answerText": text, "responseTime": 30}, indent=2),
                                 content_type="application/json", **keyed(key))
        second = auth_client.post(url, json.dumps({"responseTime": 30, "answerText": text}, separators=(",", ":")),
                                  content_type="application/json", **keyed(key))

        assert (first.status_code, second.status_code) == (201, 201)
        assert second["Idempotent-Replayed"] == "true"

    def test_a_request_still_running_with_the_key_is_a_409(self, auth_client, tokens):
        session_id, text = open_theory_question(auth_client)
        key = str(uuid.uuid4())
        url = f"/v1/api/sessions/{session_id}/answers"
        running = RequestFactory().post(url, {"answerText": text}, content_type="application/json",
                                        HTTP_AUTHORIZATION=f"Bearer {tokens['accessToken']}", **keyed(key))
        claim = idempotency_begin(running)  # the first request has claimed the key and not finished

        retried = post_answer(auth_client, session_id, key, answerText=text)

        assert retried.status_code == 409
        assert retried.json()["error"]["code"] == "CONFLICT"
        assert retried["Retry-After"] == "1"
        assert Answer.objects.filter(session__public_id=session_id).count() == 0
        claim.abandon()
        assert post_answer(auth_client, session_id, key, answerText=text).status_code == 201

    def test_keys_belong_to_one_user(self, auth_client):
        key = str(uuid.uuid4())
        mine = auth_client.post("/v1/api/sessions", {"mode": "behavioral"}, format="json", **keyed(key))
        other = APIClient()
        other_tokens = login(APIClient(), UserFactory(password=PASSWORD).email)
        other.credentials(HTTP_AUTHORIZATION=f"Bearer {other_tokens['accessToken']}")

        theirs = other.post("/v1/api/sessions", {"mode": "behavioral"}, format="json", **keyed(key))

        assert (mine.status_code, theirs.status_code) == (201, 201)
        assert "Idempotent-Replayed" not in theirs
        assert mine.json()["session"]["sessionId"] != theirs.json()["session"]["sessionId"]

    def test_the_same_key_on_another_path_is_a_422(self, auth_client):
        key = str(uuid.uuid4())
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]
        auth_client.post("/v1/api/sessions", {"mode": "behavioral"}, format="json", **keyed(key))

        elsewhere = auth_client.post(f"/v1/api/sessions/{session_id}/questions/next", {"mode": "behavioral"},
                                     format="json", **keyed(key))

        assert elsewhere.status_code == 422


class TestWhatIsRemembered:
    def test_a_created_session_is_replayed_with_its_status_and_not_created_twice(self, auth_client, user):
        key = str(uuid.uuid4())
        responses = [auth_client.post("/v1/api/sessions", {"mode": "behavioral"}, format="json", **keyed(key))
                     for _ in range(2)]

        assert [r.status_code for r in responses] == [201, 201]
        assert responses[0].json() == responses[1].json()
        assert InterviewSession.objects.filter(user=user).count() == 1

    def test_a_refused_body_leaves_the_key_free_for_the_corrected_request(self, auth_client):
        key = str(uuid.uuid4())
        refused = auth_client.post("/v1/api/sessions", {"mode": "juggling"}, format="json", **keyed(key))
        corrected = auth_client.post("/v1/api/sessions", {"mode": "behavioral"}, format="json", **keyed(key))

        assert (refused.status_code, corrected.status_code) == (400, 201)
        assert "Idempotent-Replayed" not in corrected

    def test_a_state_error_is_remembered_so_a_retry_cannot_act_later(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]
        key = str(uuid.uuid4())
        too_early = post_answer(auth_client, session_id, key, answerText="An answer before any question.")
        next_question(auth_client, session_id)

        retried = post_answer(auth_client, session_id, key, answerText="An answer before any question.")

        assert too_early.status_code == retried.status_code == 409
        assert retried["Idempotent-Replayed"] == "true"
        assert Answer.objects.filter(session__public_id=session_id).count() == 0

    def test_public_routes_key_by_client_ip(self, api_client, user):
        key = str(uuid.uuid4())
        body = {"email": user.email, "password": PASSWORD}
        first = api_client.post("/v1/auth/login", body, format="json", **keyed(key))
        second = api_client.post("/v1/auth/login", body, format="json", **keyed(key))
        elsewhere = api_client.post("/v1/auth/login", body, format="json", REMOTE_ADDR="10.9.8.7", **keyed(key))

        assert second["Idempotent-Replayed"] == "true"
        assert second.json()["tokens"] == first.json()["tokens"]
        assert "Idempotent-Replayed" not in elsewhere

    def test_gets_and_requests_without_a_key_are_untouched(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]

        reads = [auth_client.get(f"/v1/api/sessions/{session_id}", **keyed("k1")) for _ in range(2)]
        created = [auth_client.post("/v1/api/sessions", {"mode": "behavioral"}, format="json") for _ in range(2)]

        assert all("Idempotent-Replayed" not in r for r in reads + created)
        assert created[0].json()["session"]["sessionId"] != created[1].json()["session"]["sessionId"]


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "ключ"])
def test_a_malformed_key_is_a_400_naming_the_header(auth_client, key):
    response = auth_client.post("/v1/api/sessions", {"mode": "behavioral"}, format="json",
                                HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1"))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"]["field"] == "Idempotency-Key"
    assert InterviewSession.objects.count() == 0


def test_a_refresh_retried_is_replayed_to_its_own_token_only(api_client, tokens, user):
    key = str(uuid.uuid4())
    first = api_client.post("/v1/auth/refresh", format="json", HTTP_AUTHORIZATION=f"Bearer {tokens['refreshToken']}",
                            **keyed(key))
    again = api_client.post("/v1/auth/refresh", format="json", HTTP_AUTHORIZATION=f"Bearer {tokens['refreshToken']}",
                            **keyed(key))
    stranger = api_client.post("/v1/auth/refresh", format="json", HTTP_AUTHORIZATION="Bearer someone-elses",
                               **keyed(key))

    assert (first.status_code, again.status_code) == (200, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["tokens"] == first.json()["tokens"]  # rotated once
    assert stranger.status_code == 401
    assert "Idempotent-Replayed" not in stranger
