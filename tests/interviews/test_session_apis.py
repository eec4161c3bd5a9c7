"""Whole interviews through the REST API, evaluated for real by the offline interviewer."""

import json
import math
from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from interviews.ai.offline.coding import weigh_run
from interviews.models import Answer, InterviewSession, SessionQuestion
from interviews.services.evaluation import answer_evaluate
from interviews.services.interviewer_data import question_data
from questionbank.models import Question
from questionbank.selectors import question_sandbox_tests
from tests.accounts.factories import UserFactory
from tests.conftest import login
from tests.interviews.helpers import (
    answer,
    next_question,
    pin_plan,
    pinned_theory_question,
    start,
    strong_answer_for,
)

pytestmark = pytest.mark.django_db


def strict_json(response) -> dict:
    """The body as a strict JSON parser (a browser's) reads it: NaN and Infinity are not JSON."""
    assert response.status_code < 500, response.content[:300]

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(response.content, parse_constant=refuse)


def plan_types(session_id: str) -> list[str]:
    return list(InterviewSession.objects.get(public_id=session_id).plan.order_by("position")
                .values_list("question__type", flat=True))


class TestCreate:
    def test_returns_201_with_the_seed_shape_and_an_intro(self, auth_client):
        body = start(auth_client, jobType="Senior Software Engineer", difficulty="medium", duration=45,
                     language="javascript", includeCoding=True, topics=["algorithms", "data structures"])

        session = body["session"]
        assert session["sessionId"].startswith("session_")
        assert session["status"] == "pending"
        assert session["estimatedDuration"] == 45
        assert session["questionCount"] == len(plan_types(session["sessionId"])) > 0
        assert set(session["aiInterviewer"]) == {"name", "personality", "experience"}
        assert body["nextAction"]["type"] == "intro"
        assert "Senior Software Engineer" in body["nextAction"]["message"]

    def test_only_mode_is_required_and_the_rest_comes_from_preferences(self, auth_client, user):
        user.default_difficulty = "hard"
        user.language_preferences = ["javascript"]
        user.job_titles = ["Data Engineer"]
        user.save()

        session = start(auth_client, mode="behavioral")["session"]

        assert session["difficulty"] == "hard"
        assert session["jobType"] == "Data Engineer"
        assert session["estimatedDuration"] == 45
        assert session["language"] == "javascript"

    @pytest.mark.parametrize(("mode", "allowed"), [
        ("behavioral", {"behavioral"}),
        ("system_design", {"system_design", "theory"}),
        ("technical", {"coding", "theory"}),
    ])
    def test_the_mode_decides_the_mix_of_types(self, auth_client, mode, allowed):
        session = start(auth_client, mode=mode, duration=90)["session"]

        assert set(plan_types(session["sessionId"])) <= allowed

    def test_mixed_with_coding_covers_every_type(self, auth_client):
        session = start(auth_client, mode="mixed", duration=180, includeCoding=True)["session"]

        assert set(plan_types(session["sessionId"])) == {"coding", "theory", "behavioral", "system_design"}

    def test_coding_is_left_out_when_not_asked(self, auth_client):
        session = start(auth_client, mode="technical", includeCoding=False, duration=60)["session"]

        assert "coding" not in plan_types(session["sessionId"])

    def test_question_count_follows_duration_and_estimated_times(self, auth_client):
        session = start(auth_client, mode="behavioral", duration=30)["session"]

        plan = InterviewSession.objects.get(public_id=session["sessionId"]).plan.select_related("question")
        minutes = sum(slot.question.estimated_time for slot in plan)
        assert minutes <= 30
        assert session["questionCount"] == plan.count() >= 3

    def test_topics_and_difficulty_filter_the_plan(self, auth_client):
        session = start(auth_client, mode="technical", includeCoding=False, difficulty="hard",
                        topics=["Operating Systems"], duration=60)["session"]

        plan = InterviewSession.objects.get(public_id=session["sessionId"]).plan.select_related("question")
        assert all(s.question.category == "operating systems" and s.question.difficulty == "hard" for s in plan)

    def test_no_matching_question_is_400_naming_the_filter(self, auth_client):
        response = auth_client.post("/v1/api/sessions", {"mode": "behavioral", "topics": ["quantum-basket-weaving"]},
                                    format="json")

        assert response.status_code == 400
        assert response.json()["error"]["details"]["field"] == "topics"

    @pytest.mark.parametrize("body", [{"mode": "chaos"}, {}, {"mode": "technical", "duration": 0},
                                      {"mode": "technical", "language": "cobol"},
                                      {"mode": "technical", "difficulty": "extreme"},
                                      {"mode": "technical", "colour": "red"}])
    def test_invalid_bodies_are_400(self, auth_client, body):
        assert auth_client.post("/v1/api/sessions", body, format="json").status_code == 400

    def test_recently_met_questions_come_last(self, auth_client):
        first = pinned_theory_question(category="zz recent")
        second = pinned_theory_question(category="zz recent")
        body = {"mode": "technical", "includeCoding": False, "topics": ["zz recent"], "duration": 10}
        earlier = start(auth_client, **body)["session"]["sessionId"]
        met = next_question(auth_client, earlier)["question"]["questionId"]

        later = start(auth_client, **body)["session"]["sessionId"]

        plan = InterviewSession.objects.get(public_id=later).plan.select_related("question")
        assert [s.question.public_id for s in plan] == [q.public_id for q in (first, second) if q.public_id != met]


