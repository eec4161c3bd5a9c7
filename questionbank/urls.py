from django.urls import path

from cloudinterview.api.ids import register_id_converters

from . import apis

register_id_converters()

urlpatterns = [
    path("api/questions", apis.QuestionListApi.as_view(), name="question-list"),
    path("api/questions/random", apis.QuestionRandomApi.as_view(), name="question-random"),
    path("api/questions/<question:question_id>", apis.QuestionDetailApi.as_view(), name="question-detail"),
]
