"""What the interview room rebuilds itself from (docs/api.md, "Live interview", "Time limits", "Fixing code in the
follow-up"): the socket's snapshot with the whole conversation, the prompt's due time, late answers, and a
coding question's failing code fixed in its follow-up."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from interviews.models import Answer
from interviews.selectors import FOLLOW_UP_MAX_RESPONSE_SECONDS
from interviews.serializers import SessionStateOutput
from interviews.services.flow import answer_submit, question_next, session_snapshot
from interviews.services.planning import session_start
from interviews.services.scoring import question_scores
from questionbank.models import Question
from tests.interviews.helpers import pin_plan, pinned_theory_question, strong_answer_for

pytestmark = pytest.mark.django_db

THEORY_ANSWER = ("The log is written before the data page, so crash recovery can replay (redo) it; sequential "
                 "appends and an fsync make it cheap.")
FOLLOW_UP_ANSWER = "A checkpoint flushes dirty pages, so recovery only replays the log written after it."


def snapshot(user, session) -> dict:
    return SessionStateOutput(session_snapshot(user=user, session_id=session.public_id)).data


def theory_session(user, questions: int = 1):
    for _ in range(questions):
        pinned_theory_question(category="zz room")
    return session_start(user=user, mode="technical", include_coding=False, topics=["zz room"],
                            duration=10 * questions)


def answer_every_prompt(session) -> None:
    """Each planned question answered, and its follow-up when one is asked."""
    while question_next(session=session) is not None:
        answer_submit(session=session, text=THEORY_ANSWER)
        session.refresh_from_db()
        if snapshot(session.user, session)["pendingFollowUp"]:
            answer_submit(session=session, text=FOLLOW_UP_ANSWER)


class TestConversation:
    def test_the_snapshot_holds_every_question_answer_reply_and_follow_up_in_order(self, user):
        session = theory_session(user, questions=2)
        answer_every_prompt(session)

        state = snapshot(user, session)

        turns = state["conversation"]
        assert [t["position"] for t in turns] == [1, 2]
        assert all(t["status"] == "answered" for t in turns)
        for turn in turns:
            main, follow_up = turn["replies"]
            assert (main["answer"]["isFollowUp"], follow_up["answer"]["isFollowUp"]) == (False, True)
            assert main["answer"]["answerText"] == THEORY_ANSWER
            assert follow_up["answer"]["answerText"] == FOLLOW_UP_ANSWER
            assert main["answer"]["scores"]
            assert follow_up["answer"]["scores"]
            assert main["aiResponse"]["followUpQuestion"].startswith("How does a checkpoint bound recovery time?")
            assert "<p>" in main["aiResponse"]["contentHtml"]
            assert "<p>" in main["aiResponse"]["followUpQuestionHtml"]
            assert follow_up["aiResponse"]["followUp"] is False

    def test_the_snapshot_is_a_fixed_number_of_queries_whatever_the_conversations_length(
            self, user, django_assert_max_num_queries):
        short = theory_session(user, questions=1)
        answer_every_prompt(short)
        with django_assert_max_num_queries(12) as counted:
            snapshot(user, short)
        few = len(counted.captured_queries)
        long = theory_session(user, questions=4)
        answer_every_prompt(long)

        with django_assert_max_num_queries(few):
            state = snapshot(user, long)

        assert len(state["conversation"]) == 4

    def test_a_follow_up_is_sent_as_html_rendered_on_the_server(self, user):
        session = theory_session(user)
        question_next(session=session)
        Question.objects.filter(category="zz room").first().follow_ups.update(text="Why is `fsync` needed?")
        answer_submit(session=session, text=THEORY_ANSWER)

        state = snapshot(user, session)

        assert state["pendingFollowUp"] == "Why is `fsync` needed?"
        assert state["pendingFollowUpHtml"] == "<p>Why is <code>fsync</code> needed?</p>"
        assert state["lastEvaluation"]["nextAction"]["messageHtml"] == state["pendingFollowUpHtml"]


class TestTimeLimits:
    def test_the_question_is_due_its_estimated_minutes_after_it_was_presented(self, user):
        session = theory_session(user)
        slot = question_next(session=session)

        state = snapshot(user, session)

        due = slot.presented_at + timedelta(minutes=slot.question.estimated_time)
        assert state["promptDueAt"] == due.replace(microsecond=0).isoformat().replace("+00:00", "Z")
        assert state["currentQuestion"]["estimatedTime"] == slot.question.estimated_time
        assert abs((timezone.now() - datetime.fromisoformat(state["serverTime"])).total_seconds()) < 5

    def test_a_follow_up_is_due_its_maximum_response_time_after_it_was_asked(self, user):
        session = theory_session(user)
        question_next(session=session)
        answer, _ = answer_submit(session=session, text=THEORY_ANSWER)
        answer.refresh_from_db()

        state = snapshot(user, session)

        due = answer.evaluated_at + timedelta(seconds=FOLLOW_UP_MAX_RESPONSE_SECONDS)
        assert state["promptDueAt"] == due.replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def test_nothing_is_due_when_no_prompt_awaits_an_answer(self, user):
        session = theory_session(user)
        answer_every_prompt(session)

        assert snapshot(user, session)["promptDueAt"] is None

    def test_an_answer_after_the_time_limit_is_taken_marked_late_and_scored(self, user):
        session = theory_session(user)
        slot = question_next(session=session)

        due = slot.presented_at.replace(microsecond=0) + timedelta(minutes=slot.question.estimated_time)
        with time_machine.travel(due + timedelta(milliseconds=1)):
            answer, _ = answer_submit(session=session, text=THEORY_ANSWER)

        answer.refresh_from_db()
        assert answer.late is True
        assert answer.status == "evaluated"
        assert answer.scores["correctness"] > 0
        assert snapshot(user, session)["conversation"][0]["replies"][0]["answer"]["late"] is True

    def test_an_answer_at_the_due_second_is_not_late(self, user):
        session = theory_session(user)
        slot = question_next(session=session)

        due = slot.presented_at.replace(microsecond=0) + timedelta(minutes=slot.question.estimated_time)
        with time_machine.travel(due, tick=False):
            answer, _ = answer_submit(session=session, text=THEORY_ANSWER)

        answer.refresh_from_db()
        assert answer.late is False

    def test_a_late_follow_up_answer_is_marked_late(self, user):
        session = theory_session(user)
        question_next(session=session)
        first, _ = answer_submit(session=session, text=THEORY_ANSWER)
        first.refresh_from_db()

        due = first.evaluated_at.replace(microsecond=0) + timedelta(seconds=FOLLOW_UP_MAX_RESPONSE_SECONDS)
        with time_machine.travel(due + timedelta(milliseconds=1)):
            follow_up, _ = answer_submit(session=session, text=FOLLOW_UP_ANSWER)

        follow_up.refresh_from_db()
        assert (follow_up.is_follow_up, follow_up.late) == (True, True)


class TestFixingCodeInTheFollowUp:
    @pytest.fixture
    def coding(self, user):
        question = Question.objects.get(slug="merge-overlapping-intervals")
        session = session_start(user=user, mode="technical", topics=["intervals"], difficulty="medium", duration=30)
        pin_plan(session.public_id, question)
        question_next(session=session)
        return session, question

    def wrong_code(self, question: Question) -> str:
        name = question.signatures.get(language="javascript").function_name
        return f"function {name}(intervals) {{ return intervals; }}"

    def test_failing_code_gets_a_follow_up_that_accepts_corrected_code(self, user, coding):
        session, question = coding

        answer_submit(session=session, code=self.wrong_code(question), language="javascript",
                      text="I return the intervals as they are.")

        state = snapshot(user, session)
        assert state["pendingFollowUp"]
        assert state["lastEvaluation"]["nextAction"]["acceptsCode"] is True

    def test_the_corrected_code_is_run_and_scored_and_counts_half_but_does_not_solve_the_question(self, user,
                                                                                                    coding):
        session, question = coding
        solution = question.signatures.get(language="python").solution
        first, _ = answer_submit(session=session, code=self.wrong_code(question), language="javascript",
                                 text="I return the intervals as they are.")

        fix, _ = answer_submit(session=session, code=solution, language="python",
                               text="I now sort by start and merge overlapping neighbours in one pass, O(n log n).")

        first.refresh_from_db()
        fix.refresh_from_db()
        assert fix.is_follow_up is True
        assert fix.test_results["verdict"] == "accepted"
        assert fix.scores["correctness"] > first.scores["correctness"]
        reply = snapshot(user, session)["conversation"][0]["replies"][1]
        assert reply["answer"]["codeSubmission"]["code"] == solution
        assert reply["answer"]["testResults"]["verdict"] == "accepted"
        question.refresh_from_db()
        assert (question.solved_count, question.attempt_count) == (0, 1)  # the first answer decides
        scored = question_scores(Answer.objects.filter(session=session))
        assert scored["correctness"] == (first.scores["correctness"] + fix.scores["correctness"]) / 2

    def test_passing_code_gets_no_code_fix(self, user, coding):
        session, question = coding

        answer_submit(session=session, code=question.signatures.get(language="python").solution,
                      language="python", text=strong_answer_for(question))

        action = snapshot(user, session)["lastEvaluation"]["nextAction"]
        assert action.get("acceptsCode", False) is False
