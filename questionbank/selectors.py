"""Question-bank reads. Candidates only ever see published questions, and never hidden cases,
reference solutions or rubrics (the serializers expose none of them)."""

import math
import secrets
from typing import Any

from django.core.cache import cache
from django.db.models import PROTECT, Max, Min, Prefetch, Q, QuerySet

from domain.questions import Difficulty

from .filters import QuestionFilter, RandomQuestionFilter
from .models import Question, QuestionStatus, Signature, TestCase, topic_key
from .services import FACETS_VERSION_KEY

FACETS_TTL_SECONDS = 300
SIMILAR_CANDIDATES = 300
SIMILAR_COUNT = 5
RANDOM_PROBE_FACTOR = 3
RANDOM_PROBE_ROUNDS = 3
RANDOM_PROBE_MAX = 2000


def questions_published() -> QuerySet[Question]:
    return Question.objects.filter(status=QuestionStatus.PUBLISHED)


def question_list_published(**filters: str) -> QuerySet[Question]:
    """Published questions for the list, filtered by QuestionFilter: only the columns the list shows."""
    queryset = questions_published().only(
        "public_id", "type", "category", "difficulty", "title", "estimated_time", "tags", "solved_count",
        "attempt_count", "success_rate",
    )
    return QuestionFilter(filters, queryset=queryset).qs.order_by("id")


def question_facets() -> dict[str, list[str]]:
    """Filter values present in the published bank, cached until the bank changes."""
    version = cache.get_or_set(FACETS_VERSION_KEY, 1, None)
    key = f"questionbank:facets:{version}"
    facets = cache.get(key)
    if facets is None:
        published = Question.objects.filter(status=QuestionStatus.PUBLISHED).order_by()
        topics: set[str] = set()
        for tags in published.values_list("tags", flat=True).iterator(chunk_size=2000):
            topics.update(tags)
        facets = {
            "types": sorted(published.values_list("type", flat=True).distinct()),
            "difficulties": [d.value for d in Difficulty
                             if published.filter(difficulty=d).exists()],
            "categories": sorted(published.values_list("category", flat=True).distinct()),
            "topics": sorted(topics),
        }
        cache.set(key, facets, FACETS_TTL_SECONDS)
    return facets


def question_related(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """The one place the candidate-facing detail shape's prefetches live."""
    return queryset.prefetch_related(
        "hints",
        "follow_ups",
        Prefetch("signatures", queryset=Signature.objects.only("question_id", "language", "function_name",
                                                               "starter_code")),
        Prefetch("test_cases", queryset=TestCase.objects.filter(hidden=False).only(
            "question_id", "position", "args", "expected"), to_attr="visible_cases"),
    )


def question_get_published(*, public_id: str) -> Question | None:
    return question_related(Question.objects.filter(public_id=public_id, status=QuestionStatus.PUBLISHED)).first()


def question_similar(*, question: Question, count: int = SIMILAR_COUNT) -> list[str]:
    """Closest published questions: shared tags weigh most, then category, type and difficulty."""
    keys = {topic_key(t) for t in question.tags}
    related = Q(category=question.category)
    for key in keys:
        related |= Q(topic_index__contains=f"|{key}|")
    candidates = (
        Question.objects.filter(related, status=QuestionStatus.PUBLISHED)
        .exclude(pk=question.pk)
        .only("public_id", "type", "category", "difficulty", "tags")
        .order_by("id")[:SIMILAR_CANDIDATES]
    )

    def score(other: Question) -> tuple[float, str]:
        shared = len(keys & {topic_key(t) for t in other.tags})
        value = 2.0 * shared + (other.category == question.category) + 0.5 * (other.type == question.type)
        value += 0.25 * (other.difficulty == question.difficulty)
        return (-value, other.public_id)

    return [other.public_id for other in sorted(candidates, key=score)[:count]]


def _sample_by_probing(matching: QuerySet[Question], count: int, rng: secrets.SystemRandom) -> list[int] | None:
    """Rejection sampling over the primary-key range: a uniformly drawn id is kept when it matches, so every
    matching question stays equally likely. None when matches are too sparse to find `count` in a few probes."""
    bounds = Question.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return None
    population = range(bounds["low"], bounds["high"] + 1)
    chosen: list[int] = []
    probed: set[int] = set()
    size = count * RANDOM_PROBE_FACTOR
    for _ in range(RANDOM_PROBE_ROUNDS):
        candidates = [i for i in rng.sample(population, min(size, len(population))) if i not in probed]
        probed.update(candidates)
        hits = set(matching.filter(id__in=candidates).values_list("id", flat=True))
        chosen.extend(i for i in candidates if i in hits)
        if len(chosen) >= count:
            return chosen[:count]
        if not hits or len(probed) >= len(population):
            return None
        size = min(RANDOM_PROBE_MAX, math.ceil((count - len(chosen)) * len(candidates) / len(hits) * 1.5))
    return None


def question_random(*, count: int, **filters: str) -> list[Question]:
    """`count` distinct published questions, each matching one equally likely.

    Probes random primary keys first (a few indexed lookups, whatever the bank's size); only when matches
    are sparse does it draw from all matching keys, which is then a small, index-backed set. Never
    ORDER BY RANDOM(), which reads every matching row.
    """
    matching = RandomQuestionFilter(filters, queryset=questions_published()).qs
    rng = secrets.SystemRandom()
    chosen = _sample_by_probing(matching, count, rng)
    if chosen is None:
        ids = list(matching.values_list("id", flat=True))
        chosen = rng.sample(ids, min(count, len(ids)))
    by_id = {q.id: q for q in Question.objects.filter(id__in=chosen).only(
        "public_id", "type", "difficulty", "title", "estimated_time")}
    return [by_id[i] for i in chosen]


def question_get_any(*, public_id: str) -> Question | None:
    """Any question, whatever its status, in the candidate page's shape: staff preview drafts and archived
    questions as candidates would see them."""
    return question_related(Question.objects.filter(public_id=public_id)).first()


def question_categories() -> list[str]:
    """The categories in use, offered when a curator types one."""
    return sorted(Question.objects.order_by().values_list("category", flat=True).distinct())


def question_references(*, question: Question) -> int:
    """How many rows protect the question from deletion: the interview sessions that asked it (a session's
    plan keeps its questions, models.PROTECT). Read through the relations Django knows, so the bank does not
    import the apps that build on it."""
    return sum(
        relation.related_model._default_manager.filter(**{relation.field.name: question}).count()
        for relation in Question._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and getattr(relation, "on_delete", None) is PROTECT
    )


def question_sandbox_tests(*, question: Question, include_hidden: bool) -> list[dict[str, Any]]:
    """Test cases as the sandbox's plain data (it never imports our models)."""
    cases = question.test_cases.all() if include_hidden else question.test_cases.filter(hidden=False)
    return [c.sandbox_case() for c in cases]
