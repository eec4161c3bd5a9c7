"""The question bank's marks: what the candidate solved or attempted, by the rule the bank's success rate uses."""

import pytest

from interviews.models import Answer, AnswerStatus
from pages.selectors import ATTEMPTED, SOLVED, question_marks
from tests.feedback.helpers import bank_question, completed_session

pytestmark = pytest.mark.django_db


def question_ids(session) -> list[int]:
    return list(session.plan.order_by("position").values_list("question_id", flat=True))


def test_a_question_solved_once_stays_solved_after_a_worse_attempt(user):
    first = completed_session(user, [40.0, 85.0])
    completed_session(user, [85.0, 40.0])
    low_then_high, high_then_low = question_ids(first)

    assert question_marks(user=user, question_ids=[low_then_high, high_then_low]) == {
        low_then_high: SOLVED, high_then_low: SOLVED}


def test_code_that_failed_its_tests_is_attempted_whatever_its_correctness(user):
    session = completed_session(user, [90.0])
    Answer.objects.filter(session=session).update(test_results={"verdict": "wrong_answer", "passed": 1, "total": 3})

    assert question_marks(user=user, question_ids=question_ids(session)) == {question_ids(session)[0]: ATTEMPTED}


def test_follow_ups_unevaluated_answers_and_unanswered_questions_leave_no_mark(user):
    session = completed_session(user, [90.0, None])
    answered, skipped = question_ids(session)
    main = Answer.objects.get(session=session)
    Answer.objects.filter(pk=main.pk).update(status=AnswerStatus.EVALUATING)
    Answer.objects.create(session=session, slot=main.slot, is_follow_up=True, prompt="Why?", text="Because.",
                          status=AnswerStatus.EVALUATED, scores=main.scores)

    assert question_marks(user=user, question_ids=[answered, skipped, bank_question("unseen").pk]) == {}


def test_another_candidates_answers_are_not_mine(user, other_user):
    session = completed_session(other_user, [90.0])

    assert question_marks(user=user, question_ids=question_ids(session)) == {}
