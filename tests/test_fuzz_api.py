"""Schemathesis over every operation of /v1/schema, authenticated, through the WSGI application: no 5xx, and
every response matches the schema (status code, content type, body).

Ids in paths are real records, so the fuzzed bodies reach the code behind them: a session with a coding
question on the table (its /run and /answers run candidates' code in the sandbox), a finished session
with answers, feedback and a report to share, a published question. Each operation is its own test with
its own user, so one operation's logout or deleted account cannot blind the others. Examples are
bounded and derandomised (docs/security.md, "Fuzzing"), keeping the suite fast and every run alike.
"""

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tokens import login_start
from questionbank.models import Question
from tests.accounts.factories import UserFactory
from tests.interviews.helpers import next_question, pin_plan, start
from tests.pages.factories import finished_session

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations on the finished session; the others get the session with a coding question presented.
FINISHED_SESSION_PATHS = ("/transcript.pdf", "/share", "/answers/{answer_id}")

pytestmark = pytest.mark.django_db


# Loaded when the module is collected (the schema view needs no database); schemathesis's lazy
# from_fixture loader does not run under pytest 9.
schema = schemathesis.openapi.from_wsgi("/v1/schema", get_wsgi_application())
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, deterministic=True, database="none")


@pytest.fixture
def in_test_transaction():
    """Requests run in this thread, inside the test's transaction, as Django's test client runs them: the
    WSGI handler must not close the connection when a request ends (PostgreSQL's pool would open another)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings: Any, api_client: Any) -> dict[str, Any]:
    """A candidate's token and the real ids each path parameter takes; rate limits out of the way."""
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/min")
    user = UserFactory()
    token = login_start(user=user)["accessToken"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    question = Question.objects.get(slug="merge-overlapping-intervals")
    coding = start(api_client, mode="technical", topics=["intervals"], duration=30)["session"]["sessionId"]
    pin_plan(coding, question)
    next_question(api_client, coding)
    finished = finished_session(user, score=72)  # whole-number scores, as evaluations store them
    return {
        "headers": {"Authorization": f"Bearer {token}"},
        "coding_session": coding,
        "ids": {"session_id": finished.public_id, "answer_id": finished.answers.first().public_id,
                "feedback_id": finished.feedback.public_id, "question_id": question.public_id},
    }


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_in_its_schema_and_never_5xx(case, world, in_test_transaction):
    ids = dict(world["ids"])
    if not any(part in case.operation.path for part in FINISHED_SESSION_PATHS):
        ids["session_id"] = world["coding_session"]
    case.path_parameters = {name: ids.get(name, value) for name, value in (case.path_parameters or {}).items()}

    case.call_and_validate(headers=world["headers"], checks=CHECKS)
