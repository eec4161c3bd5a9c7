"""The live interview socket, `/v1/interviews/{sessionId}` (docs/api.md, "Live interview").

A thin door: authenticate (cloudinterview.ws_auth), parse, delegate to interviews.live. It holds no
interview logic and no ORM. Interview events come from the services and tasks through the session's
group, so every socket receives them whichever process serves it and whichever door caused them;
`session_state`, `error` and `pong` go to the socket concerned only.

Client messages are `{"type", "data"?, "requestId"?}`. Close codes: 4401 no or bad credentials, 4404
unknown session or another user's, 4408 no answer to the server's `ping`, 1009 message too large.
"""

import asyncio
import contextlib
import functools
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from cloudinterview.api import strictjson
from cloudinterview.api.exceptions import error_body
from cloudinterview.api.ids import ID_CHARS, ID_MAX_LENGTH
from cloudinterview.rates import parse_rate

from . import live, realtime

log = logging.getLogger("cloudinterview.live")

Action = Callable[..., Awaitable[None]]
MESSAGE_KEYS = {"type", "data", "requestId"}
REQUEST_ID_MAX = 128
SESSION_ID = re.compile(f"^{ID_CHARS}{{1,{ID_MAX_LENGTH}}}$")  # public ids; also a valid group name


async def dispatch_in_turn(sources: list[Callable[[], Awaitable[dict[str, Any]]]],
                           dispatch: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
    """Channels' `await_many_dispatch` without its cost per message: it made a task for every receive and an
    `asyncio.wait` over all of them after every message, a third of Daphne's work per socket when one event
    went to 1,000 sockets. Here each source has one reader for the socket's life; messages are dispatched one
    at a time, in the order they came. Ends with the first reader that fails (StopConsumer included)."""
    turn = asyncio.Lock()

    async def read(source: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        while True:
            message = await source()
            async with turn:
                await dispatch(message)

    readers = [asyncio.ensure_future(read(source)) for source in sources]
    try:
        done, _ = await asyncio.wait(readers, return_when=asyncio.FIRST_EXCEPTION)
        for reader in done:
            reader.result()
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)


class BadMessage(Exception):
    """A message the socket refuses with VALIDATION_ERROR (the socket stays open)."""


class InterviewConsumer(AsyncWebsocketConsumer):
    """One socket on one session, with the interview's own actions. The socket that also completes the session
    is feedback.consumers.LiveInterviewConsumer (completing opens the report, a feedback service)."""

    doors: ClassVar[Mapping[str, Action]] = {"next_question": live.next_question,
                                             "submit_answer": live.submit_answer}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group: str | None = None
        self.last_seen = time.monotonic()
        self.socket_hits: deque[float] = deque()
        self.heartbeat: asyncio.Task | None = None
        self.actions: set[asyncio.Task] = set()
        self.action_lock = asyncio.Lock()  # one socket's actions run in the order they were sent

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
                       send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        """Channels' `AsyncConsumer.__call__`, dispatching with `dispatch_in_turn`."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
            sources.append(self.channel_receive)
        with contextlib.suppress(StopConsumer):  # the socket closed: exit cleanly
            await dispatch_in_turn(sources, self.dispatch)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' dispatch, without its `aclose_old_connections()` before every message: that is a hop to
        Django's one sync thread for each event on each socket (1,000 sockets hearing one answer were 1,000
        hops in a row). This consumer runs no ORM itself; its database work goes through the sockets' thread pool
        (interviews.live, cloudinterview.handshake), which closes its own connections."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- lifecycle ------------------------------------------------------------------------------------------

    async def connect(self) -> None:
        """Accept first, then close with 4401/4404 when refused, so the client sees the code."""
        await self.accept()
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=4401)
            return
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        if not SESSION_ID.match(self.session_id):
            await self.close(code=4404)
            return
        # Join before the snapshot: an event published meanwhile is delivered after session_state
        # (dispatch is serial), never lost.
        group = realtime.group_name(self.session_id)
        await self.channel_layer.group_add(group, self.channel_name)
        self.group = group
        try:
            state = await live.session_state(user=self.user, session_id=self.session_id)
        except live.LiveError as exc:
            await self.close(code=4404 if exc.data["code"] == "NOT_FOUND" else 1011)
            return
        await self.send_event("session_state", state)
        self.last_seen = time.monotonic()
        self.heartbeat = asyncio.create_task(self._heartbeat())

    async def disconnect(self, code: int) -> None:
        """Stop the heartbeat before leaving the group, so it cannot re-add this socket afterwards."""
        for task in (self.heartbeat, *self.actions):
            if task is not None:
                task.cancel()
        if self.heartbeat is not None:
            await asyncio.gather(self.heartbeat, return_exceptions=True)
        if self.group is not None:
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:  # noqa: BLE001 - the member then expires with the group (WS_GROUP_EXPIRY_SECONDS)
                log.warning("could not leave %s", self.group, exc_info=True)

    async def _heartbeat(self) -> None:
        """Ping a silent socket; close it if the client does not answer (any message counts).

        Each tick also refreshes the group membership, so members left by a crashed process expire.
        """
        interval, timeout = settings.WS_HEARTBEAT_SECONDS, settings.WS_HEARTBEAT_TIMEOUT_SECONDS
        while True:
            await asyncio.sleep(interval)
            try:
                await self.channel_layer.group_add(self.group, self.channel_name)
            except Exception:  # noqa: BLE001 - still a member until the group expiry; the next tick retries
                log.warning("could not refresh %s", self.group, exc_info=True)
            if time.monotonic() - self.last_seen < interval:
                continue
            pinged = time.monotonic()
            await self.send_event("ping", {})
            await asyncio.sleep(timeout)
            if self.last_seen < pinged:
                await self.close(code=4408)
                return

    # --- client messages ------------------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        self.last_seen = time.monotonic()
        size = len(text_data.encode("utf-8")) if text_data is not None else len(bytes_data or b"")
        if size > settings.WS_MAX_MESSAGE_BYTES:
            await self.close(code=1009)
            return
        request_id = None
        try:
            message = self._decode(text_data)
            request_id = self._request_id(message)
            self._check(message)
            await self._handle(message["type"], message.get("data"), request_id)
        except BadMessage as exc:
            await self.send_error("VALIDATION_ERROR", str(exc), request_id)
        except live.LiveError as exc:
            await self.send_event("error", exc.data, request_id)
            if exc.data["code"] == "INVALID_TOKEN":
                await self.close(code=4401)

    @staticmethod
    def _decode(text_data: str | None) -> dict[str, Any]:
        """A JSON object, decoded within strictjson's bounds (depth, NaN, NUL, lone surrogates)."""
        if text_data is None:
            raise BadMessage("Messages are JSON text frames.")
        try:
            message = strictjson.loads(text_data)
        except ValueError as exc:
            raise BadMessage(f"Malformed JSON: {exc}") from exc
        if not isinstance(message, dict):
            raise BadMessage("A message is a JSON object: {\"type\", \"data\", \"requestId\"}.")
        return message

    @staticmethod
    def _request_id(message: dict[str, Any]) -> str | None:
        """Read before anything else is checked, so every error the message causes can carry it."""
        request_id = message.get("requestId")
        if request_id is not None and (not isinstance(request_id, str) or len(request_id) > REQUEST_ID_MAX):
            raise BadMessage(f"requestId must be a string of at most {REQUEST_ID_MAX} characters.")
        return request_id

    def _check(self, message: dict[str, Any]) -> None:
        message_types = {*self.doors, "typing", "ping"}
        if unknown := sorted(set(message) - MESSAGE_KEYS):
            raise BadMessage(f"Unknown field(s): {', '.join(unknown)}.")
        if message.get("type") not in message_types:
            raise BadMessage(f"Unknown message type {message.get('type')!r}; expected one of "
                             f"{', '.join(sorted(message_types))}.")

    async def _handle(self, kind: str, data: Any, request_id: str | None) -> None:
        if kind in self.doors:
            if kind != "submit_answer" and data not in (None, {}):
                raise BadMessage(f"{kind} takes no data.")
            await live.check_action(user=self.user, login_sid=self.scope.get("login_sid"))
            task = asyncio.create_task(self._run_action(kind, data, request_id))
            self.actions.add(task)
            task.add_done_callback(self.actions.discard)
            return
        self._check_socket_rate()
        if kind == "ping":
            await self.send_event("pong", {}, request_id)
            return
        if not isinstance(data, dict) or set(data) != {"isTyping"} or not isinstance(data["isTyping"], bool):
            raise BadMessage('typing takes data {"isTyping": true|false}.')
        typing = realtime.event("typing_indicator", {"isTyping": data["isTyping"], "userId": self.user.public_id},
                                request_id)
        await self.channel_layer.group_send(self.group, realtime.group_message(typing, exclude=self.channel_name))

    async def _run_action(self, kind: str, data: Any, request_id: str | None) -> None:
        """Off the dispatch loop, so pings, typing and events (ai_message_delta) flow while a call runs."""
        kwargs: dict[str, Any] = {"user": self.user, "session_id": self.session_id, "request_id": request_id}
        if kind == "submit_answer":
            kwargs["data"] = data
        async with self.action_lock:
            try:
                await self.doors[kind](**kwargs)
            except live.LiveError as exc:
                await self.send_event("error", exc.data, request_id)

    def _check_socket_rate(self) -> None:
        """typing and ping: WS_SOCKET_RATE (5 per second) per socket, a sliding log kept in memory."""
        limit, window = parse_rate(settings.WS_SOCKET_RATE)
        now = time.monotonic()
        while self.socket_hits and self.socket_hits[0] <= now - window:
            self.socket_hits.popleft()
        if len(self.socket_hits) >= limit:
            raise live.LiveError("RATE_LIMITED", f"At most {limit} typing and ping messages per {window} s.")
        self.socket_hits.append(now)

    # --- server events --------------------------------------------------------------------------------------

    async def interview_event(self, message: dict[str, Any]) -> None:
        """An event published to the session's group; `exclude` keeps a relayed typing off its sender."""
        if message.get("exclude") != self.channel_name:
            await self.send(text_data=message["text"])

    async def send_event(self, event_type: str, data: dict[str, Any], request_id: str | None = None) -> None:
        await self.send(text_data=json.dumps(realtime.event(event_type, data, request_id)))

    async def send_error(self, code: str, message: str, request_id: str | None) -> None:
        """REST's `error` object (docs/api.md, "Errors"): the same code, message, details and timestamp."""
        await self.send_event("error", error_body(code, message)["error"], request_id)
