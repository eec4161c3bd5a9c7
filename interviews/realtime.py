"""The one place that publishes interview events to the session's channel-layer group.

Every socket on a session (any tab, any Daphne process) is in the group, so an event published
here reaches all of them whichever door (REST, socket, task) caused it.
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger("cloudinterview.realtime")


def group_name(session_public_id: str) -> str:
    return f"interview.{session_public_id}"


def event(event_type: str, data: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """The wire form of a server event: `{"type", "data"}` with `requestId` beside them when known."""
    message: dict[str, Any] = {"type": event_type, "data": data}
    if request_id:
        message["requestId"] = request_id
    return message


def _send(session_public_id: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(session_public_id), {"type": "interview.event", "event": payload})
    except Exception:  # noqa: BLE001 - a lost notification must never fail the interview itself
        log.exception("could not publish %s to %s", payload.get("type"), session_public_id)


def publish(session_public_id: str, event_type: str, data: dict[str, Any], request_id: str | None = None) -> None:
    """Publish after the surrounding transaction commits, so listeners never see unsaved state."""
    payload = event(event_type, data, request_id)
    transaction.on_commit(lambda: _send(session_public_id, payload))
