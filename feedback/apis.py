"""Feedback's endpoints: the report, completing, sharing and the transcript of a session, and the user's own
resource (`/users/me` with its stats, history, analytics and export). ViewSets whose actions validate, call one
service or selector, and serialize with feedback.serializers."""

from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import serializers as accounts_serializers
from accounts.services import user_delete, user_update
from cloudinterview.api.filtering import filter_params
from cloudinterview.api.pagination import PageQuery, paginate
from cloudinterview.api.responses import accepted, envelope, validated
from cloudinterview.api.schema import PaginationSchema, envelope_schema, errors
from cloudinterview.api.throttling import FeedbackThrottle, SessionsThrottle
from cloudinterview.waiting import wait_for
from interviews.models import InterviewSession
from interviews.selectors import session_with_plan
from interviews.services.flow import evaluation_wait_seconds, session_for_user, sessions_abandon_stale_for_user

from . import serializers as s
from .analytics import user_analytics, user_stats
from .filters import SessionHistoryFilter
from .models import FeedbackStatus
from .selectors import (
    feedback_for_user,
    session_list_for_user,
    session_report_for_user,
    sessions_export_for_user,
    share_token,
)
from .services import session_complete, share_create, share_revoke
from .transcript import transcript_pdf

FeedbackResponse = envelope_schema("FeedbackResponse", feedback=s.FeedbackOutput())
CompleteResponse = envelope_schema("CompleteResponse", session=s.CompletedSessionOutput(),
                                   feedback=s.FeedbackSummaryOutput(), transcript=s.TranscriptOutput())
ShareResponse = envelope_schema("ShareResponse", shareableLink=serializers.URLField())
UserResponse = envelope_schema("UserResponse", user=accounts_serializers.UserWithStatsOutput())
HistoryResponse = envelope_schema("SessionHistoryResponse", sessions=s.HistoryItemOutput(many=True),
                                  pagination=PaginationSchema())
AnalyticsResponse = envelope_schema("AnalyticsResponse", analytics=s.AnalyticsOutput())
ExportResponse = envelope_schema("ExportResponse", export=envelope_schema(
    "Export", user=accounts_serializers.UserWithStatsOutput(), sessions=s.ExportSessionOutput(many=True)))

SESSION_TAGS = ["sessions"]
USER_TAGS = ["users"]


class FeedbackViewSet(viewsets.ViewSet):
    lookup_field = "public_id"
    lookup_url_kwarg = "feedback_id"
    lookup_value_converter = "feedback"
    throttle_classes = [FeedbackThrottle]

    @extend_schema(responses={200: FeedbackResponse, **errors(401, 404, 429)}, tags=["feedback"],
                   summary="Get a feedback report",
                   description="A completed session's report: summary, scores, strengths, improvement areas, "
                               "skills and the comparison with others in the role. While `status` is `generating`, "
                               "the text and scores are null: poll again after the complete call's Retry-After.")
    def retrieve(self, request: Request, feedback_id: str) -> Response:
        return envelope(feedback=s.FeedbackOutput(feedback_for_user(user=request.user, feedback_id=feedback_id)).data)


