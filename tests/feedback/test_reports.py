"""The report's doors: GET /feedback/{id}, the transcript PDF, the export, and share links with their page."""

import io
import re

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient, APIRequestFactory

from feedback.selectors import share_token
from feedback.serializers import TranscriptOutput
from feedback.services import feedback_generate, feedback_open
from interviews.models import Answer
from tests.accounts.factories import UserFactory
from tests.conftest import PASSWORD, login
from tests.feedback.helpers import completed_session, session_in
from tests.interviews.helpers import answer, next_question, pinned_theory_question, start, strong_answer_for

pytestmark = pytest.mark.django_db

FEEDBACK_KEYS = {"feedbackId", "sessionId", "status", "overallScore", "summary", "technicalSkills", "communication",
                 "strengths", "improvementAreas", "recommendations", "percentileRank", "benchmarkComparison",
                 "generatedAt"}
SKILL_KEYS = {"skill", "score", "level", "confidence", "evidence", "growthTrajectory"}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def interview(auth_client):
    """A real interview through the API: one theory question answered strongly, its follow-up answered."""
    question = pinned_theory_question(category="zz report", follow_ups=1)
    session_id = start(auth_client, includeCoding=False, topics=["zz report"], duration=15)["session"]["sessionId"]
    next_question(auth_client, session_id)
    main_text = strong_answer_for(question)
    first = answer(auth_client, session_id, answerText=main_text, responseTime=95).json()
    follow_text = "A checkpoint flushes dirty pages so that recovery only replays the log written after it."
    if first["nextAction"]["type"] == "follow_up":
        answer(auth_client, session_id, answerText=follow_text, responseTime=40)
    complete = auth_client.post(f"/v1/api/sessions/{session_id}/complete").json()
    return {"session_id": session_id, "question": question, "main_text": main_text, "follow_text": follow_text,
            "complete": complete,
            "feedback_id": complete["feedback"]["feedbackId"]}


def pdf_text(content: bytes) -> str:
    return flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


class TestFeedbackDetail:
    def test_full_report_in_the_seed_shape_with_evidence_from_the_answers(self, auth_client, interview):
        response = auth_client.get(f"/v1/api/feedback/{interview['feedback_id']}")

        assert response.status_code == 200
        feedback = response.json()["feedback"]
        assert set(feedback) == FEEDBACK_KEYS
        assert feedback["sessionId"] == interview["session_id"]
        assert set(feedback["technicalSkills"]) == set(feedback["communication"]) == SKILL_KEYS
        assert set(feedback["benchmarkComparison"]) >= {"role", "categoryAverage", "topQuartile", "difference"}
        assert feedback["overallScore"] == interview["complete"]["session"]["overallScore"]
        quotes = [m for e in feedback["technicalSkills"]["evidence"] for m in re.findall(r'"([^"]+)"', e)]
        assert quotes, feedback["technicalSkills"]["evidence"]
        answers = flat(interview["main_text"] + " " + interview["follow_text"])
        assert all(q.rstrip("…") in answers for q in quotes), quotes

    def test_another_users_feedback_is_404(self, interview):
        other = UserFactory()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(client, other.email, PASSWORD)['accessToken']}")

        response = client.get(f"/v1/api/feedback/{interview['feedback_id']}")

        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"


