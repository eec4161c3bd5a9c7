"""Where sockets do their blocking work, the handshake and the interview actions: a small thread pool of its
own, not Django's one sync thread, so a thousand sockets opening at once are authenticated and given their
snapshot in parallel, and a thousand interviews answering at a steady rate do not queue one action at a time
behind each other (nor behind the REST requests of the same process).

Every call closes the database connections it used before it returns, so with PostgreSQL's pool each one goes
straight back to the pool. Leaving it to `close_old_connections()`, as channels' `database_sync_to_async` does,
was not enough in a thread pool: it closes a connection only when it judges it obsolete, and 500 sockets opened
and closed that way left 8 of the pool's 10 connections checked out by idle threads (the leak that
tests/interviews/test_handshake.py now guards against).
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache, wraps
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import connections

P = ParamSpec("P")
R = TypeVar("R")


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=settings.WS_HANDSHAKE_THREADS, thread_name_prefix="ws-handshake")


def off_sync_thread(func: Callable[P, R]) -> Callable[P, Any]:
    """`func`, awaitable, run in the handshake pool; its database connections are released when it ends."""

    @wraps(func)
    def released(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        finally:
            for connection in connections.all(initialized_only=True):
                connection.close()

    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        return await SyncToAsync(released, thread_sensitive=False, executor=_pool())(*args, **kwargs)

    call.__wrapped__ = func  # the sync body, for tests that count its queries
    return call
