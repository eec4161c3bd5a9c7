"""Interview reads."""

from typing import Any

from accounts.models import User


def session_stats_for_user(*, user: User) -> dict[str, Any]:
    """The user's `stats`; there is no session model yet, so every figure is the empty-history value."""
    return {"totalSessions": 0, "averageScore": 0.0, "completedChallenges": 0, "streakDays": 0}
