"""The analytics read model: the overview shared by `GET /users/me` stats and `GET /users/me/analytics`, the
per-category rows and trends, and what to practise next. Each is a fixed number of queries whatever the history's
size (docs/api.md, "Analytics")."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import DenseRank, TruncDate
from django.utils import timezone

from accounts.models import User
from domain.questions import QuestionType
from domain.scoring import SOLVED_CORRECTNESS
from domain.verdicts import Verdict
from interviews.models import Answer, AnswerStatus, InterviewSession, SessionQuestion, SessionStatus

from .measures import next_milestone, skill_level, trend

RECENT_DAYS = 30
WEAK_CATEGORIES = 3
PRIORITY_BY_LEVEL = {"beginner": "high", "intermediate": "medium"}
COMPLETED = Q(status=SessionStatus.COMPLETED)
TREND_WINDOW = 10


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day`: date filters compare instants, so the database's time zone
    never shifts a day boundary."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def streak_days(*, user: User, today: date | None = None) -> int:
    """Consecutive UTC days with a completed session, ending today or yesterday (docs/api.md, "Analytics").

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
    so the two can never disagree (docs/api.md, "Analytics")."""
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


def user_stats(*, user: User) -> dict[str, Any]:
    """The user's `stats` in `GET /users/me`, from the same overview as analytics: three queries."""
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


def skill_name(category: str) -> str:
    """'data structures' -> 'Data Structures' (acronyms such as 'API' kept as written)."""
    return " ".join(word[:1].upper() + word[1:] for word in category.replace("_", " ").split())


def _recommendations(categories: list[dict[str, Any]], overview: Overview) -> list[dict[str, str]]:
    """What to practise, from the weakest categories first (they are what the numbers say to work on)."""
    if overview.completed_sessions == 0:
        return [{"type": "start", "priority": "high",
                 "content": "Complete an interview to see your strengths and where to focus next."}]
    weakest = sorted(categories, key=lambda c: (c["averageScore"], c["category"]))
    weak = [c for c in weakest if skill_level(c["averageScore"]) in PRIORITY_BY_LEVEL][:WEAK_CATEGORIES]
    items = [
        {"type": "practice", "priority": PRIORITY_BY_LEVEL[skill_level(c["averageScore"])],
         "content": f"Practise {c['category']} questions: your average there is {c['averageScore']:g}, "
                    f"{next_milestone(c['averageScore'])} is the next step."}
        for c in weak
    ]
    listed = {c["category"] for c in weak}
    items += [
        {"type": "review", "priority": "medium",
         "content": f"Revisit {c['category']}: your recent scores there are declining "
                    f"(average {c['averageScore']:g})."}
        for c in weakest if c["trend"] == "declining" and c["category"] not in listed
    ]
    if not items and weakest:
        top = weakest[0]
        milestone = next_milestone(top["averageScore"])
        items.append({"type": "challenge", "priority": "low",
                      "content": f"Take harder {top['category']} questions, your lowest category "
                                 f"({top['averageScore']:g})" + (f"; {milestone}." if milestone else ".")})
    if overview.total_sessions >= 2 and overview.completion_rate < 50:
        items.append({"type": "habit", "priority": "low",
                      "content": f"Finish the interviews you start: {overview.completion_rate:g}% completed so far, "
                                 "and only completed sessions get a report."})
    return items


def user_analytics(*, user: User, today: date | None = None) -> dict[str, Any]:
    """GET /users/me/analytics, by the definitions of docs/api.md, "Analytics".

    Five queries whatever the number of sessions: the overview (shared with `GET /users/me` stats) and the
    streak, per-category totals, the last ten points per category, and the last 30 days' activity.
    """
    today = today or utc_today()
    overview = session_overview(user=user, today=today)
    points = category_points_for_user(user=user)
    categories = [
        {"category": row["category"], "averageScore": round(row["average"], 1), "sessionCount": row["sessions"],
         "trend": trend(points.get(row["category"], []))}
        for row in category_totals_for_user(user=user)
    ]
    skills = [
        {"skill": skill_name(c["category"]), "currentLevel": skill_level(c["averageScore"]),
         "progress": c["averageScore"], "nextMilestone": next_milestone(c["averageScore"])}
        for c in categories
    ]
    activity = daily_activity_for_user(user=user, since=today - timedelta(days=RECENT_DAYS - 1))
    return {
        "overview": {
            "totalSessions": overview.total_sessions, "averageScore": overview.average_score,
            "completionRate": overview.completion_rate, "streakDays": overview.streak_days,
            "totalHours": overview.total_hours,
        },
        "performanceByCategory": categories,
        "skillProgress": skills,
        "recentActivity": [
            {"date": row["day"].isoformat(), "sessions": row["sessions"],
             "averageScore": None if row["average"] is None else round(row["average"], 1)}
            for row in activity
        ],
        "recommendations": _recommendations(categories, overview),
    }
