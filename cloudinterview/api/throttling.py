"""Rate limits on the shared cache, so every process counts against one budget.

`rate_check` is the mechanism; the DRF throttles below, the pages and the WebSocket consumer all use it.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from cloudinterview.rates import parse_rate

from .clientip import client_ip
from .headers import record_rate_status


def _hit(key: str, ttl: int) -> int:
    """Count one hit atomically and return the new count: `add` creates the counter once, `incr` is one
    atomic INCR on Redis and a locked update in local memory, so concurrent processes never lose a hit."""
    cache.add(key, 0, ttl)
    return cache.incr(key)


@dataclass(frozen=True)
class RateStatus:
    """One hit's outcome, as the RateLimit-* headers show it: the budget, what is left of it, and the seconds until
    the current window ends (or, when refused, until the next hit is allowed: `wait`)."""

    limit: int
    remaining: int
    reset: int
    wait: float | None


def rate_check(scope: str, ident: str, rate: str | None = None) -> float | None:
    """Record one hit; return None when allowed, else the seconds until the next hit is allowed."""
    return rate_status(scope, ident, rate).wait


def rate_status(scope: str, ident: str, rate: str | None = None) -> RateStatus:
    """Record one hit and say how it went (`wait` is None when allowed).

    A sliding window estimated from two fixed-window counters (this window's hits plus the previous
    window's, weighted by how much of it still overlaps): no burst of twice the limit at a window edge, and
    each check is one atomic increment, so N simultaneous requests against a limit of L let exactly L through.
    A refused hit is taken back, so hammering does not extend the wait (only allowed requests count). Each
    window also keeps the time of its last allowed hit: once that is a whole window ago, none of its hits
    counts any more, so the wait after a burst is never longer than the window (as with a sliding log).
    """
    limit, window = parse_rate(rate or settings.RATE_LIMITS[scope])
    if limit == 0:
        return RateStatus(0, 0, window, float(window))
    now = time.time()
    index, elapsed = divmod(now, window)
    key, previous_key = (f"rl:{scope}:{ident}:{int(index) + offset}" for offset in (0, -1))
    # Each counter is read during its own window and the next one; it lives two windows, so `incr` never
    # meets an expired key.
    current = _hit(key, 2 * window)
    known = cache.get_many([previous_key, f"{previous_key}:last", f"{key}:last"])
    previous_last = known.get(f"{previous_key}:last", 0.0)
    previous = known.get(previous_key, 0) if previous_last > now - window else 0
    used = previous * (window - elapsed) / window + current
    if used <= limit:
        cache.set(f"{key}:last", now, 2 * window)
        return RateStatus(limit, max(0, math.floor(limit - used)), max(1, math.ceil(window - elapsed)), None)
    cache.decr(key)
    last = known.get(f"{key}:last") or previous_last
    wait = min(_wait(limit, window, elapsed, current - 1, previous), max(1.0, math.ceil(last + window - now)))
    return RateStatus(limit, 0, math.ceil(wait), wait)


def _wait(limit: int, window: int, elapsed: float, current: int, previous: int) -> float:
    """Seconds until one more hit fits: when the previous window's share has decayed enough, or, if this
    window alone is full, into the next window until this one's share has."""
    if current + 1 <= limit and previous:
        until = window * (1 - (limit - current - 1) / previous)
        return max(1.0, math.ceil(until - elapsed))
    until = window * (1 - (limit - 1) / max(current, 1))
    return max(1.0, math.ceil(window - elapsed + until))


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
        status = rate_status(self.scope, self.ident(request))
        record_rate_status(request, status)
        self._wait = status.wait
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
