"""A user's `stats` for the auth doors. Computing them is feedback's (it reads the sessions, downstream of
accounts), so feedback registers its function when the app is ready and the doors here only call it."""

from collections.abc import Callable
from typing import Any

from .models import User

EMPTY_STATS: dict[str, Any] = {"totalSessions": 0, "averageScore": 0.0, "completedChallenges": 0, "streakDays": 0}

_provider: Callable[..., dict[str, Any]] | None = None


def stats_provider_register(provider: Callable[..., dict[str, Any]]) -> None:
    global _provider  # noqa: PLW0603 - one provider for the process, set once at start-up
    _provider = provider


def user_stats_for(*, user: User) -> dict[str, Any]:
    """The user's stats, from the registered provider (feedback's analytics); empty before it is registered."""
    return _provider(user=user) if _provider else dict(EMPTY_STATS)