class JsonErrorsNegotiation(DefaultContentNegotiation):
    """The PDF is returned as bytes whatever Accept says; the renderer chosen here only ever renders errors,
    so it is always the JSON one (an `Accept: application/pdf` request still gets JSON errors)."""

    def select_renderer(self, request: Request, renderers: list[BaseRenderer],
                        format_suffix: str | None = None) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class SessionReportViewSet(viewsets.ViewSet):
    """Feedback's actions on `/sessions/{sessionId}`: complete it (opening its report), share its report, print it."""

    lookup_field = "public_id"
    lookup_url_kwarg = "session_id"
    lookup_value_converter = "session"
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=None,
                   responses={200: CompleteResponse, 202: CompleteResponse, **errors(401, 404, 409, 429)},
                   tags=SESSION_TAGS, summary="Complete a session",
                   description="Ends the session and opens its feedback report. 200 when the report is ready "
                               "within a few seconds; otherwise 202 with the report `generating`, `Location` (the "
                               "report) and `Retry-After`. Scores are null until the evaluations are done.")
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, session_id: str) -> Response:
        session = session_for_user(user=request.user, session_id=session_id)
        feedback, pending = session_complete(session=session)
        done = wait_for(pending, evaluation_wait_seconds())
        feedback.refresh_from_db()
        session = session_with_plan(InterviewSession.objects.get(pk=session.pk))
        completion = {"session": session, "feedback": feedback, "share_token": share_token(session)}
        body = s.CompleteOutput(completion, context={"request": request}).data
        if done and feedback.status == FeedbackStatus.READY:
            return envelope(**body)
        return accepted(request, "feedback-detail", {"feedback_id": feedback.public_id}, **body)

    @extend_schema(operation_id="sessions_share_create", request=None,
                   responses={201: ShareResponse, **errors(401, 404, 409, 429)}, tags=SESSION_TAGS,
                   summary="Share a session's report",
                   description="Creates (or returns) the public link to a completed session's report: anyone "
                               "with it can read the report, without signing in.")
    @action(detail=True, methods=["post"])
    def share(self, request: Request, session_id: str) -> Response:
        link = share_create(session=session_for_user(user=request.user, session_id=session_id))
        return envelope(status=201, **s.ShareOutput(link, context={"request": request}).data)

    @extend_schema(operation_id="sessions_share_destroy", request=None,
                   responses={204: OpenApiResponse(description="Revoked"), **errors(401, 404, 429)}, tags=SESSION_TAGS,
                   summary="Stop sharing a session's report",
                   description="Revokes the public link: it answers 404 from now on.")
    @share.mapping.delete
    def unshare(self, request: Request, session_id: str) -> Response:
        share_revoke(session=session_for_user(user=request.user, session_id=session_id))
        return Response(status=204)

    @extend_schema(operation_id="sessions_transcript_pdf",
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                        description="The transcript as a PDF"),
                              **errors(401, 404, 429)}, tags=SESSION_TAGS,
                   summary="Download the transcript",
                   description="The completed session's transcript and report as a PDF file (errors are JSON).")
    @action(detail=True, methods=["get"], url_path="transcript.pdf", url_name="transcript-pdf",
            content_negotiation_class=JsonErrorsNegotiation)
    def transcript(self, request: Request, session_id: str) -> HttpResponse:
        session = session_report_for_user(user=request.user, session_id=session_id)
        response = HttpResponse(transcript_pdf(session), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="transcript-{session.public_id}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class MeViewSet(viewsets.ViewSet):
    """`/users/me`: the signed-in user with the stats computed from their sessions, and what hangs below it.
    It is feedback's door because those stats and the history are feedback's reads (accounts sits upstream)."""

    throttle_classes = [SessionsThrottle]
    queryset = InterviewSession.objects.none()  # the history's model, for its FilterSet's OpenAPI parameters
    filter_backends = [DjangoFilterBackend]
    filterset_class = SessionHistoryFilter

    def _user(self, request: Request) -> Response:
        return envelope(user=accounts_serializers.UserWithStatsOutput(
            request.user, context={"stats": user_stats(user=request.user)}).data)

    @extend_schema(responses={200: UserResponse, **errors(401, 429)}, tags=USER_TAGS, summary="Get my account",
                   description="The signed-in user: profile, preferences and the stats of their sessions.")
    def retrieve(self, request: Request) -> Response:
        return self._user(request)

    @extend_schema(request=accounts_serializers.UserUpdateInput,
                   responses={200: UserResponse, **errors(400, 401, 429)}, tags=USER_TAGS,
                   summary="Update my account",
                   description="Updates the name, profile and preferences; fields left out keep their values.")
    def update(self, request: Request) -> Response:
        user_update(user=request.user, **validated(accounts_serializers.UserUpdateInput, request.data))
        return self._user(request)

    @extend_schema(request=accounts_serializers.UserUpdateInput,
                   responses={200: UserResponse, **errors(400, 401, 429)}, tags=USER_TAGS,
                   summary="Update part of my account",
                   description="As PUT: updates the fields given, keeps the others.")
    def partial_update(self, request: Request) -> Response:
        return self.update(request)

    @extend_schema(request=accounts_serializers.UserDeleteInput,
                   responses={204: OpenApiResponse(description="Deleted"), **errors(400, 401, 429)}, tags=USER_TAGS,
                   summary="Delete my account",
                   description="Deletes the account and everything of it (sessions, answers, reports, webhooks), "
                               "given the password. It cannot be undone: export first.")
    def destroy(self, request: Request) -> Response:
        user_delete(user=request.user, **validated(accounts_serializers.UserDeleteInput, request.data))
        return Response(status=204)

    @extend_schema(operation_id="users_me_sessions_list", parameters=[PageQuery], filters=True,
                   responses={200: HistoryResponse, **errors(400, 401, 429)}, tags=USER_TAGS,
                   summary="List my sessions",
                   description="The user's sessions, newest first, filtered and paginated (`limit`, `offset`).")
    @action(detail=False, methods=["get"])
    def sessions(self, request: Request) -> Response:
        filters, page_params = filter_params(SessionHistoryFilter, request)
        sessions_abandon_stale_for_user(user=request.user)
        page = paginate(session_list_for_user(user=request.user, filters=filters), **page_params)
        return envelope(sessions=s.HistoryItemOutput(page.items, many=True).data, pagination=page.pagination)

    @extend_schema(responses={200: AnalyticsResponse, **errors(401, 429)}, tags=USER_TAGS,
                   summary="Get my analytics",
                   description="Overview, performance by category, skill progress, recent activity and what to "
                               "practise next, from the user's completed sessions (docs/api.md, \"Analytics\").")
    @action(detail=False, methods=["get"], throttle_classes=[FeedbackThrottle], filter_backends=[])
    def analytics(self, request: Request) -> Response:
        return envelope(analytics=s.AnalyticsOutput(user_analytics(user=request.user)).data)

    @extend_schema(responses={200: ExportResponse, **errors(401, 429)}, tags=USER_TAGS,
                   summary="Export my data",
                   description="Everything the service holds about the user: the account, and every session with "
                               "its questions, answers, evaluations and report.")
    @action(detail=False, methods=["get"], throttle_classes=[FeedbackThrottle], filter_backends=[])
    def export(self, request: Request) -> Response:
        user = accounts_serializers.UserWithStatsOutput(request.user, context={"stats": user_stats(user=request.user)})
        sessions = s.ExportSessionOutput(sessions_export_for_user(user=request.user), many=True,
                                         context={"request": request})
        return envelope(export={"user": user.data, "sessions": sessions.data})

