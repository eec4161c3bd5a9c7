"""Headers on every response (cloudinterview.api.headers): X-Request-Id everywhere, RateLimit-* on every rate-limited
response (429 included), and Location with Retry-After on every 202 (cloudinterview.api.responses.accepted)."""

import logging
import os
import re
import uuid

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from cloudinterview.api.headers import RequestIdFilter, current_request_id
from cloudinterview.api.responses import ACCEPTED_RETRY_AFTER_SECONDS, accepted
from tests.interviews.helpers import answer, next_question, pin_plan, pinned_theory_question, start, strong_answer_for

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/healthz"), ("get", "/v1/api/users/me"), ("get", "/v1/api/no-such-thing"), ("delete", "/v1/auth/login"),
    ("get", "/accounts/login/"), ("get", "/v1/docs"), ("post", "/v1/api/sessions"),
])
def test_every_response_has_a_generated_request_id(client, method, path):
    response = getattr(client, method)(path)

    assert GENERATED.match(response["X-Request-Id"]), (path, response.status_code)


def test_a_well_formed_request_id_is_kept_and_a_malformed_one_replaced(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="trace-4bf92f3577b34da6.a3ce929d0e0e4736:1")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id; with spaces")
    too_long = client.get("/healthz", HTTP_X_REQUEST_ID="a" * 129)

    assert kept["X-Request-Id"] == "trace-4bf92f3577b34da6.a3ce929d0e0e4736:1"
    assert GENERATED.match(replaced["X-Request-Id"])
    assert GENERATED.match(too_long["X-Request-Id"])


def test_log_lines_written_during_a_request_carry_its_id(caplog):
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.WARNING, logger="cloudinterview.realtime")

    token = current_request_id.set("req-43")
    try:
        logging.getLogger("cloudinterview.realtime").warning("inside")
    finally:
        current_request_id.reset(token)
    logging.getLogger("cloudinterview.realtime").warning("outside")

    assert [(r.getMessage(), r.request_id) for r in caplog.records[-2:]] == [("inside", "req-43"), ("outside", "-")]


class TestRateLimitHeaders:
    def test_a_rate_limited_route_says_its_budget(self, auth_client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sessions": "3/min"}

        responses = [auth_client.get("/v1/api/users/me") for _ in range(4)]

        assert [r.status_code for r in responses] == [200, 200, 200, 429]
        assert [r["RateLimit-Limit"] for r in responses] == ["3"] * 4
        assert [r["RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
        assert all(1 <= int(r["RateLimit-Reset"]) <= 60 for r in responses)
        assert responses[-1]["RateLimit-Reset"] == responses[-1]["Retry-After"]
        assert responses[-1].json()["error"]["code"] == "RATE_LIMITED"

    def test_public_routes_count_per_ip_and_say_so_too(self, api_client, user, password):
        response = api_client.post("/v1/auth/login", {"email": user.email, "password": password}, format="json")

        assert response.status_code == 200
        assert response["RateLimit-Limit"] == "5"
        assert response["RateLimit-Remaining"] == "4"

    def test_routes_without_a_limit_have_no_such_headers(self, client):
        response = client.get("/healthz")

        assert "RateLimit-Limit" not in response


def test_a_202_says_where_the_result_will_be_and_when_to_look():
    request = Request(RequestFactory().post("/v1/api/sessions/session_abc/complete"))

    response = accepted(request, "feedback-detail", {"feedback_id": "feedback_abc"}, feedback={"status": "generating"})

    assert response.status_code == 202
    assert response["Location"] == "http://testserver/v1/api/feedback/feedback_abc"
    assert response["Retry-After"] == str(ACCEPTED_RETRY_AFTER_SECONDS)
    assert response.data == {"success": True, "feedback": {"status": "generating"}}


def test_the_openapi_document_declares_the_keys_and_headers():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [(path, method, operation) for path, item in schema["paths"].items()
                  for method, operation in item.items() if method in {"get", "post", "put", "patch", "delete"}]

    for path, method, operation in operations:
        for status, response in operation["responses"].items():
            assert {"X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(
                response["headers"]), (path, method, status)
            if status == "202":
                assert {"Location", "Retry-After"} <= set(response["headers"]), (path, method)
        if method == "post":
            assert {"$ref": "#/components/parameters/IdempotencyKey"} in operation["parameters"], path
            assert {"409", "422"} <= set(operation["responses"]), path
    answers = next(item["post"]["responses"] for path, item in schema["paths"].items() if path.endswith("}/answers"))
    assert "Idempotent-Replayed" in answers["201"]["headers"]
    assert "Retry-After" in answers["429"]["headers"]


@pytest.mark.worker  # tasks are queued, not run: no worker takes them, so the answer is still being evaluated
@pytest.mark.django_db(transaction=True)  # waiting returns the connection to the pool, as in production
@pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                    reason="needs a broker and a result backend (REDIS_URL, DATABASE_URL)")
def test_an_answer_still_evaluated_is_a_202_with_location_and_retry_after(auth_client, settings):
    settings.EVALUATION_WAIT_SECONDS = 0.2
    settings.CELERY_TASK_DEFAULT_QUEUE = f"test-unconsumed-{uuid.uuid4().hex[:8]}"  # no worker ever reads it
    question = pinned_theory_question(category="zz accepted")
    session_id = start(auth_client, includeCoding=False, topics=["zz accepted"], duration=10)["session"]["sessionId"]
    pin_plan(session_id, question)
    next_question(auth_client, session_id)

    response = answer(auth_client, session_id, answerText=strong_answer_for(question))
    polled = auth_client.get(response["Location"])

    assert response.status_code == 202
    answer_id = response.json()["answer"]["answerId"]
    assert response["Location"] == f"http://testserver/v1/api/sessions/{session_id}/answers/{answer_id}"
    assert response["Retry-After"] == str(ACCEPTED_RETRY_AFTER_SECONDS)
    assert response.json()["nextAction"] == {"type": "await_evaluation"}
    assert polled.status_code == 200
    assert polled.json()["answer"]["status"] == "evaluating"
    assert response.json()["answer"]["isFollowUp"] is False  # which prompt it answers, already in the 202
