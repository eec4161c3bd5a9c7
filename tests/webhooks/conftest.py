"""Webhook fixtures: a real receiver on 127.0.0.1, endpoints pointing at it, short timeouts."""

import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    """Local development's switches (a plain-HTTP receiver on loopback) and a sub-second timeout."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.WEBHOOK_MAX_ATTEMPTS = 11


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()
