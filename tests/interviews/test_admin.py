"""Staff views of interviews (issue 16): a read-only audit of sessions, answers and evaluations, and what
questions teach curators (attempts, scores, solved share against difficulty, rubric coverage, answers)."""

import pytest
from django.urls import reverse

from feedback.models import Feedback
from interviews.models import Answer, AnswerStatus, InterviewerResponse, InterviewSession, SessionQuestion
from questionbank.models import Question
from questionbank.services import question_record_attempt
from tests.accounts.factories import UserFactory
from tests.questionbank.curation import imported
from tests.questionbank.knowledge import THEORY, entry

pytestmark = pytest.mark.django_db

EVALUATOR = {"provider": "anthropic", "model": "claude-test (fallback from x)", "rubricVersion": 1,
             "promptHash": "c0ffee12", "fallback": True}


def answered(question: Question, user, *, score: float, covered: list[str], solved: bool,
             text: str = "My answer.") -> Answer:
    """One finished session in which `user` answered `question` and was scored `score` on every dimension."""
    session = InterviewSession.objects.create(user=user, mode="technical", job_type="Backend Engineer",
                                              difficulty="medium", planned_duration=30, language="python",
                                              status="completed", interviewer={})
    slot = SessionQuestion.objects.create(session=session, question=question, position=1, status="answered",
                                          score=score, completeness=score, correctness=score, communication=score)
    answer = Answer.objects.create(
        session=session, slot=slot, text=text, status=AnswerStatus.EVALUATED,
        scores={"completeness": score, "correctness": score, "communication": score}, covered=covered,
        missed=[], evaluator={**EVALUATOR, "rubricVersion": question.rubric_version},
        test_results={"verdict": "accepted", "passed": 6, "total": 6, "cases": []})
    InterviewerResponse.objects.create(answer=answer, content="Good structure.", sentiment="positive")
    question_record_attempt(question_id=question.pk, solved=solved)
    return answer


@pytest.fixture
def taught(db):
    """A published theory question, marked easy, that 4 of 5 candidates failed."""
    question = imported(entry(THEORY, slug="taught-question", status="published", difficulty="easy"))
    first, second = (p["point"] for p in THEORY["rubric"])
    for i, score in enumerate([20.0, 30.0, 40.0, 50.0, 90.0]):
        answered(question, UserFactory(email=f"candidate{i}@example.com"), score=score,
                 covered=[first] if i < 4 else [first, second], solved=score >= 60,
                 text=f"Answer number {i}")
    return question


