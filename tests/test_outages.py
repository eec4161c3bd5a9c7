"""A backing service down is a 503 SERVICE_UNAVAILABLE with Retry-After in every door, nothing is lost, and
the server recovers by itself when the service is back."""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request

import psycopg
import pytest
from django.test import Client

from accounts.tokens import login_start
from interviews.models import Answer
from interviews.services.flow import question_next
from interviews.services.planning import session_start
from tests.accounts.factories import UserFactory
from tests.accounts.test_auth_apis import assert_error
from tests.interviews.helpers import pinned_theory_question
from tests.processes import daphne, free_port, server_database_url, stop, wait_ready, wait_until

DISTRIBUTED = bool(os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL"))


@pytest.fixture
def redis_down(settings):
    """The cache (and so the rate limiter) points at a port where no Redis listens."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
                                   "OPTIONS": {"socket_connect_timeout": 1}}}


def test_an_api_call_with_redis_down_is_503_with_retry_after(auth_client, redis_down):
    response = auth_client.get("/v1/api/questions")

    assert_error(response, 503, "SERVICE_UNAVAILABLE")
    assert response["Retry-After"] == "5"


def test_a_page_with_redis_down_is_503_not_a_server_error(db, redis_down):
    client = Client(raise_request_exception=False)  # as a server answers: through Django's handlers

    response = client.post("/accounts/login/", {"username": "someone@example.com", "password": "x"})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def _request(url: str, token: str, body: dict | None = None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET",  # noqa: S310
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def _redis_server(port: int) -> subprocess.Popen:
    return subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)


needs_cluster = pytest.mark.skipif(not DISTRIBUTED or not shutil.which("redis-server"),
                                   reason="needs PostgreSQL, Redis and the redis-server binary")


@needs_cluster
def test_redis_going_down_is_503_nothing_is_lost_and_recovery_needs_no_restart(transactional_db):
    pinned_theory_question(category="zz outage")
    user = UserFactory()
    token = login_start(user=user)["accessToken"]
    session = session_start(user=user, mode="technical", include_coding=False, topics=["zz outage"], duration=10)
    question_next(session=session)
    redis_port, port = free_port(), free_port()
    redis = _redis_server(redis_port)
    server = daphne(port, {"DATABASE_URL": server_database_url(), "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                           "LOG_LEVEL": "ERROR", "DB_POOL_MIN_SIZE": "1", "EVALUATION_WAIT_SECONDS": "0"})
    base = f"http://127.0.0.1:{port}/v1/api"
    try:
        wait_ready(port)
        assert _request(f"{base}/users/me", token)[0] == 200
        redis.kill()
        redis.wait(timeout=10)

        down = [_request(f"{base}/users/me", token), _request(f"{base}/questions", token),
                _request(f"{base}/sessions/{session.public_id}/answers", token, {"answerText": "A WAL entry."})]

        redis = _redis_server(redis_port)
        recovered = wait_until(lambda: _request(f"{base}/users/me", token)[0] == 200, timeout=20)
        retried = _request(f"{base}/sessions/{session.public_id}/answers", token, {"answerText": "A WAL entry."})[0]
    finally:
        stop(server)
        redis.kill()
        redis.wait(timeout=10)

    for status, headers, body in down:
        assert status == 503
        assert headers["Retry-After"] == "5"
        assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert recovered
    assert retried == 202  # the refused attempts consumed nothing: the same answer is taken once back
    assert Answer.objects.filter(session=session).count() == 1


@needs_cluster
def test_a_query_stuck_behind_a_lock_ends_at_the_statement_timeout_as_503(transactional_db):
    token = login_start(user=UserFactory())["accessToken"]
    port = free_port()
    server = daphne(port, {"DATABASE_URL": server_database_url(), "DB_STATEMENT_TIMEOUT_MS": "500",
                           "LOG_LEVEL": "ERROR", "DB_POOL_MIN_SIZE": "1"})
    try:
        wait_ready(port)
        with psycopg.connect(server_database_url().replace("postgres://", "postgresql://")) as locker:
            locker.execute("LOCK TABLE questionbank_question IN ACCESS EXCLUSIVE MODE")
            status, headers, body = _request(f"http://127.0.0.1:{port}/v1/api/questions", token)
            locker.rollback()
        after = _request(f"http://127.0.0.1:{port}/v1/api/questions", token)[0]
    finally:
        stop(server)

    assert (status, body["error"]["code"], headers["Retry-After"]) == (503, "SERVICE_UNAVAILABLE", "5")
    assert after == 200
