"""What questions teach curators: how candidates did on each question against its stated difficulty, which
rubric points answers covered, and the answers themselves under a pseudonym (docs/curation.md, "What
questions teach us"). Each read is a fixed number of queries whatever the number of questions or answers.
"""

import hashlib
import hmac
from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Avg, Case, F, OuterRef, Q, QuerySet, StdDev, Subquery, Value, When
from django.db.models import CharField as CharOutput
from django.db.models import FloatField as FloatOutput

from questionbank.models import Question

from .models import Answer, AnswerStatus, SessionQuestion

# Too few attempts say nothing about a question.
FLAG_MIN_ATTEMPTS = 5
# The solved share (%) each stated difficulty should land in: below the first it is too hard, above the
# second too easy.
EXPECTED_SOLVED = {"easy": (50.0, 100.0), "medium": (20.0, 90.0), "hard": (5.0, 70.0)}
FLAGS = {"too_easy": "too easy", "too_hard": "too hard", "as_stated": "as stated", "few_attempts": "too few attempts"}
COVERAGE_SAMPLE = 2000  # the latest answers rubric coverage is counted over


def _flag() -> Case:
    too_hard = Q()
    too_easy = Q()
    for difficulty, (low, high) in EXPECTED_SOLVED.items():
        too_hard |= Q(difficulty=difficulty, success_rate__lt=low)
        too_easy |= Q(difficulty=difficulty, success_rate__gt=high)
    return Case(When(attempt_count__lt=FLAG_MIN_ATTEMPTS, then=Value("few_attempts")),
                When(too_hard, then=Value("too_hard")), When(too_easy, then=Value("too_easy")),
                default=Value("as_stated"), output_field=CharOutput())


def question_insights(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """Questions with `attempts` and `solved_share` (the counters candidates see, docs/curation.md), the mean
    and spread (population standard deviation) of their final scores in sessions, and a difficulty `flag`."""
    scored = (SessionQuestion.objects.filter(question=OuterRef("pk"), score__isnull=False)
              .order_by().values("question"))
    return queryset.annotate(
        attempts=F("attempt_count"), solved_share=F("success_rate"),
        mean_score=Subquery(scored.annotate(value=Avg("score")).values("value"), output_field=FloatOutput()),
        score_spread=Subquery(scored.annotate(value=StdDev("score")).values("value"), output_field=FloatOutput()),
        flag=_flag(),
    )


def _main_answers(question: Question) -> QuerySet[Answer]:
    return Answer.objects.filter(slot__question=question, is_follow_up=False, status=AnswerStatus.EVALUATED)


def question_coverage(*, question: Question, rubric_version: int) -> list[dict[str, Any]]:
    """For each rubric point, how many of the latest answers scored with this rubric version covered it."""
    points = list(question.rubric_points.values_list("point", flat=True))
    answers = list(_main_answers(question).filter(evaluator__rubricVersion=rubric_version)
                   .order_by("-submitted_at").values_list("covered", flat=True)[:COVERAGE_SAMPLE])
    counts = Counter(point for covered in answers for point in set(covered or []))
    return [{"point": point, "covered": counts[point],
             "share": round(100.0 * counts[point] / len(answers), 1) if answers else None} for point in points]


def pseudonym(user_id: int) -> str:
    """A stable name for a candidate that does not reveal who they are (keyed with the server's secret)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"candidate:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"candidate-{digest[:10]}"


def question_answers(*, question: Question, min_score: float | None = None, max_score: float | None = None,
                     rubric_version: int | None = None) -> QuerySet[Answer]:
    """The question's evaluated main answers, newest first, filtered; only what the list shows is read."""
    answers = _main_answers(question).select_related("slot", "session").only(
        "session__user", "text", "code", "language", "approach", "scores", "covered", "missed", "evaluator",
        "test_results", "submitted_at", "slot__score").order_by("-submitted_at", "-id")
    if min_score is not None:
        answers = answers.filter(slot__score__gte=min_score)
    if max_score is not None:
        answers = answers.filter(slot__score__lte=max_score)
    if rubric_version is not None:
        answers = answers.filter(evaluator__rubricVersion=rubric_version)
    return answers


def answer_for_review(answer: Answer) -> dict[str, Any]:
    """An answer as curators see it: the pseudonym, never the account."""
    return {"candidate": pseudonym(answer.session.user_id), "text": answer.text, "code": answer.code,
            "language": answer.language, "approach": answer.approach, "scores": answer.scores or {},
            "score": answer.slot.score, "covered": answer.covered, "missed": answer.missed,
            "rubric_version": (answer.evaluator or {}).get("rubricVersion"),
            "verdict": (answer.test_results or {}).get("verdict"), "submitted_at": answer.submitted_at}