class TestAudit:
    def test_sessions_are_searchable_by_the_candidates_email(self, superuser_client, taught):
        response = superuser_client.get(reverse("admin:interviews_interviewsession_changelist"),
                                        {"q": "candidate3@example.com"})

        assert response.status_code == 200
        assert [s.user.email for s in response.context["cl"].result_list] == ["candidate3@example.com"]

    def test_a_session_shows_its_transcript_and_cannot_be_changed(self, superuser_client, taught):
        session = InterviewSession.objects.get(user__email="candidate0@example.com")
        url = reverse("admin:interviews_interviewsession_change", args=[session.pk])

        response = superuser_client.get(url)

        content = response.content.decode()
        assert response.status_code == 200
        assert "Answer number 0" in content
        assert "Good structure." in content
        assert superuser_client.post(url, {"status": "abandoned"}).status_code == 403
        assert InterviewSession.objects.get(pk=session.pk).status == "completed"

    def test_an_answer_shows_the_evaluator_record_and_test_results(self, superuser_client, taught):
        answer = Answer.objects.get(session__user__email="candidate1@example.com")

        response = superuser_client.get(reverse("admin:interviews_answer_change", args=[answer.pk]))

        content = response.content.decode()
        for value in ("anthropic", "claude-test (fallback from x)", "c0ffee12", "6 / 6 passed", "accepted"):
            assert value in content
        assert reverse("admin:interviews_answer_add") not in content

    def test_answers_are_searchable_by_user_and_filter_by_fallback(self, superuser_client, taught):
        response = superuser_client.get(reverse("admin:interviews_answer_changelist"),
                                        {"q": "candidate2@example.com", "fallback": "yes"})

        assert [a.session.user.email for a in response.context["cl"].result_list] == ["candidate2@example.com"]

    def test_reports_are_searchable_by_user_and_show_what_wrote_them(self, superuser_client, taught):
        session = InterviewSession.objects.get(user__email="candidate3@example.com")
        report = Feedback.objects.create(session=session, status="ready", summary="Solid.", evaluator=EVALUATOR)

        listing = superuser_client.get(reverse("admin:feedback_feedback_changelist"), {"q": "candidate3@example"})
        page = superuser_client.get(reverse("admin:feedback_feedback_change", args=[report.pk]))

        assert [f.pk for f in listing.context["cl"].result_list] == [report.pk]
        assert b"anthropic (fallback)" in listing.content
        assert b"c0ffee12" in page.content

    def test_a_curator_cannot_open_the_audit(self, curator_client, taught):
        assert curator_client.get(reverse("admin:interviews_answer_changelist")).status_code == 403
        assert curator_client.get(reverse("admin:interviews_interviewsession_changelist")).status_code == 403

    def test_the_session_list_takes_a_fixed_number_of_queries(self, superuser_client, taught,
                                                              django_assert_max_num_queries):
        url = reverse("admin:interviews_interviewsession_changelist")
        superuser_client.get(url)
        with django_assert_max_num_queries(12):
            superuser_client.get(url)
        for i in range(5):
            answered(taught, UserFactory(email=f"more{i}@example.com"), score=70, covered=[], solved=True)
        with django_assert_max_num_queries(12):
            superuser_client.get(url)


class TestWhatQuestionsTeach:
    def test_the_list_flags_an_easy_question_most_candidates_fail_as_too_hard(self, curator_client, taught):
        url = reverse("admin:interviews_questioninsight_changelist")

        response = curator_client.get(url, {"flag": "too_hard"})

        assert response.status_code == 200
        row = next(q for q in response.context["cl"].result_list if q.pk == taught.pk)
        assert (row.attempts, row.solved_share, row.mean_score) == (5, 20.0, 46.0)
        assert row.score_spread == pytest.approx(24.17, abs=0.01)
        assert b"too hard" in response.content

    def test_a_filter_keeps_only_flagged_questions(self, curator_client, taught):
        response = curator_client.get(reverse("admin:interviews_questioninsight_changelist"), {"flag": "too_easy"})

        assert taught.pk not in [q.pk for q in response.context["cl"].result_list]

    def test_the_list_takes_a_fixed_number_of_queries(self, curator_client, taught, django_assert_max_num_queries):
        url = reverse("admin:interviews_questioninsight_changelist")
        curator_client.get(url)
        with django_assert_max_num_queries(10):
            curator_client.get(url)
        other = imported(entry(THEORY, slug="another-taught", status="published"))
        for i in range(3):
            answered(other, UserFactory(email=f"other{i}@example.com"), score=80, covered=[], solved=True)
        with django_assert_max_num_queries(10):
            curator_client.get(url)

    def test_a_question_shows_rubric_coverage_and_pseudonymous_answers(self, curator_client, taught,
                                                                       django_assert_max_num_queries):
        url = reverse("admin:interviews_questioninsight_change", args=[taught.pk])

        with django_assert_max_num_queries(14):
            response = curator_client.get(url)

        content = response.content.decode()
        assert response.status_code == 200
        coverage = response.context["coverage"]
        assert [(c["point"], c["covered"], c["share"]) for c in coverage] == [
            (THEORY["rubric"][0]["point"], 5, 100.0), (THEORY["rubric"][1]["point"], 1, 20.0)]
        assert "Answer number 4" in content
        assert "candidate4@example.com" not in content
        assert all(a["candidate"].startswith("candidate-") for a in response.context["answers"])

    def test_answers_filter_by_solved(self, curator_client, taught):
        url = reverse("admin:interviews_questioninsight_change", args=[taught.pk])

        response = curator_client.get(url, {"min_score": 60})

        assert [a["text"] for a in response.context["answers"]] == ["Answer number 4"]
