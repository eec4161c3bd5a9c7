"""Domain events: interviews and feedback say what happened without knowing who listens.

Apps depend in one direction (`interviews <- feedback <- webhooks`), so the producers of
`session.completed`, `feedback.ready` and `answer.evaluated` cannot call the webhooks app. They call
`emit` here, in the layer every app already depends on, and webhooks registers its one sink when Django
starts (`WebhooksConfig.ready`). This is not a Django signal: each producer makes one explicit call, at
the end of the transaction that makes the event true, so the sink writes its outbox rows in that same
transaction (an event exists if and only if the change committed). See docs/webhooks.md.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

log = logging.getLogger("cloudinterview.domain_events")

SESSION_COMPLETED = "session.completed"
FEEDBACK_READY = "feedback.ready"
ANSWER_EVALUATED = "answer.evaluated"


@dataclass(frozen=True)
class DomainEvent:
    """What happened, by ids only: the listener reads what it needs to describe it."""

    type: str
    user_id: int
    session_id: int
    subject_id: int  # the session, feedback or answer row the event is about


Sink = Callable[[DomainEvent], None]
_sinks: list[Sink] = []


def register_sink(sink: Sink) -> None:
    """Called once per listener at start-up; registering the same sink twice has no effect."""
    if sink not in _sinks:
        _sinks.append(sink)


def emit(event: DomainEvent) -> None:
    """Hand the event to every sink inside the caller's transaction.

    Each sink runs in its own savepoint: a listener that fails is logged and rolled back alone, so a
    notification can never undo or fail the interview change that caused it.
    """
    for sink in _sinks:
        try:
            with transaction.atomic():
                sink(event)
        except Exception:  # noqa: BLE001 - the domain change must commit whatever a listener does
            log.exception("listener %s failed on %s", getattr(sink, "__name__", sink), event.type)
