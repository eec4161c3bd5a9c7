"""Scores are null, never a false 0, while answers are still being evaluated (docs/api.md, "Evaluation is
asynchronous"): completing a session with an evaluation pending leaves them for the report's task to compute."""

import pytest
from django.db import transaction

from interviews.models import Answer, AnswerStatus, InterviewSession, SessionQuestion
from interviews.services.completion import session_scores_store
from interviews.services.flow import question_next, session_close
from interviews.services.planning import session_start
from tests.interviews.helpers import pinned_theory_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(user) -> InterviewSession:
    pinned_theory_question(category="zz pending")
    session = session_start(user=user, mode="technical", include_coding=False, topics=["zz pending"], duration=10)
    question_next(session=session)
    return session


def test_completing_with_an_evaluation_pending_leaves_the_scores_null(running):
    Answer.objects.create(session=running, slot=SessionQuestion.objects.get(session=running), text="A WAL entry.",
                          status=AnswerStatus.EVALUATING)

    with transaction.atomic():
        session_close(session=running)

    stored = InterviewSession.objects.get(pk=running.pk)
    assert (stored.overall_score, stored.accuracy, stored.communication_score, stored.problem_solving_score) == (
        None, None, None, None)
    Answer.objects.filter(session=running).update(status=AnswerStatus.EVALUATED, scores={
        "completeness": 60, "correctness": 60, "communication": 60})
    assert session_scores_store(session=stored).overall is not None


def test_completing_with_nothing_pending_stores_the_scores(running):
    with transaction.atomic():
        session_close(session=running)

    assert InterviewSession.objects.get(pk=running.pk).overall_score == 0.0  # the question was skipped: 0 is true
