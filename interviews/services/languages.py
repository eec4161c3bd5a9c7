"""Which languages a session may use: the sandbox's, as a sandbox worker reports them (docs/api.md, "Languages")."""

from typing import Any

from django.core.cache import cache

from cloudinterview.choices import RUNNABLE_LANGUAGES
from cloudinterview.sandbox_queue import runtimes_signature
from cloudinterview.waiting import wait_for
from domain.errors import Unavailable

CACHE_KEY = "sandbox:runtimes"
CACHE_SECONDS = 300
WAIT_SECONDS = 5


def languages_runnable() -> list[dict[str, Any]]:
    """`[{"language", "name", "runtime", "version"}]`: the session languages whose runtime a sandbox worker has.

    Asked of a worker on the sandbox queue (the machines that run code may differ from this one) and kept in the
    shared cache for a few minutes; Unavailable (503) when no worker answers in time.
    """
    known = cache.get(CACHE_KEY)
    if known is None:
        result = runtimes_signature().apply_async()
        if not wait_for(result, WAIT_SECONDS) or not result.successful():
            raise Unavailable("The code sandbox did not answer; retry shortly.")
        known = [runtime for runtime in result.get(disable_sync_subtasks=False)
                 if runtime.get("language") in RUNNABLE_LANGUAGES]
        cache.set(CACHE_KEY, known, CACHE_SECONDS)
    return known
