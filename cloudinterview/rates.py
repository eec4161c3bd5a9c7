"""Rate strings ("5/min", "100/hour") parsed as DRF parses them, without Django, so settings can
check every configured rate at start-up and refuse to start on one that would fail each request."""

from typing import NamedTuple

# DRF reads only the period's first letter: "5/day", "5/minutes" and "5/s" are all valid rates.
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Rate(NamedTuple):
    limit: int
    window: int


def parse_rate(rate: str) -> Rate:
    """'5/min' -> Rate(5, 60). A limit of 0 refuses every request. Raises ValueError with the reason."""
    count, slash, period = rate.strip().partition("/")
    if not slash:
        raise ValueError(f"{rate!r} is not a rate: write requests/period, e.g. 5/min")
    try:
        limit = int(count)
    except ValueError:
        raise ValueError(f"{rate!r}: {count.strip()!r} is not a whole number of requests") from None
    if limit < 0:
        raise ValueError(f"{rate!r}: the number of requests cannot be negative")
    unit = period.strip()[:1].lower()
    if unit not in PERIOD_SECONDS:
        raise ValueError(f"{rate!r}: the period must be s, min, hour or day (second, minute, hour, day)")
    return Rate(limit, PERIOD_SECONDS[unit])
