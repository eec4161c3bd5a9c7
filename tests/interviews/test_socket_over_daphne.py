"""The live socket through a real Daphne: what clients see on the wire, where the ASGI test communicator
cannot tell (Daphne's WebSocket layer decides which close codes leave the server)."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.daphne import daphne, server_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with daphne(server_env(request, tmp_path), "daphne-socket.log") as url:
        yield url


def post(url: str, body: dict, token: str | None = None) -> dict:
    response = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"} if token else {}, timeout=30)
    response.raise_for_status()
    return response.json()


def socket_url(server: str) -> str:
    """A new candidate's session, as a token socket URL."""
    token = post(f"{server}/v1/auth/register", {"email": "frames@example.com",
                                                "password": "analytical-engine-42"})["tokens"]["accessToken"]
    session_id = post(f"{server}/v1/api/sessions", {"mode": "behavioral"}, token)["session"]["sessionId"]
    return f"{server.replace('http', 'ws', 1)}/v1/interviews/{session_id}?token={token}"


async def reply_to(url: str, frame: str) -> dict | int:
    """The first event after `frame`, or the close code when the server closes instead."""
    async with websockets.connect(url, max_size=None) as ws:
        assert json.loads(await ws.recv())["type"] == "session_state"
        try:
            await ws.send(frame)
            return json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        except ConnectionClosed:
            return ws.close_code


def test_oversized_frames_close_with_1009_not_1011(server):
    url = socket_url(server)

    codes = [asyncio.run(reply_to(url, json.dumps({"type": "ping", "data": {"pad": "x" * size}})))
             for size in (300 * 1024, 1_000_000)]

    assert codes == [1009, 1009]


def test_a_deeply_nested_frame_gets_an_error_event(server):
    url = socket_url(server)

    event = asyncio.run(reply_to(url, "[" * 100_000))

    assert isinstance(event, dict), f"closed with {event}"
    assert event["type"] == "error"
    assert event["data"]["code"] == "VALIDATION_ERROR"


def test_a_socket_without_credentials_or_origin_closes_with_4401(server):
    url = socket_url(server).split("?")[0]

    async def close_code() -> int | None:
        async with websockets.connect(url) as ws:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), timeout=10)
            return ws.close_code

    assert asyncio.run(close_code()) == 4401
