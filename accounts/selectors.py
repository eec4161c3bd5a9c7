"""Account reads."""

from typing import Any

from .models import User


def user_stats(*, user: User) -> dict[str, Any]:
    """The seed's `stats`, computed from the user's interview sessions (never stored)."""
    from interviews.selectors import session_stats_for_user

    return session_stats_for_user(user=user)
