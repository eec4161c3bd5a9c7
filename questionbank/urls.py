from django.urls import path

from . import apis

urlpatterns = [
    path("api/questions", apis.QuestionListApi.as_view(), name="question-list"),
    path("api/questions/random", apis.QuestionRandomApi.as_view(), name="question-random"),
    path("api/questions/<str:question_id>", apis.QuestionDetailApi.as_view(), name="question-detail"),
]
