"""The question-bank API: list with filters and facets, random pick, detail."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloudinterview.api.pagination import paginate, query_params
from cloudinterview.api.responses import envelope
from cloudinterview.api.schema import PaginationSchema, envelope_schema, errors
from cloudinterview.api.throttling import QuestionsThrottle
from domain.errors import NotFound

from . import serializers as s
from .selectors import (
    question_facets,
    question_get_published,
    question_list_published,
    question_random,
    question_similar,
)

ListResponse = envelope_schema("QuestionListResponse", questions=s.QuestionListItemOutput(many=True),
                               pagination=PaginationSchema(), filters=s.FacetsOutput())
RandomResponse = envelope_schema("QuestionRandomResponse", questions=s.QuestionRandomItemOutput(many=True))
DetailResponse = envelope_schema("QuestionDetailResponse", question=s.QuestionDetailOutput())


class QuestionListApi(APIView):
    throttle_classes = [QuestionsThrottle]

    @extend_schema(parameters=[s.QuestionListQuery], responses={200: ListResponse, **errors(400, 401, 429)},
                   tags=["questions"], operation_id="questions_list")
    def get(self, request: Request) -> Response:
        params = query_params(s.QuestionListQuery, request)
        limit, offset = params.pop("limit"), params.pop("offset")
        page = paginate(question_list_published(**params), limit=limit, offset=offset)
        return envelope(questions=s.QuestionListItemOutput(page.items, many=True).data,
                        pagination=page.pagination, filters=question_facets())


class QuestionRandomApi(APIView):
    throttle_classes = [QuestionsThrottle]

    @extend_schema(parameters=[s.QuestionRandomQuery], responses={200: RandomResponse, **errors(400, 401, 429)},
                   tags=["questions"], operation_id="questions_random")
    def get(self, request: Request) -> Response:
        params = query_params(s.QuestionRandomQuery, request)
        questions = question_random(**params)
        return envelope(questions=s.QuestionRandomItemOutput(questions, many=True).data)


class QuestionDetailApi(APIView):
    throttle_classes = [QuestionsThrottle]

    @extend_schema(responses={200: DetailResponse, **errors(401, 404, 429)}, tags=["questions"],
                   operation_id="questions_retrieve")
    def get(self, request: Request, question_id: str) -> Response:
        question = question_get_published(public_id=question_id)
        if question is None:
            raise NotFound("No such question.")
        similar = question_similar(question=question)
        return envelope(question=s.QuestionDetailOutput(question, context={"similar": similar}).data)
