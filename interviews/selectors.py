"""Interview reads."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User

from .models import Answer, AnswerStatus, InterviewSession, SessionStatus

STREAK_HORIZON_DAYS = 400


def streak_days(*, user: User, today: date | None = None) -> int:
    """Consecutive UTC days with a completed session, ending today or yesterday (CONTRACT section 12)."""
    today = today or timezone.now().date()
    days = list(
        InterviewSession.objects.filter(user=user, status=SessionStatus.COMPLETED,
                                        completed_at__date__gte=today - timedelta(days=STREAK_HORIZON_DAYS))
        .annotate(day=TruncDate("completed_at")).values_list("day", flat=True).distinct().order_by("-day")
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
    """Coding questions solved: verdict accepted, or correctness >= 70 where the code was not run."""
    return Answer.objects.filter(
        Q(test_results__verdict="accepted") | Q(test_results__isnull=True, scores__correctness__gte=70),
        session__user=user, is_follow_up=False, status=AnswerStatus.EVALUATED, slot__question__type="coding",
    ).count()


def session_stats_for_user(*, user: User) -> dict[str, Any]:
    """The user's `stats`, computed from their sessions in a fixed number of queries."""
    totals = InterviewSession.objects.filter(user=user).aggregate(
        total=Count("id"),
        average=Avg("overall_score", filter=Q(status=SessionStatus.COMPLETED)),
    )
    return {
        "totalSessions": totals["total"],
        "averageScore": round(totals["average"] or 0.0, 1),
        "completedChallenges": completed_challenges(user=user),
        "streakDays": streak_days(user=user),
    }
