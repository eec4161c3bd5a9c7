"""What each page shows and does, through the same services as the API."""

import json
import re

import pytest

from feedback.models import ShareLink
from interviews.models import InterviewSession
from questionbank.models import Question
from questionbank.services import question_record_attempt
from tests.feedback.helpers import completed_session
from tests.pages.factories import finished_session
from tests.questionbank.factories import FollowUpFactory, HintFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def json_script(html: str, element_id: str):
    start = html.index(f'id="{element_id}"')
    body = html[html.index(">", start) + 1:html.index("</script>", start)]
    return json.loads(body)


class TestDashboard:
    def test_a_new_user_sees_empty_states_and_a_first_step(self, page_client):
        html = page_client.get("/").content.decode()

        assert "No sessions yet" in html
        assert "Complete an interview" in html

    def test_a_new_user_has_no_average_to_colour_red(self, page_client):
        html = page_client.get("/").content.decode()

        assert '<span class="value score-none">—</span>' in html
        assert "score-low" not in html

    def test_a_categorys_average_reads_the_same_in_the_chart_and_the_advice(self, page_client, user):
        finished_session(user, score=58.5, questions=1)

        html = page_client.get("/").content.decode()

        category, average = re.search(r"Practise (.+?) questions: your average there is ([\d.]+)", html).groups()
        assert {c["label"]: c["value"] for c in json_script(html, "category-data")} == {category: float(average)}
        assert average == "58.5"

    def test_it_shows_stats_charts_recent_sessions_and_recommendations(self, page_client, user):
        for day, score in enumerate((60, 70, 80)):
            finished_session(user, score=score, days_ago=3 - day)

        html = page_client.get("/").content.decode()

        assert [p["value"] for p in json_script(html, "progress-data")] == [60, 70, 80]
        assert json_script(html, "category-data")
        assert html.count('class="badge badge-completed"') == 3
        assert "Practise" in html


class TestSessionList:
    def test_a_sessions_score_is_rounded_and_coloured_as_its_report_shows_it(self, page_client, user):
        finished_session(user, score=64.5)
        finished_session(user, score=79.6, days_ago=1)

        html = page_client.get("/sessions/").content.decode()

        assert '<td class="score score-mid">64</td>' in html  # half to even, as the report: not 65
        assert '<td class="score score-high">80</td>' in html  # the colour of the 80 shown, not of 79.6

    def test_the_date_is_also_under_the_name_for_a_phone(self, page_client, user):
        finished_session(user)

        html = page_client.get("/sessions/").content.decode()

        assert html.count("<time datetime=") == 2
        assert '<span class="phone-only"> · <time' in html
        assert '<th scope="col" class="wide-only">Date</th>' in html


