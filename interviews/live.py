"""The live interview's doors onto the services, for the consumer: plain values in, plain dicts out.

Each call runs in the sockets' thread pool and calls the same service, with the same validation and rate
budget, as its REST door in interviews/apis.py, so the socket and REST cannot drift apart. Results
reach sockets as events published to the session's group by the services and tasks; failures come
back as `LiveError`, carrying REST's error code and message. `complete` is feedback's (feedback/live.py).
"""

import math
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from accounts.models import Login, User
from cloudinterview.api.exceptions import describe_error, error_body
from cloudinterview.api.responses import validated
from cloudinterview.api.throttling import rate_check, user_ident
from cloudinterview.handshake import off_sync_thread

from .serializers import AnswerInput, SessionStateOutput, answer_fields
from .services.flow import answer_submit, question_next, session_for_user, session_snapshot

P = ParamSpec("P")
R = TypeVar("R")


class LiveError(Exception):
    """A refused call, as the `error` event's data: REST's `error` object (code, message, details, timestamp)."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.data = error_body(code, message, details)["error"]


def _as_live_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn any failure of `func` into a LiveError with REST's code and message."""

    @wraps(func)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except LiveError:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped exactly as REST maps it (and logged when unexpected)
            error = describe_error(exc, f"the live interview's {func.__name__}")
            raise LiveError(error.code, error.message, error.details) from exc

    return call


def door(func: Callable[P, R]) -> Callable[P, Any]:
    """A call in the socket's thread pool (cloudinterview.handshake), not Django's one sync thread: 1,000
    interviews answering at a steady rate queued there one action at a time (docs/benchmarks.md, "Live
    interview"). Order needs no single thread: one socket's actions run one after another (the consumer's
    lock) and a session's transitions lock its row."""
    return off_sync_thread(_as_live_errors(func))


@door
def session_state(*, user: User, session_id: str) -> dict[str, Any]:
    """The `session_state` snapshot; NOT_FOUND for an unknown session or another user's."""
    return SessionStateOutput(session_snapshot(user=user, session_id=session_id)).data


@door
def check_action(*, user: User, login_sid: str | None) -> None:
    """Before each interview action: the token's login is still live (a logout ends the socket's rights as it
    ends the token's), and one hit on the user's sessions budget, shared with REST (docs/api.md, "Rate limits")."""
    if login_sid is not None and not Login.objects.filter(sid=login_sid, revoked_at__isnull=True).exists():
        raise LiveError("INVALID_TOKEN", "This login has ended; connect again with a fresh token.")
    wait = rate_check("sessions", user_ident(user.public_id))
    if wait is not None:
        raise LiveError("RATE_LIMITED", f"Too many requests; retry in {math.ceil(wait)} s.")


@door
def next_question(*, user: User, session_id: str, request_id: str | None) -> None:
    """As POST questions/next; `question_presented` follows on the group."""
    question_next(session=session_for_user(user=user, session_id=session_id), request_id=request_id)


@door
def submit_answer(*, user: User, session_id: str, data: Any, request_id: str | None) -> None:
    """As POST answers, without waiting: `typing_indicator` now, `answer_evaluated` when the task is done."""
    fields = answer_fields(validated(AnswerInput, data))
    answer_submit(session=session_for_user(user=user, session_id=session_id), request_id=request_id, **fields)
