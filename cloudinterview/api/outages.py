"""A backing service that is down (Redis, the broker, the database or its pool) is a 503 with Retry-After,
not a 500: the request did nothing, and the same request will work once the service is back."""

import sys

import psycopg_pool
import redis.exceptions
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

UNAVAILABLE = (
    redis.exceptions.ConnectionError,  # refused, reset, or still loading its data set
    redis.exceptions.TimeoutError,
    psycopg_pool.PoolTimeout,  # every pooled connection is busy (a lock held, a slow query)
    OperationalError,  # connection lost, or the statement timeout ended a query
    InterfaceError,
    BrokerError,
)

RETRY_AFTER_SECONDS = 5
MESSAGE = "A backing service is unavailable; retry shortly."


def is_outage(exc: BaseException | None) -> bool:
    """True when `exc`, or an exception it was raised from or during, is a backing service failing."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, UNAVAILABLE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def handling_outage() -> bool:
    """Inside Django's last-resort handler: is the exception being handled an outage?"""
    return is_outage(sys.exc_info()[1])
