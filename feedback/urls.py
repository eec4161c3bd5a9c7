from django.urls import path

from . import apis

urlpatterns = [
    path("api/feedback/<str:feedback_id>", apis.FeedbackDetailApi.as_view(), name="feedback-detail"),
]