class TestFlow:
    def test_next_presents_questions_in_order_and_the_detail_shows_only_those(self, auth_client):
        session_id = start(auth_client, mode="behavioral", duration=30)["session"]["sessionId"]

        first = next_question(auth_client, session_id)
        detail = auth_client.get(f"/v1/api/sessions/{session_id}").json()["session"]

        assert first["session"]["currentQuestionIndex"] == 1
        assert first["session"]["remainingQuestions"] == detail["questionCount"] - 1
        assert first["question"]["type"] == "behavioral"
        assert detail["status"] == "in_progress"
        assert detail["startedAt"].endswith("Z")
        assert [q["questionId"] for q in detail["questions"]] == [first["question"]["questionId"]]
        assert detail["questions"][0]["status"] == "presented"
        assert detail["codingChallenge"] is None

    def test_moving_on_skips_an_unanswered_question(self, auth_client):
        session_id = start(auth_client, mode="behavioral", duration=30)["session"]["sessionId"]
        next_question(auth_client, session_id)

        next_question(auth_client, session_id)

        statuses = [q["status"] for q in auth_client.get(f"/v1/api/sessions/{session_id}").json()["session"][
            "questions"]]
        assert statuses == ["skipped", "presented"]

    def test_after_the_last_question_next_says_complete(self, auth_client):
        pinned_theory_question(category="zz single")
        session_id = start(auth_client, includeCoding=False, topics=["zz single"], duration=10)["session"][
            "sessionId"]
        next_question(auth_client, session_id)

        body = next_question(auth_client, session_id)

        assert body["question"] is None
        assert body["nextAction"]["type"] == "complete"

    def test_answering_before_any_question_is_invalid_state(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]

        response = answer(auth_client, session_id, answerText="hello")

        assert response.status_code == 409
        assert response.json()["error"]["code"] == "INVALID_STATE"

    def test_answer_is_evaluated_with_the_seed_shape(self, auth_client):
        question = pinned_theory_question(category="zz shape")
        session_id = start(auth_client, includeCoding=False, topics=["zz shape"], duration=10)["session"][
            "sessionId"]
        next_question(auth_client, session_id)

        response = answer(auth_client, session_id, answerText=strong_answer_for(question), responseTime=95)

        assert response.status_code == 201
        body = response.json()
        assert body["answer"]["answerId"].startswith("answer_")
        assert body["answer"]["questionId"] == question.public_id
        assert body["answer"]["responseTime"] == 95
        assert set(body["answer"]["scores"]) == {"completeness", "correctness", "communication"}
        assert body["answer"]["testResults"] is None
        assert body["answer"]["evaluator"]["provider"] == "offline"
        assert body["answer"]["evaluator"]["rubricVersion"] == question.rubric_version
        assert body["aiResponse"]["responseId"].startswith("response_")
        assert body["aiResponse"]["sentiment"] in {"positive", "neutral", "negative"}

    def test_follow_up_is_the_next_prompt_and_then_nothing_is_open(self, auth_client):
        question = pinned_theory_question(category="zz follow")
        session_id = start(auth_client, includeCoding=False, topics=["zz follow"], duration=10)["session"][
            "sessionId"]
        next_question(auth_client, session_id)
        first = answer(auth_client, session_id, answerText=strong_answer_for(question)).json()
        assert first["nextAction"]["type"] == "follow_up"
        assert first["aiResponse"]["followUp"] is True
        assert first["nextAction"]["message"] == first["aiResponse"]["followUpQuestion"]

        second = answer(auth_client, session_id, answerText="A checkpoint flushes dirty pages so replay starts "
                                                             "from the last checkpoint, bounding redo time.")
        third = answer(auth_client, session_id, answerText="one more thing")

        assert second.status_code == 201
        assert second.json()["answer"]["isFollowUp"] is True
        assert second.json()["nextAction"]["type"] == "complete"
        assert third.status_code == 409

    def test_strong_answer_scores_clearly_higher_than_a_weak_one(self, api_client):
        question = pinned_theory_question(category="zz compare", follow_ups=0)
        scores = []
        for text in (strong_answer_for(question), "I am not sure, maybe it is something with files."):
            client = APIClient()
            user = UserFactory()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(APIClient(), user.email)['accessToken']}")
            session_id = start(client, includeCoding=False, topics=["zz compare"], duration=10)["session"][
                "sessionId"]
            next_question(client, session_id)
            scores.append(answer(client, session_id, answerText=text).json()["answer"]["scores"])

        strong, weak = scores
        assert strong["completeness"] > weak["completeness"] + 30
        assert sum(strong.values()) > sum(weak.values()) + 60

    def test_a_star_answer_scores_higher_on_structure_than_one_without(self):
        question = Question.objects.get(slug="disagreed-with-tech-lead")
        star = ("The situation was a payments migration at my last company, where our tech lead wanted to rewrite "
                "the service. My task was to own the rollout plan. I proposed an incremental strangler approach, "
                "I gathered latency data and I organised a design review with the lead. As a result we shipped "
                "two weeks early and reduced incidents by 40 percent; I learned to bring data to disagreements.")
        flat = ("I disagreed with a lead once about a rewrite. We talked about it and it was fine in the end, "
                "things worked out and everyone was happy with how it went after a while.")
        scores = {}
        for name, text in (("star", star), ("flat", flat)):
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(APIClient(), UserFactory().email)['accessToken']}")
            session_id = start(client, mode="behavioral", duration=10)["session"]["sessionId"]
            pin_plan(session_id, question)
            next_question(client, session_id)
            scores[name] = answer(client, session_id, answerText=text).json()["answer"]["scores"]

        assert scores["star"]["correctness"] > scores["flat"]["correctness"] + 20
        assert scores["star"]["completeness"] > scores["flat"]["completeness"]

    def test_another_users_session_is_404(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]
        stranger = APIClient()
        other = UserFactory()
        stranger.credentials(HTTP_AUTHORIZATION=f"Bearer {login(APIClient(), other.email)['accessToken']}")

        for method, path in (("get", ""), ("post", "/questions/next"), ("post", "/complete")):
            response = getattr(stranger, method)(f"/v1/api/sessions/{session_id}{path}")
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "NOT_FOUND"

    def test_answer_text_over_32_kib_is_413(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]
        next_question(auth_client, session_id)

        response = answer(auth_client, session_id, answerText="é" * (16 * 1024 + 1))  # 2 bytes each

        assert response.status_code == 413
        assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
        assert not Answer.objects.filter(session__public_id=session_id).exists()

    def test_get_answer_returns_the_same_body(self, auth_client):
        question = pinned_theory_question(category="zz get")
        session_id = start(auth_client, includeCoding=False, topics=["zz get"], duration=10)["session"]["sessionId"]
        next_question(auth_client, session_id)
        posted = answer(auth_client, session_id, answerText=strong_answer_for(question)).json()

        fetched = auth_client.get(f"/v1/api/sessions/{session_id}/answers/{posted['answer']['answerId']}").json()

        assert fetched == posted

    def test_idle_session_is_abandoned_on_access(self, auth_client, user):
        session_id = start(auth_client, mode="behavioral", duration=20)["session"]["sessionId"]
        next_question(auth_client, session_id)

        with time_machine.travel(timedelta(minutes=41)):
            auth_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(APIClient(), user.email)['accessToken']}")
            detail = auth_client.get(f"/v1/api/sessions/{session_id}").json()["session"]
            response = auth_client.post(f"/v1/api/sessions/{session_id}/questions/next")

        assert detail["status"] == "abandoned"
        assert response.status_code == 409


