"""Page-side reads the other apps do not offer: the dashboard's score-over-time series. Fixed query count."""

from typing import Any

from accounts.models import User
from feedback.presentation import shown
from interviews.models import InterviewSession, SessionStatus

PROGRESS_POINTS = 20


def progress_points(*, user: User, count: int = PROGRESS_POINTS) -> list[dict[str, Any]]:
    """Overall score of the user's last `count` completed sessions, oldest first (the chart's x axis).

    Analytics' `recentActivity` is per day; the chart wants one point per interview. One query.
    """
    rows = list(
        InterviewSession.objects.filter(user=user, status=SessionStatus.COMPLETED, overall_score__isnull=False)
        .order_by("-completed_at", "-id").values("completed_at", "overall_score")[:count]
    )
    return [{"label": r["completed_at"].strftime("%b %d"), "value": shown(r["overall_score"])}
            for r in reversed(rows)]