class TestTranscriptPdf:
    def test_a_real_pdf_with_questions_answers_scores_and_feedback(self, auth_client, interview):
        response = auth_client.get(f"/v1/api/sessions/{interview['session_id']}/transcript.pdf")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        text = pdf_text(response.content)
        assert interview["question"].title in text
        assert flat(interview["question"].description)[:40] in text
        assert "Changes are logged before pages are written" in text  # from the answer
        main = Answer.objects.get(public_id__isnull=False, slot__session__public_id=interview["session_id"],
                                  is_follow_up=False)
        scores = main.scores
        assert (f"completeness {scores['completeness']}, correctness {scores['correctness']}, "
                f"communication {scores['communication']}") in text
        session = interview["complete"]["session"]
        assert f"Overall score: {session['overallScore']:g}" in text
        summary = auth_client.get(f"/v1/api/feedback/{interview['feedback_id']}").json()["feedback"]["summary"]
        assert flat(summary) in text

    def test_code_test_results_and_any_script_are_printed(self, auth_client, user):
        session = completed_session(user, [60], answer_texts=["Ναι — naïve café, 中文 aside"])
        Answer.objects.filter(session=session).update(
            code="def add(a, b):\n    return a + b\n", language="python",
            test_results={"passed": 3, "total": 4, "verdict": "wrong_answer",
                          "cases": [{"name": "adds negatives", "status": "failed", "timeMs": 2, "hidden": True}]})

        response = auth_client.get(f"/v1/api/sessions/{session.public_id}/transcript.pdf")

        text = pdf_text(response.content)
        assert "def add(a, b):" in text
        assert "return a + b" in text
        assert "3 of 4 passed, verdict wrong_answer" in text
        assert "adds negatives failed" in text
        assert "Ναι — naïve café" in text
        assert "Question score: 60" in text

    def test_accept_pdf_gets_the_pdf_and_errors_stay_json(self, auth_client, user):
        session = completed_session(user, [60])

        ok = auth_client.get(f"/v1/api/sessions/{session.public_id}/transcript.pdf", HTTP_ACCEPT="application/pdf")
        missing = auth_client.get("/v1/api/sessions/session_nope/transcript.pdf", HTTP_ACCEPT="application/pdf")

        assert ok.status_code == 200
        assert ok.content.startswith(b"%PDF-")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "NOT_FOUND"

    def test_only_the_owner_gets_it(self, api_client, user):
        session = completed_session(UserFactory(), [60])
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(api_client, user.email)['accessToken']}")

        assert api_client.get(f"/v1/api/sessions/{session.public_id}/transcript.pdf").status_code == 404
        assert APIClient().get(f"/v1/api/sessions/{session.public_id}/transcript.pdf").status_code == 401

    def test_upcoming_questions_of_a_running_session_are_not_revealed(self, auth_client, user):
        session = session_in(user, "pending")
        title = session.plan.get().question.title

        response = auth_client.get(f"/v1/api/sessions/{session.public_id}/transcript.pdf")

        assert response.status_code == 200
        text = pdf_text(response.content)
        assert title not in text
        assert "not available yet" in text


class TestExport:
    def test_everything_the_user_owns(self, auth_client, user, interview):
        session_in(user, "in_progress")
        completed_session(UserFactory(), [50])

        response = auth_client.get("/v1/api/users/me/export")

        assert response.status_code == 200
        export = response.json()["export"]
        assert export["user"]["userId"] == user.public_id
        assert export["user"]["email"] == user.email
        assert len(export["sessions"]) == 2
        done = next(s for s in export["sessions"] if s["sessionId"] == interview["session_id"])
        (question,) = done["questions"]
        assert question["title"] == interview["question"].title
        assert question["answers"][0]["answerText"] == interview["main_text"]
        assert question["answers"][0]["scores"]
        assert question["scores"]["completeness"] is not None
        assert done["feedback"]["feedbackId"] == interview["feedback_id"]
        assert set(done["feedback"]) == FEEDBACK_KEYS

    def test_export_is_in_the_feedback_rate_scope(self, auth_client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "feedback": "1/min"}

        assert [auth_client.get("/v1/api/users/me/export").status_code for _ in range(2)] == [200, 429]

    @pytest.mark.parametrize("sessions", [1, 30])
    def test_queries_do_not_grow_with_sessions(self, auth_client, user, sessions, django_assert_max_num_queries):
        for _ in range(sessions):
            feedback_generate(feedback_id=feedback_open(session=completed_session(user, [60, 70])).public_id)

        with django_assert_max_num_queries(12):
            response = auth_client.get("/v1/api/users/me/export")
        assert len(response.json()["export"]["sessions"]) == sessions


