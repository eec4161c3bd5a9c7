"""Rate limits: DRF's rate strings, checked at start-up, and a count that concurrent requests cannot race."""

import json
import os
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from cloudinterview.api.throttling import rate_check
from cloudinterview.rates import Rate, parse_rate
from tests.accounts.factories import UserFactory
from tests.conftest import PASSWORD
from tests.processes import daphne, free_port, server_database_url, stop, wait_ready
from tests.test_settings import run_python


@pytest.mark.parametrize(("rate", "parsed"), [
    ("5/min", Rate(5, 60)), ("5/day", Rate(5, 86400)), ("5/minutes", Rate(5, 60)), ("10/s", Rate(10, 1)),
    ("3/hour", Rate(3, 3600)), (" 7 / Minute ", Rate(7, 60)), ("0/min", Rate(0, 60)),
])
def test_every_rate_drf_accepts_parses(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["abc", "5", "five/min", "-1/min", "5/fortnight", "5/"])
def test_a_malformed_rate_is_refused_with_its_reason(rate):
    with pytest.raises(ValueError, match="rate|number|period|negative"):
        parse_rate(rate)


@pytest.mark.parametrize("variable", ["RATE_LIMIT_AUTH", "RATE_LIMIT_QUESTIONS", "WS_SOCKET_RATE"])
def test_the_server_refuses_to_start_with_a_bad_rate_and_names_it(variable):
    result = run_python("import django; django.setup()", DJANGO_SETTINGS_MODULE="cloudinterview.settings",
                        **{variable: "abc"})

    assert result.returncode != 0
    assert f"{variable}: 'abc' is not a rate" in result.stderr


def _login(api_client, user):
    return api_client.post("/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json")


def test_a_day_rate_limits_instead_of_failing(api_client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "auth": "2/day"}

    statuses = [_login(api_client, user).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_zero_rate_refuses_every_request_with_retry_after(api_client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "auth": "0/min"}

    response = _login(api_client, user)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"


def test_thirty_simultaneous_hits_let_exactly_the_limit_through():
    start = threading.Barrier(30)

    def hit(_: int) -> bool:
        start.wait()
        return rate_check("auth", "ip:203.0.113.9", "5/min") is None

    with ThreadPoolExecutor(30) as pool:
        allowed = list(pool.map(hit, range(30)))

    assert allowed.count(True) == 5


def test_a_refused_hit_does_not_count_so_the_wait_does_not_grow():
    for _ in range(2):
        rate_check("auth", "ip:203.0.113.10", "2/min")
    waits = [rate_check("auth", "ip:203.0.113.10", "2/min") for _ in range(20)]

    assert all(wait is not None and wait <= 120 for wait in waits)
    assert waits[-1] <= waits[0]


@pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                    reason="needs Redis and PostgreSQL (REDIS_URL, DATABASE_URL)")
def test_thirty_simultaneous_logins_on_two_processes_let_exactly_five_through(transactional_db):
    user = UserFactory()
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "fixedsalt4test")  # the servers don't know MD5
    user.save(update_fields=["password"])
    env = {"DATABASE_URL": server_database_url(), "RATE_LIMIT_AUTH": "5/min", "LOG_LEVEL": "WARNING",
           "DB_POOL_MIN_SIZE": "1", "CACHE_KEY_PREFIX": f"logins-{uuid.uuid4().hex[:8]}"}
    ports = [free_port(), free_port()]
    servers = [daphne(port, env) for port in ports]
    body = json.dumps({"email": user.email, "password": PASSWORD}).encode()
    start = threading.Barrier(30)

    def login(i: int) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{ports[i % 2]}/v1/auth/login", data=body,
                                         headers={"Content-Type": "application/json"})
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    try:
        for port in ports:
            wait_ready(port)
        with ThreadPoolExecutor(30) as pool:
            statuses = list(pool.map(login, range(30)))
    finally:
        for server in servers:
            stop(server)

    assert statuses.count(200) == 5, sorted(statuses)
    assert statuses.count(429) == 25


def test_the_admin_login_spends_the_same_auth_budget_as_the_api(api_client, client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "auth": "2/min"}
    for _ in range(2):
        _login(api_client, user)

    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("offset", [0.5, 20.0, 59.5])
def test_after_a_burst_the_wait_is_never_longer_than_the_window(offset):
    """Wherever in the minute a burst falls, a client that waits Retry-After seconds gets through."""
    start = (time.time() // 60 + 1) * 60 + offset
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            assert rate_check("auth", "ip:203.0.113.20", "5/min") is None
        wait = rate_check("auth", "ip:203.0.113.20", "5/min")
        clock.shift(wait)
        allowed_after_wait = rate_check("auth", "ip:203.0.113.20", "5/min") is None

    assert 1 <= wait <= 60
    assert allowed_after_wait
