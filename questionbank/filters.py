"""The question list's FilterSet (django-filter): the selectors filter with it, the API documents its parameters in
OpenAPI, and session planning matches topics with the same rule, so a filter means the same at every door."""

import django_filters
from django.db.models import Q, QuerySet

from cloudinterview.choices import Difficulty, QuestionType

from .models import Question, topic_key

MAX_TOPICS = 20
MAX_SEARCH_WORDS = 8


def split_topics(text: str) -> list[str]:
    """Comma-separated topics as a clean, bounded list."""
    return [t.strip() for t in text.split(",") if t.strip()][:MAX_TOPICS]


def topics_match(queryset: QuerySet[Question], topics: list[str]) -> QuerySet[Question]:
    """Any of the topics, each matching the category or a tag, case-insensitive, spaces and hyphens alike."""
    if not topics:
        return queryset
    any_topic = Q()
    for topic in topics:
        any_topic |= Q(topic_index__contains=f"|{topic_key(topic)}|")
    return queryset.filter(any_topic)


class QuestionFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=QuestionType.choices)
    difficulty = django_filters.ChoiceFilter(choices=Difficulty.choices)
    category = django_filters.CharFilter(method="filter_category", max_length=60)
    topics = django_filters.CharFilter(method="filter_topics", max_length=500,
                                       help_text="Comma-separated; any of them, matching the category or a tag")
    q = django_filters.CharFilter(method="filter_words", max_length=200,
                                  help_text="Words that must all appear in the title or the description")

    class Meta:
        model = Question
        fields = ["type", "difficulty", "category", "topics", "q"]

    def filter_category(self, queryset: QuerySet[Question], name: str, value: str) -> QuerySet[Question]:
        return queryset.filter(category__iexact=value.strip())

    def filter_topics(self, queryset: QuerySet[Question], name: str, value: str) -> QuerySet[Question]:
        return topics_match(queryset, split_topics(value))

    def filter_words(self, queryset: QuerySet[Question], name: str, value: str) -> QuerySet[Question]:
        for word in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset


class RandomQuestionFilter(QuestionFilter):
    """`random` filters like the list, without the word search."""

    class Meta(QuestionFilter.Meta):
        fields = ["type", "difficulty", "category", "topics"]

    q = None
