"""/v1/api/webhooks: the HTTP contract (envelope, camelCase, strict input, 404 across users, paging, rate
scope) and the shapes documented in OpenAPI."""

import pytest
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory
from tests.conftest import login
from tests.openapi import assert_matches
from tests.webhooks.helpers import endpoint_for, interview
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

URL = "/v1/api/webhooks"
WEBHOOK_KEYS = {"webhookId", "url", "description", "events", "enabled", "disabledAt", "disabledReason",
                "failingSince", "previousSecretExpiresAt", "createdAt", "updatedAt"}


def _create(client, url: str, **body) -> dict:
    response = client.post(URL, {"url": url, **body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


class TestCreate:
    def test_create_returns_the_webhook_and_its_secret_once(self, auth_client, receiver):
        body = _create(auth_client, receiver.url(), description="Bootcamp LMS")

        assert body["success"] is True
        assert set(body["webhook"]) == WEBHOOK_KEYS
        assert body["webhook"]["webhookId"].startswith("wh_")
        assert body["webhook"]["events"] == ["session.completed", "feedback.ready"]
        assert body["webhook"]["enabled"] is True
        assert body["secret"].startswith("whsec_")
        assert_matches(body, "WebhookSecretResponse")
        again = auth_client.get(f"{URL}/{body['webhook']['webhookId']}").json()
        assert "secret" not in again
        assert "secret" not in again["webhook"]
        assert body["secret"] not in str(auth_client.get(URL).content)

    def test_answer_evaluated_is_subscribed_only_when_asked(self, auth_client, receiver):
        body = _create(auth_client, receiver.url(), events=["answer.evaluated", "session.completed"])

        assert body["webhook"]["events"] == ["session.completed", "answer.evaluated"]

    @pytest.mark.parametrize(("body", "field"), [
        ({"url": "http://127.0.0.1/x", "colour": "red"}, "colour"),
        ({"url": "http://127.0.0.1/x", "events": ["session.started"]}, "events"),
        ({"url": "http://127.0.0.1/x", "events": []}, "events"),
        ({"url": "http://127.0.0.1/x", "events": "session.completed"}, "events"),
        ({"url": "http://127.0.0.1/x", "description": "x" * 201}, "description"),
        ({"url": "x" * 2001}, "url"),
        ({}, "url"),
    ])
    def test_bad_input_is_a_validation_error_naming_the_field(self, auth_client, body, field):
        response = auth_client.post(URL, body, format="json")

        assert response.status_code == 400
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"
        assert response.json()["error"]["details"]["field"] == field

    def test_the_number_of_webhooks_per_user_is_capped(self, auth_client, receiver, settings):
        settings.WEBHOOK_MAX_ENDPOINTS_PER_USER = 2
        _create(auth_client, receiver.url("/a"))
        _create(auth_client, receiver.url("/b"))

        response = auth_client.post(URL, {"url": receiver.url("/c")}, format="json")

        assert response.status_code == 409
        assert response.json()["error"]["code"] == "INVALID_STATE"
        assert WebhookEndpoint.objects.count() == 2

    def test_requires_authentication(self, api_client):
        response = api_client.get(URL)

        assert response.status_code == 401
        assert response.json()["error"]["code"] == "AUTHENTICATION_REQUIRED"


class TestReadUpdateDelete:
    def test_list_is_paginated_newest_first(self, auth_client, receiver):
        ids = [_create(auth_client, receiver.url(f"/{i}"))["webhook"]["webhookId"] for i in range(3)]

        body = auth_client.get(f"{URL}?limit=2&offset=0").json()

        assert [w["webhookId"] for w in body["webhooks"]] == ids[::-1][:2]
        assert body["pagination"] == {"total": 3, "limit": 2, "offset": 0, "hasMore": True}
        assert_matches(body, "WebhookListResponse")

    def test_list_rejects_unknown_and_out_of_range_parameters(self, auth_client):
        assert auth_client.get(f"{URL}?limit=101").status_code == 400
        assert auth_client.get(f"{URL}?page=2").json()["error"]["details"]["field"] == "page"

    def test_another_users_webhook_is_not_found_on_every_route(self, auth_client, receiver):
        other = UserFactory()
        endpoint, _ = endpoint_for(other, receiver.url())
        base = f"{URL}/{endpoint.public_id}"

        responses = [auth_client.get(base), auth_client.patch(base, {"description": "x"}, format="json"),
                     auth_client.delete(base), auth_client.post(f"{base}/rotate-secret"),
                     auth_client.post(f"{base}/test"), auth_client.get(f"{base}/deliveries")]

        assert [r.status_code for r in responses] == [404] * 6
        assert {r.json()["error"]["code"] for r in responses} == {"NOT_FOUND"}
        assert receiver.requests == []
        assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()

    def test_patch_changes_only_what_is_given(self, auth_client, receiver):
        created = _create(auth_client, receiver.url(), description="before")["webhook"]

        response = auth_client.patch(f"{URL}/{created['webhookId']}", {"events": ["feedback.ready"]}, format="json")

        assert response.status_code == 200
        webhook = response.json()["webhook"]
        assert webhook["events"] == ["feedback.ready"]
        assert webhook["description"] == "before"
        assert webhook["url"] == created["url"]

    def test_patch_rejects_unknown_keys_and_bad_urls(self, auth_client, receiver, settings):
        webhook_id = _create(auth_client, receiver.url())["webhook"]["webhookId"]
        settings.WEBHOOK_ALLOW_PRIVATE = False

        unknown = auth_client.patch(f"{URL}/{webhook_id}", {"secret": "whsec_x"}, format="json")
        internal = auth_client.patch(f"{URL}/{webhook_id}", {"url": "http://10.0.0.1/x"}, format="json")

        assert unknown.status_code == internal.status_code == 400
        assert internal.json()["error"]["details"]["field"] == "url"

    def test_put_is_not_allowed(self, auth_client, receiver):
        webhook_id = _create(auth_client, receiver.url())["webhook"]["webhookId"]

        response = auth_client.put(f"{URL}/{webhook_id}", {"url": receiver.url()}, format="json")

        assert response.status_code == 405
        assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"

    def test_disabling_and_enabling_again_through_patch(self, auth_client, receiver):
        webhook_id = _create(auth_client, receiver.url())["webhook"]["webhookId"]

        off = auth_client.patch(f"{URL}/{webhook_id}", {"enabled": False}, format="json").json()["webhook"]
        test_while_off = auth_client.post(f"{URL}/{webhook_id}/test")
        on = auth_client.patch(f"{URL}/{webhook_id}", {"enabled": True}, format="json").json()["webhook"]

        assert (off["enabled"], off["disabledReason"]) == (False, "Disabled by you.")
        assert off["disabledAt"] is not None
        assert test_while_off.status_code == 409
        assert (on["enabled"], on["disabledReason"], on["disabledAt"]) == (True, None, None)

    def test_delete_removes_the_webhook_and_its_log(self, auth_client, receiver):
        webhook_id = _create(auth_client, receiver.url())["webhook"]["webhookId"]
        auth_client.post(f"{URL}/{webhook_id}/test")

        response = auth_client.delete(f"{URL}/{webhook_id}")

        assert response.status_code == 204
        assert auth_client.get(f"{URL}/{webhook_id}").status_code == 404
        assert WebhookDelivery.objects.count() == 0


class TestRotateAndTest:
    def test_rotation_returns_a_new_secret_and_when_the_old_one_stops(self, auth_client, receiver):
        created = _create(auth_client, receiver.url())
        webhook_id = created["webhook"]["webhookId"]

        response = auth_client.post(f"{URL}/{webhook_id}/rotate-secret")

        assert response.status_code == 200
        body = response.json()
        assert body["secret"].startswith("whsec_")
        assert body["secret"] != created["secret"]
        assert body["webhook"]["previousSecretExpiresAt"] is not None
        assert_matches(body, "WebhookSecretResponse")

    def test_test_queues_a_signed_ping_and_its_delivery_shows_the_result(
            self, auth_client, receiver, django_capture_on_commit_callbacks):
        created = _create(auth_client, receiver.url())
        webhook_id = created["webhook"]["webhookId"]

        with django_capture_on_commit_callbacks(execute=True):
            response = auth_client.post(f"{URL}/{webhook_id}/test")

        assert response.status_code == 202
        assert_matches(response.json(), "WebhookDeliveryResponse")
        queued = response.json()["delivery"]
        assert (queued["eventType"], queued["status"]) == ("ping", "pending")
        (received,) = receiver.requests
        payload = received.verify(created["secret"])
        assert payload["data"]["webhookId"] == webhook_id
        assert received.webhook_id == queued["eventId"]
        (delivered,) = auth_client.get(f"{URL}/{webhook_id}/deliveries").json()["deliveries"]
        assert (delivered["status"], delivered["responseCode"]) == ("succeeded", 200)


class TestDeliveries:
    def test_deliveries_show_status_code_excerpt_latency_and_each_attempt(
            self, auth_client, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url())
        receiver.answer(("status", 500))
        interview(user, django_capture_on_commit_callbacks)

        body = auth_client.get(f"{URL}/{endpoint.public_id}/deliveries").json()

        assert_matches(body, "WebhookDeliveryListResponse")
        by_type = {d["eventType"]: d for d in body["deliveries"]}
        assert set(by_type) == {"answer.evaluated", "session.completed", "feedback.ready"}
        failed = by_type["answer.evaluated"]
        assert (failed["status"], failed["attempt"], failed["responseCode"]) == ("retrying", 1, 500)
        assert failed["responseExcerpt"].startswith("answered 500")
        assert len(failed["responseExcerpt"]) <= 1000
        assert failed["latencyMs"] >= 0
        assert failed["nextAttemptAt"].endswith("Z")
        assert failed["attempts"][0] == {**failed["attempts"][0], "attempt": 1, "status": "failed",
                                         "responseCode": 500, "error": None}
        assert failed["eventId"].startswith("msg_")
        waiting = by_type["feedback.ready"]
        assert (waiting["status"], waiting["attempt"], waiting["attempts"]) == ("pending", 0, [])

    def test_deliveries_filter_by_status(self, auth_client, user, receiver, django_capture_on_commit_callbacks):
        endpoint, _ = endpoint_for(user, receiver.url())
        receiver.answer(("status", 500))
        interview(user, django_capture_on_commit_callbacks)

        body = auth_client.get(f"{URL}/{endpoint.public_id}/deliveries?status=retrying").json()
        bad = auth_client.get(f"{URL}/{endpoint.public_id}/deliveries?status=lost")

        assert [d["eventType"] for d in body["deliveries"]] == ["answer.evaluated"]
        assert bad.status_code == 400


class TestFixedQueries:
    def test_the_webhook_list_uses_a_fixed_number_of_queries(self, auth_client, user, receiver,
                                                              django_assert_max_num_queries):
        for i in range(8):
            endpoint_for(user, receiver.url(f"/{i}"))

        with django_assert_max_num_queries(6):
            response = auth_client.get(f"{URL}?limit=100")

        assert len(response.json()["webhooks"]) == 8

    def test_the_delivery_list_uses_a_fixed_number_of_queries(
            self, auth_client, user, receiver, django_capture_on_commit_callbacks, django_assert_max_num_queries):
        endpoint, _ = endpoint_for(user, receiver.url())
        receiver.answer(*[("status", 500)] * 3)
        for _ in range(3):
            interview(user, django_capture_on_commit_callbacks)
        WebhookDelivery.objects.update(status="abandoned", next_attempt_at=None)

        with django_assert_max_num_queries(8):
            response = auth_client.get(f"{URL}/{endpoint.public_id}/deliveries?limit=100")

        assert len(response.json()["deliveries"]) == 9


def test_webhook_calls_count_under_the_sessions_rate_scope(user, settings, receiver):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sessions": "3/min"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(APIClient(), user.email)['accessToken']}")
    client.get("/v1/api/users/me")  # the same budget as the rest of the sessions scope
    client.get(URL)
    client.post(URL, {"url": receiver.url()}, format="json")

    response = client.get(URL)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "RATE_LIMITED"
    assert int(response["Retry-After"]) >= 1


def test_the_openapi_document_describes_the_events_as_webhooks(api_client):
    schema = api_client.get("/v1/schema?format=json").json()

    assert schema["openapi"].startswith("3.1")
    assert set(schema["webhooks"]) == {"session.completed", "feedback.ready", "answer.evaluated", "ping"}
    body = schema["webhooks"]["session.completed"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/SessionCompletedEvent")
    assert "webhook-signature" in schema["webhooks"]["ping"]["post"]["description"]
