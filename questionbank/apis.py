"""The question bank's endpoints: a ViewSet whose actions validate, call one selector and serialize."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cloudinterview.api.filtering import filter_params
from cloudinterview.api.pagination import PageQuery, paginate
from cloudinterview.api.responses import envelope
from cloudinterview.api.schema import PaginationSchema, envelope_schema, errors
from cloudinterview.api.throttling import QuestionsThrottle
from domain.errors import NotFound

from . import serializers as s
from .filters import QuestionFilter, RandomQuestionFilter
from .models import Question
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


class QuestionViewSet(viewsets.ViewSet):
    """`/questions`: the published bank, filtered by QuestionFilter (documented in OpenAPI from it)."""

    lookup_field = "public_id"
    lookup_url_kwarg = "question_id"
    lookup_value_converter = "question"
    throttle_classes = [QuestionsThrottle]
    queryset = Question.objects.none()  # the model of the FilterSets below, for their OpenAPI parameters
    filter_backends = [DjangoFilterBackend]
    filterset_class = QuestionFilter

    @extend_schema(parameters=[PageQuery], responses={200: ListResponse, **errors(400, 401, 429)},
                   tags=["questions"], summary="List questions",
                   description="The published questions, filtered and paginated, with the facets (types, "
                               "difficulties, categories, topics) to filter by.")
    def list(self, request: Request) -> Response:
        filters, page_params = filter_params(QuestionFilter, request)
        page = paginate(question_list_published(**filters), **page_params)
        return envelope(questions=s.QuestionListItemOutput(page.items, many=True).data,
                        pagination=page.pagination, filters=question_facets())

    @extend_schema(parameters=[s.RandomQuery], responses={200: RandomResponse, **errors(400, 401, 429)},
                   tags=["questions"], operation_id="questions_random", filters=True,
                   summary="Pick random questions",
                   description="Up to `count` published questions at random, filtered as the list is.")
    @action(detail=False, methods=["get"], filterset_class=RandomQuestionFilter)
    def random(self, request: Request) -> Response:
        filters, params = filter_params(RandomQuestionFilter, request, page=s.RandomQuery)
        return envelope(questions=s.QuestionRandomItemOutput(question_random(**params, **filters),
                                                             many=True).data)

    @extend_schema(responses={200: DetailResponse, **errors(401, 404, 429)}, tags=["questions"], filters=False,
                   summary="Get a question",
                   description="A published question with its hints, follow-ups, visible examples, starter code "
                               "and similar questions; never its hidden test cases or solution.")
    def retrieve(self, request: Request, question_id: str) -> Response:
        question = question_get_published(public_id=question_id)
        if question is None:
            raise NotFound("No such question.")
        similar = question_similar(question=question)
        return envelope(question=s.QuestionDetailOutput(question, context={"similar": similar}).data)
