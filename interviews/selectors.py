"""Interview reads: the user's history, the overview numbers shared by `GET /users/me` and analytics, and
the per-category rows analytics is built from. Each is a fixed number of queries whatever the history's size."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import DenseRank, TruncDate
from django.utils import timezone

from accounts.models import User
from domain.questions import QuestionType
from domain.scoring import SOLVED_CORRECTNESS
from domain.verdicts import Verdict

from .models import Answer, AnswerStatus, InterviewSession, SessionQuestion, SessionStatus

COMPLETED = Q(status=SessionStatus.COMPLETED)
TREND_WINDOW = 10


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day`: date filters compare instants, so the database's time zone
    never shifts a day boundary."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def streak_days(*, user: User, today: date | None = None) -> int:
    """Consecutive UTC days with a completed session, ending today or yesterday (CONTRACT section 12).

    One query: the distinct completion days, newest first (at most one row per day of history).
    """
    today = today or utc_today()
    days = list(
        InterviewSession.objects.filter(COMPLETED, user=user, completed_at__lt=day_start(today + timedelta(days=1)))
        .annotate(day=TruncDate("completed_at", tzinfo=UTC)).values_list("day", flat=True).distinct().order_by("-day")
    )
    if not days or days[0] < today - timedelta(days=1):
        return 0
    streak = 1
    for previous, current in zip(days, days[1:], strict=False):
        if previous - current != timedelta(days=1):
            break
        streak += 1
    return streak


def completed_challenges(*, user: User) -> int:
    """Coding questions solved, by domain.scoring's rule, counted by the database."""
    return Answer.objects.filter(
        Q(test_results__verdict=Verdict.ACCEPTED)
        | Q(test_results__isnull=True, scores__correctness__gte=SOLVED_CORRECTNESS),
        session__user=user, is_follow_up=False, status=AnswerStatus.EVALUATED,
        slot__question__type=QuestionType.CODING,
    ).count()


@dataclass(frozen=True)
class Overview:
    total_sessions: int  # every session the user created, whatever its status
    completed_sessions: int
    average_score: float  # mean overallScore of completed sessions; 0.0 before the first one
    completion_rate: float  # completed / total * 100
    total_hours: float  # completed sessions' actual durations
    streak_days: int


def session_overview(*, user: User, today: date | None = None) -> Overview:
    """The numbers `GET /users/me` stats and analytics' overview both show: two queries, computed once here
    so the two can never disagree (CONTRACT section 12's definitions)."""
    totals = InterviewSession.objects.filter(user=user).aggregate(
        total=Count("id"), completed=Count("id", filter=COMPLETED),
        average=Avg("overall_score", filter=COMPLETED), minutes=Sum("actual_duration", filter=COMPLETED),
    )
    total, completed = totals["total"], totals["completed"]
    return Overview(
        total_sessions=total, completed_sessions=completed,
        average_score=round(totals["average"] or 0.0, 1),
        completion_rate=round(100 * completed / total, 1) if total else 0.0,
        total_hours=round((totals["minutes"] or 0) / 60, 1),
        streak_days=streak_days(user=user, today=today),
    )


def session_stats_for_user(*, user: User) -> dict[str, Any]:
    """The user's `stats` in `GET /users/me`, from the same overview as analytics."""
    overview = session_overview(user=user)
    return {
        "totalSessions": overview.total_sessions,
        "averageScore": overview.average_score,
        "completedChallenges": completed_challenges(user=user),
        "streakDays": overview.streak_days,
    }


def _scored_questions(user: User) -> QuerySet[SessionQuestion]:
    """Planned questions of the user's completed sessions, with the final scores stored at completion."""
    return SessionQuestion.objects.filter(session__user=user, session__status=SessionStatus.COMPLETED,
                                          score__isnull=False)


def category_totals_for_user(*, user: User) -> list[dict[str, Any]]:
    """Per question category: the mean of every question score and the number of completed sessions that
    had a question in it. One GROUP BY query."""
    return list(
        _scored_questions(user).values(category=F("question__category"))
        .annotate(average=Avg("score"), sessions=Count("session_id", distinct=True)).order_by("category")
    )


def category_points_for_user(*, user: User, window: int = TREND_WINDOW) -> dict[str, list[float]]:
    """Per category, its last `window` points in completion order, one per completed session: the mean score
    of that session's questions in the category.

    One query: DENSE_RANK over each category's sessions, newest first, keeps only the last `window`
    sessions' question rows, so what is read is bounded by categories x window whatever the history.
    """
    rows = (
        _scored_questions(user)
        .values("session_id", "score", category=F("question__category"))
        .annotate(rank=Window(DenseRank(), partition_by=[F("question__category")],
                              order_by=[F("session__completed_at").desc(), F("session_id").desc()]))
        .filter(rank__lte=window).order_by("category", "-rank")
    )
    sessions: dict[str, dict[int, list[float]]] = {}
    for row in rows:
        sessions.setdefault(row["category"], {}).setdefault(row["rank"], []).append(row["score"])
    return {category: [sum(scores) / len(scores) for scores in by_rank.values()]
            for category, by_rank in sessions.items()}


def daily_activity_for_user(*, user: User, since: date) -> list[dict[str, Any]]:
    """Per UTC day from `since` on: the sessions created and the mean score of those that were completed."""
    return list(
        InterviewSession.objects.filter(user=user, created_at__gte=day_start(since))
        .annotate(day=TruncDate("created_at", tzinfo=UTC)).values("day")
        .annotate(sessions=Count("id"), average=Avg("overall_score", filter=COMPLETED)).order_by("-day")
    )


def session_list_for_user(*, user: User, mode: str | None = None, status: str | None = None,
                          created_from: datetime | None = None) -> QuerySet[InterviewSession]:
    """The user's sessions, newest first, with what a history row shows (`question_count`,
    `feedback_status`) annotated so a page is one query."""
    sessions = InterviewSession.objects.filter(user=user)
    if mode:
        sessions = sessions.filter(mode=mode)
    if status:
        sessions = sessions.filter(status=status)
    if created_from is not None:
        sessions = sessions.filter(created_at__gte=created_from)
    plan_size = (SessionQuestion.objects.filter(session=OuterRef("pk")).order_by().values("session")
                 .annotate(n=Count("id")).values("n"))
    return sessions.annotate(question_count=Subquery(plan_size), feedback_status=F("feedback__status")).order_by(
        "-created_at", "-id")
