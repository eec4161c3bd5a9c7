"""Feedback, history, analytics, export, transcript and share endpoints: thin doors onto feedback's
selectors and services."""

from datetime import UTC, datetime
from typing import Any

from django.http import HttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import UserOutput
from cloudinterview.api.pagination import PageQuery, paginate, query_params
from cloudinterview.api.responses import envelope
from cloudinterview.api.schema import PaginationSchema, envelope_schema, errors
from cloudinterview.api.throttling import FeedbackThrottle, SessionsThrottle
from cloudinterview.choices import Mode
from interviews.models import SessionStatus
from interviews.selectors import day_start, session_list_for_user
from interviews.services.flow import session_for_user

from .presenters import feedback_detail, history_item, session_export
from .selectors import feedback_for_user, session_report_for_user, sessions_export_for_user, user_analytics
from .services import history_sweep, share_create, share_revoke
from .transcript import transcript_pdf

FEEDBACK_TAGS = ["feedback"]
USER_TAGS = ["users"]
SESSION_TAGS = ["sessions"]


def _origin(request: Request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class FeedbackDetailApi(APIView):
    throttle_classes = [FeedbackThrottle]

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The seed's feedback shape"),
                              **errors(401, 404, 429)}, tags=FEEDBACK_TAGS)
    def get(self, request: Request, feedback_id: str) -> Response:
        return envelope(feedback=feedback_detail(feedback_for_user(user=request.user, feedback_id=feedback_id)))


@extend_schema_field({"type": "string", "description": "A date (2026-01-20) or a date-time (2026-01-20T15:30:00Z); "
                                                       "naive date-times are UTC"})
class DateOrDateTimeField(serializers.Field):
    """A date means its first instant (UTC); a date-time is taken as given. Inclusive lower bound."""

    default_error_messages = {"invalid": "Use a date (YYYY-MM-DD) or an ISO 8601 date-time."}

    def to_internal_value(self, data: Any) -> datetime:
        text = str(data).strip()
        try:
            moment = parse_datetime(text)
            day = parse_date(text) if moment is None else None
        except ValueError:  # well formed but impossible, such as 2026-02-30
            moment = day = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if day is None:
            self.fail("invalid")
        return day_start(day)

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


class HistoryQuery(PageQuery):
    mode = serializers.ChoiceField(choices=Mode.choices, required=False)
    status = serializers.ChoiceField(choices=SessionStatus.choices, required=False)
    startDate = DateOrDateTimeField(source="created_from", required=False)


class HistoryItemSchema(serializers.Serializer):
    sessionId = serializers.CharField()
    mode = serializers.ChoiceField(choices=Mode.choices)
    jobType = serializers.CharField()
    difficulty = serializers.CharField()
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    createdAt = serializers.DateTimeField()
    completedAt = serializers.DateTimeField(allow_null=True)
    duration = serializers.IntegerField(help_text="Minutes: planned, elapsed while running, actual once completed")
    overallScore = serializers.FloatField(allow_null=True)
    questionCount = serializers.IntegerField()
    feedbackAvailable = serializers.BooleanField()


class SessionHistoryApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(operation_id="users_me_sessions_list", parameters=[HistoryQuery],
                   responses={200: envelope_schema("SessionHistoryResponse", sessions=HistoryItemSchema(many=True),
                                                   pagination=PaginationSchema()),
                              **errors(400, 401, 429)}, tags=USER_TAGS)
    def get(self, request: Request) -> Response:
        params = query_params(HistoryQuery, request)
        limit, offset = params.pop("limit"), params.pop("offset")
        history_sweep(user=request.user)
        page = paginate(session_list_for_user(user=request.user, **params), limit=limit, offset=offset)
        return envelope(sessions=[history_item(s) for s in page.items], pagination=page.pagination)


class OverviewSchema(serializers.Serializer):
    totalSessions = serializers.IntegerField()
    averageScore = serializers.FloatField()
    completionRate = serializers.FloatField()
    streakDays = serializers.IntegerField()
    totalHours = serializers.FloatField()


