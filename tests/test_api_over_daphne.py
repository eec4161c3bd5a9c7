"""The API's conventions through a real Daphne, where the middleware runs its async path: request ids, rate-limit
headers and idempotent replays on the wire, and a socket authenticated by its Authorization header."""

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from tests.daphne import daphne, server_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with daphne(server_env(request, tmp_path), "daphne-api.log") as url:
        yield url


async def first_event(url: str, token: str) -> dict:
    async with websockets.connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        return json.loads(await asyncio.wait_for(ws.recv(), timeout=10))


def test_conventions_on_the_wire(server):
    registered = httpx.post(f"{server}/v1/auth/register", json={"email": "wire@example.com",
                                                               "password": "analytical-engine-42"}, timeout=30)
    token = registered.json()["tokens"]["accessToken"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4()), "X-Request-Id": "wire-1"}

    created = [httpx.post(f"{server}/v1/api/sessions", json={"mode": "behavioral"}, headers=headers, timeout=30)
               for _ in range(2)]
    event = asyncio.run(first_event(
        f"{server.replace('http', 'ws', 1)}/v1/interviews/{created[0].json()['session']['sessionId']}", token))

    assert registered.headers["X-Request-Id"]
    assert registered.headers["RateLimit-Limit"] == "5"
    assert [r.status_code for r in created] == [201, 201]
    assert created[1].json() == created[0].json()
    assert created[1].headers["Idempotent-Replayed"] == "true"
    assert [r.headers["X-Request-Id"] for r in created] == ["wire-1", "wire-1"]
    assert created[0].headers["RateLimit-Remaining"] == "59"
    assert event["type"] == "session_state"