class TestCoding:
    @pytest.fixture
    def coding_session(self, auth_client):
        question = Question.objects.get(slug="merge-overlapping-intervals")
        session_id = start(auth_client, mode="technical", topics=["intervals"], difficulty="medium",
                           duration=30)["session"]["sessionId"]
        pin_plan(session_id, question)
        presented = next_question(auth_client, session_id)["question"]
        return session_id, question, presented

    def test_presented_coding_question_has_signatures_and_examples(self, coding_session):
        _, question, presented = coding_session

        assert presented["functionName"]["python"] == question.signatures.get(language="python").function_name
        assert "javascript" in presented["starterCode"]
        visible = question.test_cases.filter(hidden=False)
        assert presented["examples"] == [{"input": c.args, "expected": c.expected} for c in visible]

    def test_reference_solution_is_accepted_with_full_correctness(self, auth_client, coding_session):
        session_id, question, _ = coding_session
        solution = question.signatures.get(language="python").solution

        body = answer(auth_client, session_id, answerText="Sort by start, then merge in one pass: O(n log n).",
                      codeSubmission={"language": "python", "code": solution,
                                      "approachExplanation": "sort then sweep"}).json()

        results = body["answer"]["testResults"]
        assert results["verdict"] == "accepted"
        assert results["passed"] == results["total"] == question.test_cases.count()
        assert body["answer"]["scores"]["correctness"] == 100
        hidden = [c for c in results["cases"] if c["hidden"]]
        assert hidden
        assert all(set(c) == {"name", "status", "timeMs", "hidden"} for c in hidden)
        visible = [c for c in results["cases"] if not c["hidden"]]
        assert all({"input", "expected", "actual"} <= set(c) for c in visible)
        question.refresh_from_db()
        assert (question.solved_count, question.attempt_count) == (1, 1)

    def test_wrong_code_scores_its_weighed_run_below_its_pass_percentage(self, auth_client, coding_session):
        session_id, question, _ = coding_session
        name = question.signatures.get(language="javascript").function_name

        body = answer(auth_client, session_id, codeSubmission={
            "language": "javascript", "code": f"function {name}(intervals) {{ return intervals; }}"}).json()

        results = body["answer"]["testResults"]
        assert results["verdict"] == "wrong_answer"
        assert 0 < results["passed"] < results["total"]
        # It fails typical cases, so it is the wrong algorithm however many edge cases it passes.
        weighed = round(100 * weigh_run(question_data(question), results).score)
        assert body["answer"]["scores"]["correctness"] == weighed
        assert weighed < 100 * results["passed"] / results["total"]

    def test_syntax_error_is_compile_error_on_every_case(self, auth_client, coding_session):
        session_id, _, _ = coding_session

        results = answer(auth_client, session_id, codeSubmission={
            "language": "python", "code": "def broken(:\n  pass"}).json()["answer"]["testResults"]

        assert results["verdict"] == "compile_error"
        assert {c["status"] for c in results["cases"]} == {"error"}

    def test_code_that_cannot_be_run_reopens_the_prompt_only_once(self, auth_client, coding_session, monkeypatch):
        """A run that always ends `internal_error` (here: the runtime is missing) must not let the candidate
        answer again and again: the second time the answer is judged without running, and the interview
        goes on (to the follow-up)."""
        session_id, question, _ = coding_session
        monkeypatch.setenv("SANDBOX_PYTHON", "/nonexistent/python3")
        code = {"language": "python", "code": question.signatures.get(language="python").solution}

        first = answer(auth_client, session_id, answerText="Sort, then sweep.", codeSubmission=code)
        second = answer(auth_client, session_id, answerText="Sort, then sweep.", codeSubmission=code)
        third = answer(auth_client, session_id, answerText="Sort, then sweep.", codeSubmission=code)

        assert first.json()["answer"]["status"] == "failed"
        assert second.status_code == 201, second.content
        assert second.json()["answer"]["status"] == "evaluated"
        assert second.json()["answer"]["testResults"] is None
        assert third.json()["answer"]["isFollowUp"] is True  # the question itself stayed answered
        main = Answer.objects.filter(session__public_id=session_id, is_follow_up=False).order_by("pk")
        assert [a.status for a in main] == ["failed", "evaluated"]

    def test_a_language_that_does_not_run_is_judged_without_test_results(self, auth_client, coding_session):
        session_id, _, _ = coding_session

        body = answer(auth_client, session_id, codeSubmission={
            "language": "java", "code": "class S { int[][] merge(int[][] a) { return a; } }"}).json()

        assert body["answer"]["testResults"] is None
        assert body["answer"]["status"] == "evaluated"

    def test_run_uses_only_the_visible_examples_and_keeps_the_prompt_open(self, auth_client, coding_session):
        session_id, question, _ = coding_session
        solution = question.signatures.get(language="python").solution

        response = auth_client.post(f"/v1/api/sessions/{session_id}/run", {
            "codeSubmission": {"language": "python", "code": solution}}, format="json")

        results = response.json()["testResults"]
        assert response.status_code == 200
        assert results["total"] == question.test_cases.filter(hidden=False).count()
        assert results["verdict"] == "accepted"
        assert not any(c["hidden"] for c in results["cases"])
        assert not Answer.objects.filter(session__public_id=session_id).exists()

    def test_run_in_a_language_that_cannot_run_is_400(self, auth_client, coding_session):
        session_id, _, _ = coding_session

        response = auth_client.post(f"/v1/api/sessions/{session_id}/run", {
            "codeSubmission": {"language": "go", "code": "package main"}}, format="json")

        assert response.status_code == 400

    def test_run_without_a_current_coding_question_is_409(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]
        next_question(auth_client, session_id)

        response = auth_client.post(f"/v1/api/sessions/{session_id}/run", {
            "codeSubmission": {"language": "python", "code": "x = 1"}}, format="json")

        assert response.status_code == 409


    def test_a_nan_return_value_from_run_is_strict_json_not_a_500(self, auth_client, coding_session):
        session_id, question, _ = coding_session
        name = question.signatures.get(language="python").function_name

        response = auth_client.post(f"/v1/api/sessions/{session_id}/run", {"codeSubmission": {
            "language": "python", "code": f"def {name}(intervals):\n    return float('nan')"}}, format="json")

        assert response.status_code == 200, response.content[:300]
        results = strict_json(response)["testResults"]
        assert results["verdict"] != "accepted"
        assert results["passed"] == 0

    def test_unstorable_return_values_still_end_the_answer_evaluated(self, auth_client, coding_session):
        session_id, question, _ = coding_session
        name = question.signatures.get(language="python").function_name
        code = (f"def {name}(intervals):\n"
                "    return [float('nan'), float('inf'), -float('inf'), 'nul\\x00', 'lone\\ud800']")

        response = answer(auth_client, session_id, codeSubmission={"language": "python", "code": code})

        assert response.status_code == 201, response.content[:300]
        posted = strict_json(response)["answer"]
        assert posted["status"] == "evaluated"
        assert posted["testResults"]["passed"] == 0
        fetched = auth_client.get(f"/v1/api/sessions/{session_id}/answers/{posted['answerId']}")
        assert strict_json(fetched)["answer"]["testResults"] == posted["testResults"]

    def test_whatever_a_run_carries_the_answer_is_stored_and_served(self, auth_client, coding_session):
        # Given a result as the sandbox queue could deliver it: non-finite numbers, NUL, a lone surrogate
        # and a return value nested far deeper than JSON tooling recurses
        session_id, question, _ = coding_session
        slot = SessionQuestion.objects.get(session__public_id=session_id, question=question)
        pending = Answer.objects.create(session=slot.session, slot=slot, code="x", language="python")
        tests = question_sandbox_tests(question=question, include_hidden=True)
        deep: list = []
        for _ in range(5000):
            deep = [deep]
        hostile = [math.nan, math.inf, -math.inf, "nul\x00", "lone\ud800", {"k\x00": deep}]
        run = {"verdict": "wrong_answer", "passed": 0, "total": len(tests), "stderr": "\x00\ud800",
               "cases": [{"status": "failed", "time_ms": math.nan, "actual": hostile, "error": "e\x00"}
                         for _ in tests]}

        # When it is evaluated
        answer_evaluate(answer_id=pending.public_id, run=run)

        # Then the answer ends evaluated and is served as strict JSON, with what the code returned shown
        pending.refresh_from_db()
        assert pending.status == "evaluated"
        body = strict_json(auth_client.get(f"/v1/api/sessions/{session_id}/answers/{pending.public_id}"))
        visible = next(case for case in body["answer"]["testResults"]["cases"] if not case["hidden"])
        assert visible["actual"][:5] == ["NaN", "Infinity", "-Infinity", "nul\ufffd", "lone\ufffd"]
        assert visible["timeMs"] is None

