"""The one place that publishes interview events to the session's channel-layer group.

Every socket on a session (any tab, any Daphne process) is in the group, so an event published
here reaches all of them whichever door (REST, socket, task) caused it.
"""

import asyncio
import json
import logging
import os
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import transaction

from .models import Answer, InterviewSession, SessionQuestion
from .selectors import answer_related, question_presented
from .serializers import AnswerResultOutput, QuestionPresentedEventOutput

log = logging.getLogger("cloudinterview.realtime")


def group_name(session_public_id: str) -> str:
    return f"interview.{session_public_id}"


def event(event_type: str, data: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
    """The wire form of a server event: `{"type", "data"}` with `requestId` beside them when known."""
    message: dict[str, Any] = {"type": event_type, "data": data}
    if request_id:
        message["requestId"] = request_id
    return message


_publisher: tuple[int, asyncio.AbstractEventLoop] | None = None
_publisher_lock = threading.Lock()


def publisher_loop() -> asyncio.AbstractEventLoop:
    """This process's event loop for publishing, running in a thread of its own.

    `async_to_sync` in a thread without a loop (a Celery worker, gunicorn) made a new loop, a new thread and a
    new Redis connection for every event, then closed them: half of an evaluation task's time went there, and
    one worker fell behind 1,000 interviews answering (docs/benchmarks.md, "Live interview"). A forked worker
    process starts its own.
    """
    global _publisher
    with _publisher_lock:
        if _publisher is None or _publisher[0] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="realtime-publisher", daemon=True).start()
            _publisher = (os.getpid(), loop)
        return _publisher[1]


def group_message(payload: dict[str, Any], *, exclude: str | None = None) -> dict[str, Any]:
    """An event as the group carries it: already JSON, encoded once here rather than by each of the session's
    sockets (1,000 sockets on a session were 1,000 encodings of each event in Daphne's one loop). `exclude`: a
    channel that must not receive it (a relayed typing's sender)."""
    message = {"type": "interview.event", "text": json.dumps(payload)}
    if exclude is not None:
        message["exclude"] = exclude
    return message


def _send(session_public_id: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = group_message(payload)
    try:
        if isinstance(layer, InMemoryChannelLayer):  # its queues belong to the server's own loop
            async_to_sync(layer.group_send)(group_name(session_public_id), message)
        else:
            asyncio.run_coroutine_threadsafe(layer.group_send(group_name(session_public_id), message),
                                             publisher_loop()).result(timeout=settings.WS_REDIS_POOL_TIMEOUT + 5)
    except Exception:  # noqa: BLE001 - a lost notification must never fail the interview itself
        log.exception("could not publish %s to %s", payload.get("type"), session_public_id)


def publish(session_public_id: str, event_type: str, data: dict[str, Any], request_id: str | None = None) -> None:
    """Publish after the surrounding transaction commits, so listeners never see unsaved state."""
    payload = event(event_type, data, request_id)
    transaction.on_commit(lambda: _send(session_public_id, payload))


def publish_question_presented(*, session: InterviewSession, slot: SessionQuestion | None,
                               request_id: str | None = None) -> None:
    """`question_presented`: the question and the plan's progress, or, with the plan used up, question null and
    nextAction complete (as REST's `questions/next`)."""
    presented = question_presented(session=session, slot=slot)
    publish(session.public_id, "question_presented", QuestionPresentedEventOutput(presented).data, request_id)


def publish_answer_evaluated(*, answer_pk: int, request_id: str | None = None) -> None:
    """`answer_evaluated` (the 201 answer body without `success`), then the interviewer stops typing."""
    publish_answer_result(answer_related(Answer.objects.filter(pk=answer_pk)).get(), request_id=request_id)


def publish_answer_result(answer: Answer, *, request_id: str | None = None) -> None:
    """As publish_answer_evaluated, from an answer already read with `answer_related`."""
    publish(answer.session.public_id, "answer_evaluated", AnswerResultOutput(answer).data, request_id)
    publish(answer.session.public_id, "typing_indicator", {"isTyping": False, "userId": "ai_interviewer"}, request_id)
