"""Rate limits on the shared cache, so every process counts against one budget.

`rate_check` is the mechanism; the DRF throttles below and the WebSocket consumer both use it.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from .clientip import client_ip

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/min' -> (5, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()]


def rate_check(scope: str, ident: str, rate: str | None = None) -> float | None:
    """Record one hit; return None when allowed, else the seconds until the next hit is allowed.

    A sliding log of hit times: exact at window edges, where a fixed window would allow double bursts.
    """
    limit, window = parse_rate(rate or settings.RATE_LIMITS[scope])
    key = f"rl:{scope}:{ident}"
    now = time.time()
    history = [t for t in cache.get(key, []) if t > now - window]
    if len(history) >= limit:
        return max(1.0, window - (now - history[0]))
    history.append(now)
    cache.set(key, history, window)
    return None


def user_ident(public_id: str) -> str:
    """One user's key in every scope, whichever door (REST, socket, token refresh) counts the hit."""
    return f"user:{public_id}"


class ScopedThrottle(BaseThrottle):
    """Per user when authenticated, else per client IP."""

    scope = ""
    per_ip = False

    def ident(self, request: Request) -> str:
        user = getattr(request, "user", None)
        if self.per_ip or not (user and user.is_authenticated):
            return f"ip:{client_ip(request.META)}"
        return user_ident(user.public_id)

    def allow_request(self, request: Request, view: object) -> bool:
        self._wait = rate_check(self.scope, self.ident(request))
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class AuthThrottle(ScopedThrottle):
    scope = "auth"
    per_ip = True


class SessionsThrottle(ScopedThrottle):
    scope = "sessions"


class QuestionsThrottle(ScopedThrottle):
    scope = "questions"


class FeedbackThrottle(ScopedThrottle):
    scope = "feedback"