class TestComplete:
    def test_complete_on_a_pending_session_is_409(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]

        assert auth_client.post(f"/v1/api/sessions/{session_id}/complete").status_code == 409

    def test_complete_returns_scores_feedback_and_transcript(self, auth_client):
        question = pinned_theory_question(category="zz complete", follow_ups=0)
        second = pinned_theory_question(category="zz complete", follow_ups=0)
        session_id = start(auth_client, includeCoding=False, topics=["zz complete"], duration=20)["session"][
            "sessionId"]
        next_question(auth_client, session_id)
        first_answer = answer(auth_client, session_id, answerText=strong_answer_for(question)).json()
        next_question(auth_client, session_id)  # the second question is presented and left unanswered

        response = auth_client.post(f"/v1/api/sessions/{session_id}/complete")

        assert response.status_code == 200
        body = response.json()
        scores = first_answer["answer"]["scores"]
        mean = (scores["completeness"] + scores["correctness"] + scores["communication"]) / 3
        assert body["session"]["overallScore"] == round(mean / 2, 1)  # the skipped question counts as 0
        assert body["session"]["accuracy"] == (50.0 if scores["correctness"] >= 70 else 0.0)
        assert body["session"]["communicationScore"] == round(scores["communication"] / 2, 1)
        assert body["session"]["problemSolvingScore"] == round(
            (scores["correctness"] + scores["completeness"]) / 2 / 2, 1)
        assert body["session"]["questionCount"] == 2
        assert body["session"]["status"] == "completed"
        assert body["feedback"]["feedbackId"].startswith("feedback_")
        assert body["feedback"]["summary"]
        assert 0 <= body["feedback"]["percentileRank"] <= 100
        assert body["transcript"]["downloadUrl"].endswith(f"/v1/api/sessions/{session_id}/transcript.pdf")
        assert body["transcript"]["shareableLink"] is None
        assert second.public_id in {q["questionId"] for q in auth_client.get(
            f"/v1/api/sessions/{session_id}").json()["session"]["questions"]}

    def test_a_completed_session_refuses_answers_next_and_complete(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]
        next_question(auth_client, session_id)
        auth_client.post(f"/v1/api/sessions/{session_id}/complete")

        for response in (answer(auth_client, session_id, answerText="late"),
                         auth_client.post(f"/v1/api/sessions/{session_id}/questions/next"),
                         auth_client.post(f"/v1/api/sessions/{session_id}/complete")):
            assert response.status_code == 409
            assert response.json()["error"]["code"] == "INVALID_STATE"

    def test_feedback_is_readable_by_its_owner_only(self, auth_client):
        session_id = start(auth_client, mode="behavioral")["session"]["sessionId"]
        next_question(auth_client, session_id)
        feedback_id = auth_client.post(f"/v1/api/sessions/{session_id}/complete").json()["feedback"]["feedbackId"]
        stranger = APIClient()
        stranger.credentials(HTTP_AUTHORIZATION=f"Bearer {login(APIClient(), UserFactory().email)['accessToken']}")

        mine = auth_client.get(f"/v1/api/feedback/{feedback_id}")
        theirs = stranger.get(f"/v1/api/feedback/{feedback_id}")

        assert mine.status_code == 200
        assert set(mine.json()["feedback"]) >= {"feedbackId", "sessionId", "overallScore", "summary",
                                                "technicalSkills", "communication", "strengths",
                                                "improvementAreas", "recommendations", "percentileRank",
                                                "benchmarkComparison", "generatedAt"}
        assert theirs.status_code == 404


@pytest.mark.parametrize("mode", ["technical", "behavioral", "system_design", "mixed"])
def test_a_whole_interview_in_every_mode(auth_client, mode):
    session_id = start(auth_client, mode=mode, duration=60)["session"]["sessionId"]
    answered = 0
    while (body := next_question(auth_client, session_id))["question"] is not None:
        question = Question.objects.get(public_id=body["question"]["questionId"])
        payload = {"answerText": strong_answer_for(question)}
        if question.type == "coding":
            payload["codeSubmission"] = {"language": "python",
                                         "code": question.signatures.get(language="python").solution}
        result = answer(auth_client, session_id, **payload).json()
        answered += 1
        if result["nextAction"]["type"] == "follow_up":
            answer(auth_client, session_id, answerText=strong_answer_for(question))

    completed = auth_client.post(f"/v1/api/sessions/{session_id}/complete").json()

    assert answered == completed["session"]["questionCount"]
    assert completed["session"]["overallScore"] > 40
    assert completed["feedback"]["strengths"]
