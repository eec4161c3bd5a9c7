from django.urls import path

from cloudinterview.api.ids import register_id_converters

from . import apis

register_id_converters()

urlpatterns = [
    path("api/feedback/<feedback:feedback_id>", apis.FeedbackDetailApi.as_view(), name="feedback-detail"),
    path("api/users/me/sessions", apis.SessionHistoryApi.as_view(), name="users-me-sessions"),
    path("api/users/me/analytics", apis.AnalyticsApi.as_view(), name="users-me-analytics"),
    path("api/users/me/export", apis.ExportApi.as_view(), name="users-me-export"),
    path("api/sessions/<session:session_id>/transcript.pdf", apis.TranscriptPdfApi.as_view(),
         name="session-transcript"),
    path("api/sessions/<session:session_id>/share", apis.ShareApi.as_view(), name="session-share"),
]