class TestShare:
    def test_create_returns_a_random_link_to_a_public_page(self, auth_client, user, interview):
        response = auth_client.post(f"/v1/api/sessions/{interview['session_id']}/share")

        assert response.status_code == 201
        link = response.json()["shareableLink"]
        assert link.startswith("http://testserver/share/")
        token = link.rsplit("/", 1)[1]
        assert len(token) >= 32
        assert interview["session_id"].split("_")[1] not in token
        page = APIClient().get(f"/share/{token}")
        assert page.status_code == 200
        assert page["Content-Type"].startswith("text/html")
        html = page.content.decode()
        summary = auth_client.get(f"/v1/api/feedback/{interview['feedback_id']}").json()["feedback"]["summary"]
        assert flat(summary)[:40] in flat(html.replace("&#x27;", "'").replace("&quot;", '"'))
        assert interview["question"].title in html
        for private in (user.email, user.public_id, interview["session_id"], interview["main_text"][:60]):
            assert private not in html

    def test_rotating_kills_the_old_link(self, auth_client, user):
        session = completed_session(user, [70])
        old = auth_client.post(f"/v1/api/sessions/{session.public_id}/share").json()["shareableLink"]

        new = auth_client.post(f"/v1/api/sessions/{session.public_id}/share").json()["shareableLink"]

        assert new != old
        assert APIClient().get(old.replace("http://testserver", "")).status_code == 404
        assert APIClient().get(new.replace("http://testserver", "")).status_code == 200

    def test_revoking_makes_the_page_404(self, auth_client, user):
        session = completed_session(user, [70])
        link = auth_client.post(f"/v1/api/sessions/{session.public_id}/share").json()["shareableLink"]

        response = auth_client.delete(f"/v1/api/sessions/{session.public_id}/share")

        assert response.status_code == 204
        assert APIClient().get(link.replace("http://testserver", "")).status_code == 404
        assert auth_client.delete(f"/v1/api/sessions/{session.public_id}/share").status_code == 204

    def test_deleting_the_account_makes_the_page_404(self, auth_client, user):
        session = completed_session(user, [70])
        link = auth_client.post(f"/v1/api/sessions/{session.public_id}/share").json()["shareableLink"]

        deleted = auth_client.delete("/v1/api/users/me", {"password": PASSWORD}, format="json")

        assert deleted.status_code == 204
        assert APIClient().get(link.replace("http://testserver", "")).status_code == 404

    def test_only_a_completed_session_of_ones_own_can_be_shared(self, auth_client, user):
        running = session_in(user, "in_progress")
        others = completed_session(UserFactory(), [70])

        assert auth_client.post(f"/v1/api/sessions/{running.public_id}/share").status_code == 409
        assert auth_client.post(f"/v1/api/sessions/{others.public_id}/share").status_code == 404
        assert auth_client.delete(f"/v1/api/sessions/{others.public_id}/share").status_code == 404

    def test_an_unknown_token_is_404(self, api_client):
        assert api_client.get("/share/not-a-token").status_code == 404

    def test_the_complete_response_link_is_null_until_created(self, auth_client, user):
        session = completed_session(user, [70])
        request = APIRequestFactory().get("/")

        def shareable_link() -> str | None:
            completion = {"session": session, "share_token": share_token(session)}
            return TranscriptOutput(completion, context={"request": request}).data["shareableLink"]

        assert shareable_link() is None
        link = auth_client.post(f"/v1/api/sessions/{session.public_id}/share").json()["shareableLink"]
        assert shareable_link() == link

    def test_the_complete_response_starts_without_a_link(self, interview):
        assert interview["complete"]["transcript"]["shareableLink"] is None
