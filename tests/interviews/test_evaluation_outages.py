"""A backing service failing while an answer is evaluated (found under load: SQLite's write lock timed out in
`make run` at 200 candidates). The answer is stored before its evaluation starts, so the request must never
say it failed: it answers 202, the answer waits `evaluating`, and the stalled-evaluation sweep queues it again
once the service is back. (On a worker the task first retries with backoff: tests/test_tasks_config.py.)"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from interviews.models import Answer, InterviewerResponse
from interviews.services.evaluation import STALLED_REQUEUE_WINDOW
from interviews.tasks import requeue_stalled_evaluations
from tests.interviews.helpers import answer, next_question, pinned_theory_question, start

TEXT = "The log is written before the data page; after a crash, recovery replays it from the last checkpoint."


class FailingWrites:
    """A database fault: the evaluation's write of the answer fails `times` times, as when the database goes away
    or SQLite's write lock is not had within its timeout."""

    def __init__(self, times: int) -> None:
        self.left = times
        self.failed = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if self.left and sql.startswith('UPDATE "interviews_answer" SET "status"'):
            self.left -= 1
            self.failed += 1
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)


@pytest.fixture
def on_the_question(auth_client) -> str:
    pinned_theory_question(category="zz outage")
    session_id = start(auth_client, includeCoding=False, topics=["zz outage"], duration=10)["session"]["sessionId"]
    next_question(auth_client, session_id)
    return session_id


def test_an_outage_during_evaluation_keeps_the_answer_and_the_sweep_evaluates_it(auth_client, on_the_question,
                                                                                 settings):
    fault = FailingWrites(times=100)
    with connection.execute_wrapper(fault):
        response = answer(auth_client, on_the_question, answerText=TEXT)

    # Stored, not lost, and not reported as a failed request: 202, still evaluating, at its Location.
    assert response.status_code == 202, response.content
    body = response.json()["answer"]
    assert body["status"] == "evaluating"
    assert fault.failed >= 1
    assert auth_client.get(response["Location"]).json()["answer"]["status"] == "evaluating"
    # A retry of the same answer is refused: the prompt is answered (nothing is recorded twice).
    assert answer(auth_client, on_the_question, answerText=TEXT).status_code == 409

    # The outage is over. Not yet stalled: the sweep leaves it; past EVALUATION_STALL_SECONDS it queues it again.
    assert requeue_stalled_evaluations.apply().get() == 0
    Answer.objects.filter(public_id=body["answerId"]).update(
        submitted_at=timezone.now() - timedelta(seconds=settings.EVALUATION_STALL_SECONDS + 1))
    assert requeue_stalled_evaluations.apply().get() == 1

    evaluated = auth_client.get(response["Location"]).json()["answer"]
    assert evaluated["status"] == "evaluated"
    assert evaluated["scores"]
    assert InterviewerResponse.objects.filter(answer__public_id=body["answerId"]).count() == 1
    assert requeue_stalled_evaluations.apply().get() == 0


def test_the_sweep_gives_up_on_an_answer_stalled_for_longer_than_its_window(auth_client, on_the_question,
                                                                           settings):
    with connection.execute_wrapper(FailingWrites(times=100)):
        body = answer(auth_client, on_the_question, answerText=TEXT).json()["answer"]
    stalled = Answer.objects.filter(public_id=body["answerId"])
    stalled.update(submitted_at=timezone.now() - timedelta(seconds=settings.EVALUATION_STALL_SECONDS)
                   - STALLED_REQUEUE_WINDOW - timedelta(minutes=1))

    assert requeue_stalled_evaluations.apply().get() == 0
    assert stalled.get().status == "evaluating"
