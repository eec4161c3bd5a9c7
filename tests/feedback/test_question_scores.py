"""Per-question final scores stored on the plan rows at completion, which analytics aggregates."""

import importlib

import pytest
from django.apps import apps

from interviews.models import SessionQuestion
from tests.feedback.helpers import completed_session
from tests.interviews.helpers import answer, next_question, pinned_theory_question, start, strong_answer_for

pytestmark = pytest.mark.django_db


def test_completing_through_the_api_stores_each_questions_scores(auth_client):
    question = pinned_theory_question(category="zz stored", follow_ups=0)
    pinned_theory_question(category="zz stored", follow_ups=0)
    session_id = start(auth_client, includeCoding=False, topics=["zz stored"], duration=20)["session"]["sessionId"]
    next_question(auth_client, session_id)
    scores = answer(auth_client, session_id, answerText=strong_answer_for(question)).json()["answer"]["scores"]
    next_question(auth_client, session_id)  # presented, then left unanswered

    overall = auth_client.post(f"/v1/api/sessions/{session_id}/complete").json()["session"]["overallScore"]

    first, second = SessionQuestion.objects.filter(session__public_id=session_id).order_by("position")
    assert (first.completeness, first.correctness, first.communication) == (
        scores["completeness"], scores["correctness"], scores["communication"])
    assert first.score == pytest.approx(sum(scores.values()) / 3)
    assert (second.score, second.completeness) == (0.0, 0.0)  # skipped: 0 on every dimension
    assert overall == round((first.score + second.score) / 2, 1)


def test_the_migration_backfills_sessions_completed_before_it(user):
    session = completed_session(user, [64, None])
    SessionQuestion.objects.filter(session=session).update(score=None, completeness=None, correctness=None,
                                                           communication=None)
    migration = importlib.import_module("interviews.migrations.0002_sessionquestion_scores")

    migration.backfill_completed(apps, None)

    assert list(SessionQuestion.objects.filter(session=session).order_by("position")
                .values_list("score", "correctness")) == [(64.0, 64.0), (0.0, 0.0)]
