"""Driving webhooks in tests: endpoints for a receiver, and interviews whose events they receive."""

from collections.abc import Sequence

from accounts.models import User
from feedback.services import session_complete
from interviews.models import InterviewSession
from interviews.services.flow import answer_submit, question_next
from interviews.services.planning import session_start
from tests.interviews.helpers import pinned_theory_question
from webhooks.models import WebhookEndpoint
from webhooks.services.endpoints import endpoint_create

ALL_EVENTS = ("session.completed", "feedback.ready", "answer.evaluated")


def endpoint_for(user: User, url: str, events: Sequence[str] = ALL_EVENTS) -> tuple[WebhookEndpoint, str]:
    return endpoint_create(user=user, url=url, events=list(events))


def interview(user: User, capture, *, complete: bool = True) -> InterviewSession:
    """A one-question interview driven through the real services with eager tasks; every on-commit callback
    (webhook deliveries included) runs as it would after a real commit."""
    pinned_theory_question(category="zz webhooks", follow_ups=0)
    with capture(execute=True):
        session = session_start(user=user, mode="technical", include_coding=False, topics=["zz webhooks"],
                                duration=10)
    with capture(execute=True):
        question_next(session=session)
    with capture(execute=True):
        answer_submit(session=session, text="The log is written before the data page; recovery replays it after "
                                            "a crash.")
    if complete:
        with capture(execute=True):
            session_complete(session=session)
    session.refresh_from_db()
    return session
