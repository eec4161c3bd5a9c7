"""`questionId` on an answer (docs/api.md, "Answering the right prompt"): the prompt it answers, so a resent answer
is refused instead of becoming the follow-up's answer."""

import pytest

from interviews.models import Answer
from tests.interviews.helpers import answer, next_question, pin_plan, pinned_theory_question, start, strong_answer_for

pytestmark = pytest.mark.django_db

FOLLOW_UP_ANSWER = "A checkpoint flushes dirty pages so replay starts from the last checkpoint, bounding redo time."


@pytest.fixture
def presented(auth_client) -> tuple[str, str, str]:
    """(sessionId, questionId, a strong answer) with the pinned question presented."""
    question = pinned_theory_question(category="zz prompt")
    session_id = start(auth_client, includeCoding=False, topics=["zz prompt"], duration=10)["session"]["sessionId"]
    pin_plan(session_id, question)
    presented = next_question(auth_client, session_id)
    return session_id, presented["question"]["questionId"], strong_answer_for(question)


def test_the_presented_question_id_answers_it_and_the_follow_up_gets_an_id_of_its_own(auth_client, presented):
    session_id, question_id, text = presented

    first = answer(auth_client, session_id, answerText=text, questionId=question_id)

    assert first.status_code == 201
    assert first.json()["answer"]["questionId"] == question_id
    assert first.json()["answer"]["isFollowUp"] is False
    assert first.json()["nextAction"]["type"] == "follow_up"
    assert first.json()["nextAction"]["questionId"] == f"{question_id}-followup"
    assert first.json()["nextAction"]["isFollowUp"] is True


def test_a_resent_answer_with_the_questions_id_is_409_and_never_answers_the_follow_up(auth_client, presented):
    session_id, question_id, text = presented
    answer(auth_client, session_id, answerText=text, questionId=question_id)

    resent = answer(auth_client, session_id, answerText=text, questionId=question_id)

    assert resent.status_code == 409
    error = resent.json()["error"]
    assert error["code"] == "INVALID_STATE"
    assert error["details"]["field"] == "questionId"
    assert f"{question_id}-followup" in error["message"]
    assert Answer.objects.filter(session__public_id=session_id).count() == 1
    assert not Answer.objects.filter(session__public_id=session_id, is_follow_up=True).exists()


def test_the_follow_ups_id_answers_the_follow_up(auth_client, presented):
    session_id, question_id, text = presented
    follow_up_id = answer(auth_client, session_id, answerText=text).json()["nextAction"]["questionId"]

    second = answer(auth_client, session_id, answerText=FOLLOW_UP_ANSWER, questionId=follow_up_id)

    assert second.status_code == 201
    assert second.json()["answer"]["isFollowUp"] is True
    assert second.json()["answer"]["questionId"] == question_id
    assert "questionId" not in second.json()["nextAction"]


def test_the_follow_ups_id_is_refused_while_the_question_itself_awaits(auth_client, presented):
    session_id, question_id, text = presented

    early = answer(auth_client, session_id, answerText=text, questionId=f"{question_id}-followup")

    assert early.status_code == 409
    assert early.json()["error"]["code"] == "INVALID_STATE"
    assert not Answer.objects.filter(session__public_id=session_id).exists()


def test_without_question_id_the_current_prompt_is_answered_as_before(auth_client, presented):
    session_id, _, text = presented

    assert answer(auth_client, session_id, answerText=text).status_code == 201
    assert answer(auth_client, session_id, answerText=FOLLOW_UP_ANSWER).json()["answer"]["isFollowUp"] is True


def test_an_over_long_question_id_is_a_400(auth_client, presented):
    session_id, _, text = presented

    response = answer(auth_client, session_id, answerText=text, questionId="q_" + "0" * 80)

    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "questionId"
