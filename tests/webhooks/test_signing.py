"""Our signatures and secrets against the standardwebhooks package, and the documented retry schedule."""

import base64
import random
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from webhooks.services.delivery import retry_delay
from webhooks.signing import secret_new, signature, signed_headers


def test_secrets_are_whsec_and_base64_of_32_random_bytes():
    secrets = {secret_new() for _ in range(50)}

    assert len(secrets) == 50
    for secret in secrets:
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32


def test_a_signature_equals_the_reference_librarys():
    secret = secret_new()
    body = '{"type":"ping","version":1,"data":{"message":"héllo"}}'
    moment = datetime(2026, 1, 20, 15, 30, tzinfo=UTC)

    ours = signature(secret=secret, msg_id="msg_abc", timestamp=int(moment.timestamp()), body=body.encode())

    assert ours == Webhook(secret).sign("msg_abc", moment, body)


def test_headers_carry_one_signature_per_secret_each_verifiable():
    old, new = secret_new(), secret_new()
    body = b'{"type":"ping"}'
    now = int(datetime.now(UTC).timestamp())

    headers = signed_headers(secrets_in_use=[new, old], msg_id="msg_1", timestamp=now, body=body)

    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == str(now)
    assert [s.split(",")[0] for s in headers["webhook-signature"].split(" ")] == ["v1", "v1"]
    assert Webhook(old).verify(body, headers) == {"type": "ping"}
    assert Webhook(new).verify(body, headers) == {"type": "ping"}


def test_the_default_schedule_spans_about_a_day_with_jitter(settings):
    """docs/webhooks.md: 10 attempts after the first, 10 s x 3^n capped at 8 h, each +/-20%."""
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS = 8 * 3600
    nominal = [10, 30, 90, 270, 810, 2430, 7290, 21870, 28800, 28800]

    for attempt, expected in enumerate(nominal, start=1):
        delays = [retry_delay(attempt, rng=random.Random(seed)) for seed in range(200)]  # noqa: S311
        assert min(delays) >= expected * 0.8
        assert max(delays) <= expected * 1.2
        assert max(delays) - min(delays) > expected * 0.2  # jitter really spreads them
    assert 24 * 3600 < sum(nominal) < 26 * 3600
