"""Where webhooks may go: public HTTPS only. Internal addresses are refused after DNS resolution, at
creation and again before every attempt, and the request goes to the address that was checked."""

import socket

import pytest

from tests.webhooks.helpers import endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks.addresses import UrlRefused, target_for, url_check
from webhooks.models import WebhookAttempt
from webhooks.services.outbox import endpoint_ping

pytestmark = pytest.mark.django_db

URL = "/v1/api/webhooks"


@pytest.fixture
def strict(settings):
    """Production's rules: no plain HTTP, no internal addresses."""
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE = False


INTERNAL = [
    ("https://127.0.0.1/hook", "loopback"),
    ("https://127.8.9.10:8443/hook", "loopback"),
    ("https://10.0.0.7/hook", "private"),
    ("https://10.255.255.254/hook", "private"),
    ("https://192.168.1.20/hook", "private"),
    ("https://172.16.5.4/hook", "private"),
    ("https://169.254.169.254/latest/meta-data/", "metadata"),
    ("https://[::1]/hook", "loopback"),
    ("https://[::ffff:127.0.0.1]/hook", "loopback"),
    ("https://[fd00:ec2::254]/hook", "metadata"),
    ("https://[fe80::1]/hook", "link-local"),
    ("https://[2002:7f00:1::]/hook", "loopback"),  # 6to4 around 127.0.0.1
    ("https://[64:ff9b::a00:1]/hook", "private"),  # NAT64 around 10.0.0.1
    ("https://100.100.100.200/hook", "metadata"),
    ("https://0.0.0.0/hook", "unspecified"),
    ("https://100.64.0.1/hook", "public"),
    ("https://2130706433/hook", "loopback"),  # 127.0.0.1 written as one number
    ("https://localhost/hook", "loopback"),  # a DNS name that resolves to loopback
]


@pytest.mark.parametrize(("url", "reason"), INTERNAL)
def test_internal_addresses_are_refused_at_creation(strict, auth_client, url, reason):
    response = auth_client.post(URL, {"url": url}, format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]["field"] == "url"
    assert reason in error["message"]


def test_a_name_resolving_to_loopback_is_named_with_its_address(strict):
    with pytest.raises(UrlRefused) as refused:
        target_for("https://localhost:8443/hook")

    assert "localhost resolves to" in str(refused.value)
    resolved = {info[4][0] for info in socket.getaddrinfo("localhost", 8443)}
    assert any(address in str(refused.value) for address in resolved)


def test_plain_http_is_refused_unless_allowed(strict, settings):
    with pytest.raises(UrlRefused, match="https://"):
        url_check("http://93.184.215.14/hook")
    settings.WEBHOOK_ALLOW_HTTP = True

    assert url_check("http://93.184.215.14/hook") == "http://93.184.215.14/hook"


def test_a_public_address_is_accepted(strict):
    target = target_for("https://93.184.215.14:8443/a/b?c=d")

    assert str(target.address) == "93.184.215.14"
    assert target.host_header == "93.184.215.14:8443"


def test_a_name_that_does_not_resolve_yet_is_accepted_and_checked_again_when_sending(strict):
    assert url_check("https://hooks.invalid/x") == "https://hooks.invalid/x"
    with pytest.raises(UrlRefused, match="could not be resolved"):
        target_for("https://hooks.invalid/x")


@pytest.mark.parametrize(("url", "message"), [
    ("https://user:pw@93.184.215.14/x", "user name or password"),
    ("https://93.184.215.14/x#part", "fragment"),
    ("ftp://93.184.215.14/x", "https://"),
    ("https:///x", "host"),
    ("https://93.184.215.14:99999/x", "port"),
])
def test_malformed_urls_are_refused_with_a_reason(strict, auth_client, url, message):
    response = auth_client.post(URL, {"url": url}, format="json")

    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_a_request_to_an_internal_address_is_refused_when_sending_and_nothing_arrives(
        user, receiver, settings, django_capture_on_commit_callbacks):
    """An endpoint accepted under local development's switches, or whose name now resolves inside: each
    attempt checks again, and the loopback receiver never hears from us."""
    endpoint, _ = endpoint_for(user, receiver.url())
    settings.WEBHOOK_ALLOW_PRIVATE = False

    with django_capture_on_commit_callbacks(execute=True):
        endpoint_ping(endpoint=endpoint)

    assert receiver.requests == []
    attempt = WebhookAttempt.objects.get(delivery__endpoint=endpoint)
    assert attempt.outcome == "failed"
    assert attempt.error.startswith("Refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address")


def test_the_request_goes_to_the_checked_address_under_the_url_host_name(
        user, settings, django_capture_on_commit_callbacks):
    """`localhost` is resolved once; the connection is made to that address and the name is sent as Host."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    first = target_for("http://localhost/").address
    receiver = Receiver(host=str(first)).start()
    try:
        endpoint, secret = endpoint_for(user, f"http://localhost:{receiver.port}/hooks?source=test")
        with django_capture_on_commit_callbacks(execute=True):
            endpoint_ping(endpoint=endpoint)
    finally:
        receiver.stop()

    (received,) = receiver.requests
    assert received.headers["host"] == f"localhost:{receiver.port}"
    assert received.path == "/hooks?source=test"
    received.verify(secret)


def test_an_ipv6_loopback_receiver_is_reached_when_private_addresses_are_allowed(
        user, django_capture_on_commit_callbacks):
    receiver = Receiver(host="::1").start()
    try:
        endpoint, secret = endpoint_for(user, receiver.url())
        with django_capture_on_commit_callbacks(execute=True):
            endpoint_ping(endpoint=endpoint)
    finally:
        receiver.stop()

    (received,) = receiver.requests
    assert received.event["type"] == "ping"
    received.verify(secret)
