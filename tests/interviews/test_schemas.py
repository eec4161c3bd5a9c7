"""Every session response matches the OpenAPI document: the docs describe what the API really sends."""

import pytest

from questionbank.models import Question
from tests.interviews.helpers import answer, next_question, start, strong_answer_for
from tests.openapi import assert_matches

pytestmark = pytest.mark.django_db


def test_a_coding_interview_matches_the_documented_shapes(auth_client):
    created = start(auth_client, mode="technical", topics=["intervals"], difficulty="medium", duration=30)
    assert_matches(created, "SessionCreatedResponse")
    session_id = created["session"]["sessionId"]
    presented = next_question(auth_client, session_id)
    assert_matches(presented, "NextQuestionResponse")
    question = Question.objects.get(public_id=presented["question"]["questionId"])
    solution = question.signatures.get(language="python").solution if question.type == "coding" else "x = 1"

    if question.type == "coding":
        ran = auth_client.post(f"/v1/api/sessions/{session_id}/run",
                               {"codeSubmission": {"language": "python", "code": solution}}, format="json")
        assert_matches(ran.json(), "RunResponse")
    posted = answer(auth_client, session_id, answerText=strong_answer_for(question),
                    codeSubmission={"language": "python", "code": solution})
    assert_matches(posted.json(), "AnswerResponse")
    fetched = auth_client.get(f"/v1/api/sessions/{session_id}/answers/{posted.json()['answer']['answerId']}")
    assert_matches(fetched.json(), "AnswerResponse")
    assert_matches(auth_client.get(f"/v1/api/sessions/{session_id}").json(), "SessionDetailResponse")
    while next_question(auth_client, session_id)["question"] is not None:
        pass
    assert_matches(next_question(auth_client, session_id), "NextQuestionResponse")
    completed = auth_client.post(f"/v1/api/sessions/{session_id}/complete")
    assert_matches(completed.json(), "CompleteResponse")
    refused = auth_client.post(f"/v1/api/sessions/{session_id}/complete")
    assert_matches(refused.json(), "ErrorEnvelopeSchema")


def test_account_and_question_responses_match_the_documented_shapes(auth_client, api_client):
    assert_matches(auth_client.get("/v1/api/users/me").json(), "UserResponse")
    assert_matches(auth_client.get("/v1/api/questions?limit=5").json(), "QuestionListResponse")
    assert_matches(auth_client.get("/v1/api/questions/random?count=3").json(), "QuestionRandomResponse")
    question = Question.objects.filter(type="coding", status="published").first()
    assert_matches(auth_client.get(f"/v1/api/questions/{question.public_id}").json(), "QuestionDetailResponse")
    assert_matches(api_client.post("/v1/auth/login", {"email": "x@example.com", "password": "nope-nope"},
                                   format="json").json(), "ErrorEnvelopeSchema")
