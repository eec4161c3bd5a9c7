from django.urls import path

from . import apis

urlpatterns = [
    path("api/feedback/<str:feedback_id>", apis.FeedbackDetailApi.as_view(), name="feedback-detail"),
    path("api/users/me/sessions", apis.SessionHistoryApi.as_view(), name="users-me-sessions"),
    path("api/users/me/analytics", apis.AnalyticsApi.as_view(), name="users-me-analytics"),
    path("api/users/me/export", apis.ExportApi.as_view(), name="users-me-export"),
    path("api/sessions/<str:session_id>/transcript.pdf", apis.TranscriptPdfApi.as_view(), name="session-transcript"),
    path("api/sessions/<str:session_id>/share", apis.ShareApi.as_view(), name="session-share"),
]
