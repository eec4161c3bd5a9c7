"""Server processes keep what they load at start-up (modules, settings, URL and model registries, the bank's
compiled knowledge) for their whole life, and Python's collector walks every one of those objects at each full
collection. With 1,000 sockets open, Daphne's full collections took 220–440 ms every 20–50 s, and an evaluation
process's 320 ms: a pause of every socket, thread and task of the process at once, and most of the answer
latency's p95 and p99 (docs/benchmarks.md, "Live interview").

`gc.freeze()` moves the objects alive at that moment out of the collector's sight; reference counting still
frees them. Called once start-up is done: the ASGI and WSGI entry points, and each Celery pool process.
"""

import gc


def freeze_start_up() -> None:
    """Collect what start-up left as garbage, then freeze the rest."""
    gc.collect()
    gc.freeze()
