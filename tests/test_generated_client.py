"""A whole interview driven by a Python client generated from the live schema (openapi-python-client), against a real
Daphne, as an outside client author would: register, start a session, answer a theory and a coding question,
complete, read the report, download the PDF, share, log out. Only the generated functions and models are used, and
the client raises on any status the schema does not declare (docs/api.md, "The schema")."""

import importlib
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.daphne import daphne, server_env

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = Path(__file__).parent / "clients" / "python-client.yaml"
PACKAGE = "cloudinterview_client"
MAX_QUESTIONS = 8  # the plan's questions and follow-ups: a bound, not the expected count
POLL_SECONDS = 30


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with daphne(server_env(request, tmp_path), "daphne-client.log") as url:
        yield url


@pytest.fixture
def generated(server: str, tmp_path: Path) -> Iterator[Callable[[str], ModuleType]]:
    """The client generated from the document this server serves; `generated("api.auth.auth_login")` imports one
    of its modules."""
    schema = tmp_path / "schema.yaml"
    schema.write_bytes(httpx.get(f"{server}/v1/schema", timeout=30).raise_for_status().content)
    generator = Path(sys.executable).parent / "openapi-python-client"
    subprocess.run([generator, "generate", "--path", schema, "--config", CONFIG, "--output-path",
                    tmp_path / PACKAGE, "--meta", "none", "--fail-on-warning"], check=True, capture_output=True)
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}" if name else PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _eventually(fetch: Callable[[], Any], done: Callable[[Any], bool]) -> Any:
    deadline = time.monotonic() + POLL_SECONDS
    while not done(result := fetch()):
        assert time.monotonic() < deadline, f"still not done after {POLL_SECONDS}s: {result}"
        time.sleep(0.5)
    return result


class Interview:
    """The candidate's side, through the generated client only."""

    def __init__(self, generated: Callable[[str], ModuleType], server: str) -> None:
        self.server = server
        self.package = generated("")
        self.api = lambda name: generated(f"api.{name}")
        self.models = generated("models")
        self.anonymous = self.package.Client(base_url=server, raise_on_unexpected_status=True)
        self.client = None

    def register(self) -> Any:
        m = self.models
        body = m.RegisterInputRequest(email=f"client-{uuid.uuid4().hex[:8]}@example.com",
                                      password="analytical-engine-42", name="Ada Lovelace")
        registered = self.api("auth.auth_register").sync(client=self.anonymous, body=body)
        assert isinstance(registered, m.AuthResponse), registered
        self.client = self.package.AuthenticatedClient(base_url=self.server, token=registered.tokens.access_token,
                                                       raise_on_unexpected_status=True)
        return registered

    def answer(self, session_id: str, question: Any, prompt_id: str) -> Any:
        """Answer one prompt (code for a coding question, text otherwise), waiting out a 202."""
        m = self.models
        if question.type_ == m.QuestionTypeEnum.CODING and prompt_id == question.question_id:
            code = question.starter_code["python"]
            body = m.AnswerInputRequest(question_id=prompt_id, code_submission=m.CodeSubmissionInputRequest(
                language=m.LanguageEnum.PYTHON, code=code, approach_explanation="Start from the signature."))
        else:
            body = m.AnswerInputRequest(question_id=prompt_id, answer_text="A hash map gives O(1) lookups on "
                                        "average; I would check the edge cases (empty input, duplicates) first.")
        sent = self.api("sessions.sessions_answers_create").sync_detailed(
            session_id, client=self.client, body=body, idempotency_key=str(uuid.uuid4()))
        assert sent.status_code in (201, 202), sent
        assert isinstance(sent.parsed, m.AnswerResponse), sent
        return _eventually(lambda: self.api("sessions.sessions_answers_retrieve").sync(
            session_id, sent.parsed.answer.answer_id, client=self.client),
            lambda a: a.answer.status != m.AnswerStatusEnum.EVALUATING)

    def answer_every_question(self, session_id: str) -> dict[Any, Any]:
        """Each question of the plan in turn, and its follow-up when there is one; the first answer of each type."""
        answered: dict[Any, Any] = {}
        for _ in range(MAX_QUESTIONS):
            presented = self.api("sessions.sessions_questions_next").sync(session_id, client=self.client)
            if presented.question is None:
                return answered
            result = self.answer(session_id, presented.question, presented.question.question_id)
            answered.setdefault(presented.question.type_, result)
            if result.next_action.type_ == self.models.NextActionTypeEnum.FOLLOW_UP:
                self.answer(session_id, presented.question, result.next_action.question_id)
        raise AssertionError(f"more than {MAX_QUESTIONS} questions")


def test_a_whole_interview_through_the_generated_client(generated, server):
    interview = Interview(generated, server)
    m = interview.models
    api = interview.api
    registered = interview.register()
    client = interview.client
    languages = api("languages.languages_list").sync(client=interview.anonymous)

    created = api("sessions.sessions_create").sync(client=client, body=m.SessionCreateInputRequest(
        mode=m.ModeEnum.TECHNICAL, include_coding=True, language=m.RunnableLanguageEnum.PYTHON))
    session_id = created.session.session_id
    answered = interview.answer_every_question(session_id)
    completed = api("sessions.sessions_complete").sync_detailed(session_id, client=client)
    feedback_id = completed.parsed.feedback.feedback_id
    report = _eventually(lambda: api("feedback.feedback_retrieve").sync(feedback_id, client=client),
                         lambda r: r.feedback.status == m.FeedbackStatusEnum.READY)
    pdf = api("sessions.sessions_transcript_pdf").sync(session_id, client=client)
    shared = api("sessions.sessions_share_create").sync(session_id, client=client)
    logged_out = api("auth.auth_logout").sync(client=client, body=m.LogoutInputRequest())
    refused = api("users.users_me_retrieve").sync_detailed(client=client)

    assert registered.user.email.endswith("@example.com")
    assert m.RunnableLanguageEnum.PYTHON in [language.language for language in languages.languages]
    assert isinstance(created, m.SessionCreatedResponse)
    assert created.session.status == m.SessionStatusEnum.PENDING
    assert {m.QuestionTypeEnum.THEORY, m.QuestionTypeEnum.CODING} <= set(answered)
    assert answered[m.QuestionTypeEnum.THEORY].answer.scores.correctness >= 0
    assert answered[m.QuestionTypeEnum.CODING].answer.test_results.total >= 1
    assert completed.status_code in (200, 202)
    assert isinstance(completed.parsed, m.CompleteResponse)
    assert completed.parsed.session.status == m.SessionStatusEnum.COMPLETED
    assert report.feedback.session_id == session_id
    assert report.feedback.overall_score is not None
    assert pdf.payload.read().startswith(b"%PDF")
    assert shared.shareable_link.startswith(server)
    assert isinstance(logged_out, m.OkResponse)
    assert refused.status_code == 401
    assert refused.parsed.error.code == m.ErrorCodeEnum.INVALID_TOKEN  # the login it was issued for has ended
    for body in (registered, created, report, completed.parsed, shared):
        assert body.additional_properties == {}, "a key the schema does not document"
