"""A real Celery worker on Redis, killed mid-evaluation: the task comes back and is evaluated exactly once."""

import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from interviews.models import Answer, InterviewerResponse
from interviews.services.flow import answer_submit, question_next
from interviews.services.planning import session_start
from questionbank.models import Question
from tests.accounts.factories import UserFactory
from tests.interviews.helpers import pinned_theory_question
from tests.processes import server_database_url, spawn, stop, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
                       reason="needs Redis and PostgreSQL (REDIS_URL, DATABASE_URL)"),
]


class SlowModel(BaseHTTPRequestHandler):
    """Stands in for the model's HTTP API on loopback: the first call hangs (the worker dies during it),
    later calls fail fast, so the provider falls back to the offline evaluator."""

    calls = 0
    first_call = threading.Event()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        type(self).calls += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if type(self).calls == 1:
            type(self).first_call.set()
            time.sleep(30)
            return
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"type":"error","error":{"type":"api_error","message":"down"}}')

    def log_message(self, *args: object) -> None:
        return


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
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowModel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    model_url = f"http://127.0.0.1:{server.server_address[1]}"
    question = pinned_theory_question(category="zz recovery")
    session = session_start(user=UserFactory(), mode="technical", include_coding=False, topics=["zz recovery"],
                            duration=10)
    question_next(session=session)
    first = start_worker(model_url, queue)
    try:
        answer, _ = answer_submit(session=session, text="The log is written before the data page; replay redoes.")
        assert SlowModel.first_call.wait(timeout=60), "the worker never started evaluating"

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