class TestQuestionBank:
    def test_filters_and_search_narrow_the_list(self, page_client):
        coding = page_client.get("/questions/?type=coding&difficulty=easy").content.decode()
        searched = page_client.get("/questions/?q=zzzz-nothing").content.decode()

        assert "Coding" in coding
        assert "Theory</span>" not in coding
        assert "No question matches" in searched

    def test_the_question_page_renders_markdown_with_raw_html_escaped(self, page_client):
        question = QuestionFactory(
            description="Use **a map**.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
        HintFactory(question=question, position=0, text="First hint")
        HintFactory(question=question, position=1, text="Second hint")

        html = page_client.get(f"/questions/{question.public_id}/").content.decode()

        assert "<strong>a map</strong>" in html
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript' not in html
        assert html.count("<li data-hidden>") == 2
        assert "data-reveal-hint" in html

    def test_a_question_nobody_tried_says_so_instead_of_0_percent_solved(self, page_client):
        fresh = QuestionFactory(title="Zebra question never tried")
        tried = QuestionFactory(title="Zebra question tried twice")
        question_record_attempt(question_id=tried.pk, solved=True)
        question_record_attempt(question_id=tried.pk, solved=False)

        html = page_client.get("/questions/?q=Zebra+question").content.decode()

        assert html.count("No attempts yet") == 1
        assert "50% of 2 attempts solved" in html
        assert "0% solved" not in html
        assert fresh.title in html

    def test_the_candidate_sees_what_they_solved_and_attempted_and_no_one_elses(self, page_client, user,
                                                                                 other_user, client_for):
        session = completed_session(user, [85.0, 40.0], categories=["zebras", "zebras"])
        solved, attempted = (slot.question for slot in session.plan.order_by("position"))

        mine = page_client.get("/questions/?q=Zebras+question").content.decode()
        theirs = client_for(other_user).get("/questions/?q=Zebras+question").content.decode()
        detail = page_client.get(f"/questions/{solved.public_id}/").content.decode()

        assert solved.title in mine
        assert attempted.title in mine
        assert mine.count("✓ Solved") == 1
        assert mine.count(">Attempted<") == 1
        assert mine.index(solved.title) < mine.index("✓ Solved") < mine.index(attempted.title)
        assert "data-mark" not in theirs
        assert "✓ Solved" in detail

    def test_hints_and_follow_ups_show_their_code_not_backticks(self, page_client):
        question = QuestionFactory()
        HintFactory(question=question, text="Think of `dict.get`.")
        FollowUpFactory(question=question, text="Would `bucket=()` behave the same?")

        html = page_client.get(f"/questions/{question.public_id}/").content.decode()

        assert "<code>dict.get</code>" in html
        assert "<code>bucket=()</code>" in html
        assert "`" not in html

    def test_a_list_right_under_a_line_of_text_is_still_a_list(self):
        from questionbank.markdown import render_markdown

        html = render_markdown("**Constraints**\n- one\n- two\n\n```\n- in code\n```")

        assert "<ul>\n<li>one</li>" in html
        assert "- in code" in html

    def test_a_coding_question_shows_examples_and_starter_code_as_json(self, page_client):
        question = Question.objects.filter(type="coding", status="published").first()

        html = page_client.get(f"/questions/{question.public_id}/").content.decode()

        assert "Examples" in html
        assert "Starter code" in html
        assert "Input:" in html

    def test_an_unpublished_question_is_not_found(self, page_client):
        question = QuestionFactory(status="draft")

        assert page_client.get(f"/questions/{question.public_id}/").status_code == 404


class TestStartInterview:
    def test_the_form_defaults_from_preferences(self, page_client, user):
        user.default_mode, user.default_difficulty = "behavioral", "hard"
        user.save()

        form = page_client.get("/interviews/new/").context["form"]

        assert form.initial["mode"] == "behavioral"
        assert form.initial["difficulty"] == "hard"
        assert form.initial["job_type"] == "Backend Engineer"

    def test_submitting_creates_a_session_and_opens_the_room(self, page_client, user):
        response = page_client.post("/interviews/new/", {
            "mode": "mixed", "job_type": "Platform Engineer", "difficulty": "easy", "duration": 25,
            "language": "python", "topics": "algorithms", "include_coding": "on"})

        session = InterviewSession.objects.get(user=user)
        assert response["Location"] == f"/interviews/{session.public_id}/"
        assert (session.mode, session.job_type, session.include_coding, session.topics) == (
            "mixed", "Platform Engineer", True, ["algorithms"])
        room = page_client.get(response["Location"]).content.decode()
        config = json_script(room, "room-config")
        assert config["socketPath"] == f"/v1/interviews/{session.public_id}"
        assert config["runUrl"] == f"/v1/api/sessions/{session.public_id}/run"

    @pytest.mark.parametrize("qtype", ["system_design", "behavioral", "coding", "theory"])
    def test_practising_a_question_starts_an_interview_that_opens_with_it(self, page_client, user, qtype):
        question = Question.objects.filter(status="published", type=qtype).order_by("-estimated_time").first()
        form = page_client.get(f"/interviews/new/?question_id={question.public_id}").context["form"]
        fields = {name: form.initial.get(name) for name in form.fields}

        response = page_client.post("/interviews/new/", {**{k: v for k, v in fields.items() if v is not None},
                                                         "include_coding": "on" if fields["include_coding"] else ""})

        session = InterviewSession.objects.get(user=user)
        assert response.status_code == 302
        assert session.plan.order_by("position").first().question_id == question.pk
        assert session.planned_duration >= question.estimated_time

    def test_a_system_design_interview_plans_only_questions_that_fit_its_time(self, page_client, user):
        page_client.post("/interviews/new/", {"mode": "system_design", "job_type": "X", "difficulty": "easy",
                                              "duration": 30, "language": "python"})

        plan = InterviewSession.objects.get(user=user).plan.select_related("question")
        assert plan[0].question.type == "system_design"
        assert sum(slot.question.estimated_time for slot in plan) <= 30

    def test_a_duration_too_short_for_any_question_of_the_mode_says_what_would_fit(self, page_client, user):
        response = page_client.post("/interviews/new/", {"mode": "system_design", "job_type": "X",
                                                         "difficulty": "medium", "duration": 30,
                                                         "language": "python"})

        assert response.status_code == 200
        assert response.context["form"].errors["duration"] == [
            "No system design question fits in 30 minutes (the shortest matching one takes 40); choose 40 minutes "
            "or more, or an easier difficulty."]
        assert not InterviewSession.objects.filter(user=user).exists()

    def test_no_matching_question_is_reported_on_the_form(self, page_client):
        response = page_client.post("/interviews/new/", {
            "mode": "technical", "job_type": "X", "difficulty": "easy", "duration": 30, "language": "python",
            "topics": "no-such-topic-anywhere"})

        assert response.status_code == 200
        assert "No published question matches" in response.content.decode()


class TestReport:
    def test_the_owner_sees_scores_charts_answers_and_feedback(self, page_client, user):
        session = finished_session(user, score=72, questions=3)

        html = page_client.get(f"/sessions/{session.public_id}/report/").content.decode()

        assert [s["label"] for s in json_script(html, "chart-summary")] == [
            "Overall", "Problem solving", "Communication"]
        assert len(json_script(html, "chart-questions")) == 3
        assert "Solid fundamentals" in html
        assert "Quantify trade-offs" in html
        assert "64th" in html
        assert "My answer to" in html
        assert "&lt;script&gt;alert(1)" in html
        assert "Good structure on" in html
        assert f'href="/v1/api/sessions/{session.public_id}/transcript.pdf"' in html

    def test_sharing_can_be_turned_on_and_off(self, page_client, user):
        session = finished_session(user)

        page_client.post(f"/sessions/{session.public_id}/share/", {"share": "on"})
        link = ShareLink.objects.get(session=session)
        html = page_client.get(f"/sessions/{session.public_id}/report/").content.decode()
        assert f"/share/{link.token}" in html
        assert "Turn sharing off" in html

        page_client.post(f"/sessions/{session.public_id}/share/", {"share": "off"})
        assert not ShareLink.objects.filter(session=session).exists()

    def test_the_share_page_uses_the_same_report_without_answers(self, client, page_client, user):
        session = finished_session(user)
        page_client.post(f"/sessions/{session.public_id}/share/", {"share": "on"})
        token = ShareLink.objects.get(session=session).token

        html = client.get(f"/share/{token}").content.decode()

        assert 'id="chart-summary"' in html
        assert "Solid fundamentals" in html
        assert "My answer to" not in html
        assert user.email not in html
        assert "/static/css/app.css" in html

    def test_an_unfinished_session_opens_the_room_instead(self, page_client, user):
        session = finished_session(user, status="in_progress")

        response = page_client.get(f"/sessions/{session.public_id}/report/")

        assert response["Location"] == f"/interviews/{session.public_id}/"


class TestAccessibleMarkup:
    def test_a_message_is_announced_by_a_live_region_around_a_real_list(self, page_client, user):
        session = finished_session(user)

        html = page_client.post(f"/sessions/{session.public_id}/share/", {"share": "on"}, follow=True)
        html = html.content.decode()

        region = html.index('<div class="messages-region" role="status" aria-live="polite">')
        assert html.index('<ul class="messages"><li class="success">Sharing is on', region) > region
        assert '<ul class="messages" role=' not in html

    def test_the_api_docs_page_names_its_language(self, client):
        html = client.get("/v1/docs").content.decode()

        assert '<html lang="en">' in html
        assert 'id="swagger-ui"' in html
