"""Session endpoints: thin doors onto interviews.services (the socket uses the same services)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloudinterview.api.responses import BoundedListField, StrictSerializer, envelope, validated
from cloudinterview.api.schema import errors
from cloudinterview.api.throttling import SessionsThrottle
from cloudinterview.api.times import iso
from cloudinterview.choices import Difficulty, Language, Mode
from feedback.presenters import feedback_summary, share_url

from . import presenters
from . import schemas as docs
from .models import SessionQuestion
from .services.evaluation import wait_for
from .services.flow import (
    answer_for_user,
    answer_submit,
    evaluation_wait_seconds,
    question_next,
    run_examples,
    session_complete,
    session_for_user,
)
from .services.planning import intro_action, session_start


class SessionCreateInput(StrictSerializer):
    mode = serializers.ChoiceField(choices=Mode.choices)
    jobType = serializers.CharField(source="job_type", max_length=150, required=False)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False)
    duration = serializers.IntegerField(min_value=5, max_value=180, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    includeCoding = serializers.BooleanField(source="include_coding", required=False)
    topics = BoundedListField(max_items=10, max_length=60, required=False)


class CodeSubmissionInput(StrictSerializer):
    language = serializers.ChoiceField(choices=Language.choices)
    code = serializers.CharField(allow_blank=True, trim_whitespace=False)
    approachExplanation = serializers.CharField(source="approach", allow_blank=True, trim_whitespace=False,
                                                required=False, default="")


class AnswerInput(StrictSerializer):
    answerText = serializers.CharField(source="text", allow_blank=True, trim_whitespace=False, required=False,
                                       default="")
    codeSubmission = CodeSubmissionInput(source="code_submission", required=False)
    responseTime = serializers.IntegerField(source="response_time", min_value=0, max_value=86400, required=False)


class RunCodeInput(StrictSerializer):
    language = serializers.ChoiceField(choices=Language.choices)
    code = serializers.CharField(allow_blank=False, trim_whitespace=False)


class RunInput(StrictSerializer):
    codeSubmission = RunCodeInput(source="code_submission")


def answer_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Flatten the validated answer body into answer_submit's keyword arguments."""
    code = data.get("code_submission") or {}
    return {"text": data.get("text", ""), "code": code.get("code", ""), "language": code.get("language", ""),
            "approach": code.get("approach", ""), "response_time": data.get("response_time")}


SESSION_TAGS = ["sessions"]


class SessionCreateApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=SessionCreateInput, responses={201: docs.SessionCreatedResponse, **errors(400, 401, 429)},
                   tags=SESSION_TAGS)
    def post(self, request: Request) -> Response:
        data = validated(SessionCreateInput, request.data)
        session = session_start(user=request.user, **data)
        count = SessionQuestion.objects.filter(session=session).count()
        return envelope(status=201, session=presenters.session_core(session, count),
                        nextAction=intro_action(session=session, question_count=count))


class SessionDetailApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(responses={200: docs.SessionDetailResponse, **errors(401, 404, 429)}, tags=SESSION_TAGS)
    def get(self, request: Request, session_id: str) -> Response:
        session = session_for_user(user=request.user, session_id=session_id)
        return envelope(session=presenters.session_detail(session))


class QuestionNextApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=None, responses={200: docs.NextQuestionResponse, **errors(401, 404, 409, 429)},
                   tags=SESSION_TAGS)
    def post(self, request: Request, session_id: str) -> Response:
        session = session_for_user(user=request.user, session_id=session_id)
        slot = question_next(session=session)
        return envelope(**presenters.next_body(session, slot))


class AnswerCreateApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=AnswerInput, responses={201: docs.AnswerResponse, 202: docs.AnswerResponse,
                                                   **errors(400, 401, 404, 409, 413, 429)}, tags=SESSION_TAGS)
    def post(self, request: Request, session_id: str) -> Response:
        data = validated(AnswerInput, request.data)
        session = session_for_user(user=request.user, session_id=session_id)
        answer, pending = answer_submit(session=session, **answer_fields(data))
        done = wait_for(pending, evaluation_wait_seconds())
        answer = answer_for_user(user=request.user, session_id=session_id, answer_id=answer.public_id)
        return envelope(status=201 if done and answer.status != "evaluating" else 202,
                        **presenters.answer_body(answer))


class AnswerDetailApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(responses={200: docs.AnswerResponse, **errors(401, 404, 429)}, tags=SESSION_TAGS)
    def get(self, request: Request, session_id: str, answer_id: str) -> Response:
        answer = answer_for_user(user=request.user, session_id=session_id, answer_id=answer_id)
        return envelope(**presenters.answer_body(answer))


class RunApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=RunInput, responses={200: docs.RunResponse, **errors(400, 401, 404, 409, 413, 429)},
                   tags=SESSION_TAGS)
    def post(self, request: Request, session_id: str) -> Response:
        data = validated(RunInput, request.data)
        session = session_for_user(user=request.user, session_id=session_id)
        results = run_examples(session=session, **data["code_submission"])
        return envelope(testResults=results)


class CompleteApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=None, responses={200: docs.CompleteResponse, 202: docs.CompleteResponse,
                                            **errors(401, 404, 409, 429)}, tags=SESSION_TAGS)
    def post(self, request: Request, session_id: str) -> Response:
        session = session_for_user(user=request.user, session_id=session_id)
        feedback, pending = session_complete(session=session)
        done = wait_for(pending, evaluation_wait_seconds())
        feedback.refresh_from_db()
        session.refresh_from_db()
        body = {
            "session": {"sessionId": session.public_id, "status": session.status,
                        "completedAt": iso(session.completed_at), "duration": session.actual_duration,
                        "overallScore": session.overall_score, "questionCount": session.plan.count(),
                        "accuracy": session.accuracy, "communicationScore": session.communication_score,
                        "problemSolvingScore": session.problem_solving_score},
            "feedback": feedback_summary(feedback),
            "transcript": {
                "downloadUrl": request.build_absolute_uri(f"/v1/api/sessions/{session.public_id}/transcript.pdf"),
                "shareableLink": share_url(request, session),
            },
        }
        return envelope(status=200 if done and feedback.status == "ready" else 202, **body)