class CategorySchema(serializers.Serializer):
    category = serializers.CharField()
    averageScore = serializers.FloatField()
    sessionCount = serializers.IntegerField()
    trend = serializers.ChoiceField(choices=["improving", "stable", "declining"])


class SkillSchema(serializers.Serializer):
    skill = serializers.CharField()
    currentLevel = serializers.ChoiceField(choices=["beginner", "intermediate", "advanced", "expert"])
    progress = serializers.FloatField()
    nextMilestone = serializers.CharField(allow_null=True)


class ActivitySchema(serializers.Serializer):
    date = serializers.DateField()
    sessions = serializers.IntegerField()
    averageScore = serializers.FloatField(allow_null=True)


class RecommendationSchema(serializers.Serializer):
    type = serializers.CharField()
    content = serializers.CharField()
    priority = serializers.ChoiceField(choices=["high", "medium", "low"])


class AnalyticsSchema(serializers.Serializer):
    overview = OverviewSchema()
    performanceByCategory = CategorySchema(many=True)
    skillProgress = SkillSchema(many=True)
    recentActivity = ActivitySchema(many=True)
    recommendations = RecommendationSchema(many=True)


class AnalyticsApi(APIView):
    throttle_classes = [FeedbackThrottle]

    @extend_schema(operation_id="users_me_analytics_retrieve",
                   responses={200: envelope_schema("AnalyticsResponse", analytics=AnalyticsSchema()),
                              **errors(401, 429)}, tags=USER_TAGS)
    def get(self, request: Request) -> Response:
        return envelope(analytics=user_analytics(user=request.user))


class ExportApi(APIView):
    throttle_classes = [FeedbackThrottle]

    @extend_schema(operation_id="users_me_export_retrieve",
                   responses={200: envelope_schema("ExportResponse", export=serializers.DictField(
                       help_text='{"user": <GET /users/me shape>, "sessions": [each with its questions, answers '
                                 'and feedback]}')),
                              **errors(401, 429)}, tags=USER_TAGS)
    def get(self, request: Request) -> Response:
        origin = _origin(request)
        sessions = [session_export(s, origin=origin) for s in sessions_export_for_user(user=request.user)]
        return envelope(export={"user": UserOutput(request.user).data, "sessions": sessions})


class JsonErrorsNegotiation(DefaultContentNegotiation):
    """The PDF is returned as bytes whatever Accept says; the renderer chosen here only ever renders errors,
    so it is always the JSON one (an `Accept: application/pdf` request still gets JSON errors)."""

    def select_renderer(self, request: Request, renderers: list[BaseRenderer],
                        format_suffix: str | None = None) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class TranscriptPdfApi(APIView):
    throttle_classes = [SessionsThrottle]
    content_negotiation_class = JsonErrorsNegotiation

    @extend_schema(operation_id="sessions_transcript_pdf",
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                        description="The transcript as a PDF"),
                              **errors(401, 404, 429)}, tags=SESSION_TAGS)
    def get(self, request: Request, session_id: str) -> HttpResponse:
        session = session_report_for_user(user=request.user, session_id=session_id)
        response = HttpResponse(transcript_pdf(session), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="transcript-{session.public_id}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class ShareApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(operation_id="sessions_share_create", request=None,
                   responses={201: envelope_schema("ShareResponse", shareableLink=serializers.URLField()),
                              **errors(401, 404, 409, 429)}, tags=SESSION_TAGS)
    def post(self, request: Request, session_id: str) -> Response:
        link = share_create(session=session_for_user(user=request.user, session_id=session_id))
        return envelope(status=201, shareableLink=f"{_origin(request)}/share/{link.token}")

    @extend_schema(operation_id="sessions_share_destroy", request=None,
                   responses={204: OpenApiResponse(description="Revoked"), **errors(401, 404, 429)},
                   tags=SESSION_TAGS)
    def delete(self, request: Request, session_id: str) -> Response:
        share_revoke(session=session_for_user(user=request.user, session_id=session_id))
        return Response(status=204)
