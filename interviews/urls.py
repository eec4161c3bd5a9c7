from django.urls import path

from cloudinterview.api.ids import register_id_converters

from . import apis

register_id_converters()

urlpatterns = [
    path("api/sessions", apis.SessionCreateApi.as_view(), name="session-create"),
    path("api/sessions/<session:session_id>", apis.SessionDetailApi.as_view(), name="session-detail"),
    path("api/sessions/<session:session_id>/questions/next", apis.QuestionNextApi.as_view(), name="session-next"),
    path("api/sessions/<session:session_id>/answers", apis.AnswerCreateApi.as_view(), name="session-answers"),
    path("api/sessions/<session:session_id>/answers/<answer:answer_id>", apis.AnswerDetailApi.as_view(),
         name="session-answer-detail"),
    path("api/sessions/<session:session_id>/run", apis.RunApi.as_view(), name="session-run"),
    path("api/sessions/<session:session_id>/complete", apis.CompleteApi.as_view(), name="session-complete"),
]
