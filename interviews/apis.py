"""Session and answer endpoints: ViewSets whose actions validate, call one service or selector, and serialize with
interviews.serializers (the socket calls the same services). Completing, sharing and the transcript are feedback's
actions on the same resource (feedback/apis.py)."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from cloudinterview.api.responses import accepted, envelope, validated
from cloudinterview.api.schema import envelope_schema, errors
from cloudinterview.api.throttling import QuestionsThrottle, SessionsThrottle
from cloudinterview.waiting import wait_for

from . import serializers as s
from .models import AnswerStatus
from .selectors import answer_for_user, intro_action, question_presented, session_with_plan
from .services.flow import answer_submit, evaluation_wait_seconds, question_next, run_examples, session_for_user
from .services.languages import languages_runnable
from .services.planning import session_start

SessionCreatedResponse = envelope_schema("SessionCreatedResponse", session=s.SessionOutput(),
                                         nextAction=s.NextActionOutput())
SessionDetailResponse = envelope_schema("SessionDetailResponse", session=s.SessionDetailOutput())
NextQuestionResponse = envelope_schema("NextQuestionResponse", question=s.PresentedQuestionOutput(allow_null=True),
                                       session=s.ProgressOutput(), nextAction=s.NextActionOutput(required=False))
AnswerResponse = envelope_schema("AnswerResponse", answer=s.AnswerOutput(),
                                 aiResponse=s.AiResponseOutput(allow_null=True, required=False),
                                 nextAction=s.NextActionOutput())
RunResponse = envelope_schema("RunResponse", testResults=s.TestResultsOutput())
LanguagesResponse = envelope_schema("LanguagesResponse", languages=s.LanguageOutput(many=True))

SESSION_TAGS = ["sessions"]


class SessionViewSet(viewsets.ViewSet):
    """`/sessions`: create, read, present the next question, run code against the examples."""

    lookup_field = "public_id"
    lookup_url_kwarg = "session_id"
    lookup_value_converter = "session"
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=s.SessionCreateInput, responses={201: SessionCreatedResponse, **errors(400, 401, 429)},
                   tags=SESSION_TAGS, summary="Start a session",
                   description="Plans an interview session (mode, difficulty, duration, language, topics) and "
                               "returns it with its first action. `language` must be one that runs "
                               "(GET /v1/api/languages).")
    def create(self, request: Request) -> Response:
        session = session_with_plan(session_start(user=request.user, **validated(s.SessionCreateInput, request.data)))
        return envelope(status=201, session=s.SessionOutput(session).data,
                        nextAction=intro_action(session=session, question_count=len(session.plan.all())))

    @extend_schema(responses={200: SessionDetailResponse, **errors(401, 404, 429)}, tags=SESSION_TAGS,
                   summary="Get a session",
                   description="The session with the questions shown so far, its progress, its score once "
                               "completed, and its current or latest coding challenge.")
    def retrieve(self, request: Request, session_id: str) -> Response:
        session = session_with_plan(session_for_user(user=request.user, session_id=session_id))
        return envelope(session=s.SessionDetailOutput(session).data)

    @extend_schema(request=None, responses={200: NextQuestionResponse, **errors(401, 404, 409, 429)},
                   tags=SESSION_TAGS, summary="Present the next question",
                   description="Presents the next question of the plan (the first call starts the session), with "
                               "the progress. At the end of the plan, `question` is null and `nextAction.type` is "
                               "`complete`. A question still awaiting its answer is a 409 INVALID_STATE.")
    @action(detail=True, methods=["post"], url_path="questions/next", url_name="next")
    def next(self, request: Request, session_id: str) -> Response:
        session = session_for_user(user=request.user, session_id=session_id)
        slot = question_next(session=session)
        return envelope(**s.QuestionNextOutput(question_presented(session=session, slot=slot)).data)

    @extend_schema(request=s.RunInput, responses={200: RunResponse, **errors(400, 401, 404, 409, 413, 429)},
                   tags=SESSION_TAGS, summary="Run code against the examples",
                   description="Runs code for the coding question on the table against its visible examples, in "
                               "the sandbox, without answering: the test results only.")
    @action(detail=True, methods=["post"])
    def run(self, request: Request, session_id: str) -> Response:
        data = validated(s.RunInput, request.data)
        session = session_for_user(user=request.user, session_id=session_id)
        return envelope(testResults=run_examples(session=session, **data["code_submission"]))


class AnswerViewSet(viewsets.ViewSet):
    """`/sessions/{sessionId}/answers`: answer the current prompt (waiting a while for the evaluation), read one."""

    lookup_field = "public_id"
    lookup_url_kwarg = "answer_id"
    lookup_value_converter = "answer"
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=s.AnswerInput, responses={201: AnswerResponse, 202: AnswerResponse,
                                                     **errors(400, 401, 404, 409, 413, 429)}, tags=SESSION_TAGS,
                   summary="Answer the current prompt",
                   description="Answers the question (or its follow-up) awaiting an answer: text, code, or both. "
                               "201 with the evaluation when it is ready within a few seconds; otherwise 202 with "
                               "the answer `evaluating`, `Location` (this answer) and `Retry-After`. Send "
                               "`questionId` so that a retry can never answer the next prompt.")
    def create(self, request: Request, session_id: str) -> Response:
        data = validated(s.AnswerInput, request.data)
        session = session_for_user(user=request.user, session_id=session_id)
        answer, pending = answer_submit(session=session, **s.answer_fields(data))
        done = wait_for(pending, evaluation_wait_seconds())
        answer = answer_for_user(user=request.user, session_id=session_id, answer_id=answer.public_id)
        body = s.AnswerResultOutput(answer).data
        if done and answer.status != AnswerStatus.EVALUATING:
            return envelope(status=201, **body)
        return accepted(request, "session-answer-detail", {"session_id": session_id, "answer_id": answer.public_id},
                        **body)

    @extend_schema(responses={200: AnswerResponse, **errors(401, 404, 429)}, tags=SESSION_TAGS,
                   summary="Get an answer",
                   description="An answer with its evaluation (scores, test results, the interviewer's response) "
                               "once evaluated; while `evaluating`, only the answer and `nextAction` "
                               "`await_evaluation`. The `Location` of a 202 answer.")
    def retrieve(self, request: Request, session_id: str, answer_id: str) -> Response:
        answer = answer_for_user(user=request.user, session_id=session_id, answer_id=answer_id)
        return envelope(**s.AnswerResultOutput(answer).data)


class LanguageViewSet(viewsets.ViewSet):
    """`/languages`: the languages a session may use, with the sandbox's runtime versions. Public, so a client can
    ask before signing in; counted under the questions scope (per user, or per client IP)."""

    permission_classes = [AllowAny]
    throttle_classes = [QuestionsThrottle]

    @extend_schema(operation_id="languages_list", responses={200: LanguagesResponse, **errors(429)},
                   tags=["languages"], auth=[], summary="Languages that run",
                   description="Each language a session's `language` may be, with the runtime and version the code "
                               "sandbox runs it with. Other languages are refused at session creation.")
    def list(self, request: Request) -> Response:
        return envelope(languages=s.LanguageOutput(languages_runnable(), many=True).data)
