"""A real Celery worker on Redis, killed mid-evaluation: the task comes back and is evaluated exactly once."""

import os
import subprocess
import sys
import uuid

import pytest

from interviews.models import Answer, InterviewerResponse
from interviews.services.flow import answer_submit, question_next
from interviews.services.planning import session_start
from questionbank.models import Question
from tests.accounts.factories import UserFactory
from tests.interviews.helpers import pinned_theory_question
from tests.processes import hanging_model, server_database_url, spawn, stop, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                       reason="needs Redis and PostgreSQL (REDIS_URL, DATABASE_URL)"),
]


def start_worker(model_url: str, queue: str) -> subprocess.Popen:
    env = {
        "DATABASE_URL": server_database_url(),  # the test database, not the `test` database itself
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "AI_PROVIDER": "anthropic",
        "ANTHROPIC_API_KEY": "test-key",
        "ANTHROPIC_BASE_URL": model_url,
        "LOG_LEVEL": "WARNING",
        "CELERY_QUEUE": queue,
    }
    return spawn([sys.executable, "-m", "celery", "-A", "cloudinterview", "worker", "-Q", queue, "--concurrency", "1",
                  "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"recovery-{os.getpid()}@%h"],
                 env)


def test_a_killed_worker_loses_nothing_and_the_retry_does_not_double_count(committed_bank, settings):
    queue = settings.CELERY_TASK_DEFAULT_QUEUE = f"recovery-{uuid.uuid4().hex[:8]}"  # no other worker takes it
    server, first_call = hanging_model()
    model_url = f"http://127.0.0.1:{server.server_address[1]}"
    question = pinned_theory_question(category="zz recovery")
    session = session_start(user=UserFactory(), mode="technical", include_coding=False, topics=["zz recovery"],
                            duration=10)
    question_next(session=session)
    first = start_worker(model_url, queue)
    try:
        answer, _ = answer_submit(session=session, text="The log is written before the data page; replay redoes.")
        assert first_call.wait(timeout=60), "the worker never started evaluating"

        stop(first)  # SIGKILL mid-evaluation: the task was not acknowledged
        assert Answer.objects.get(pk=answer.pk).status == "evaluating"
        second = start_worker(model_url, queue)
        try:
            evaluated = wait_until(lambda: Answer.objects.get(pk=answer.pk).status == "evaluated", timeout=90)
        finally:
            stop(second)
    finally:
        stop(first)
        server.shutdown()

    assert evaluated
    stored = Answer.objects.get(pk=answer.pk)
    assert stored.evaluator["fallback"] is True
    assert InterviewerResponse.objects.filter(answer=stored).count() == 1
    assert Question.objects.get(pk=question.pk).attempt_count == 1
