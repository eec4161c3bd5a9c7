"""Interview tasks: load by id, call a service. Idempotent, acknowledged late."""

from typing import Any

from celery import shared_task

from cloudinterview.api.outages import UNAVAILABLE

from .services.evaluation import answer_evaluate, answer_fail, evaluations_requeue_stalled
from .services.flow import abandon_stale_sessions


# A backing service down (the database, Redis) is retried with backoff; an outage longer than the retries leaves
# the answer `evaluating` for the stalled-evaluation sweep below.
@shared_task(name="interviews.evaluate_answer", acks_late=True, reject_on_worker_lost=True, max_retries=3,
             autoretry_for=(ConnectionError, TimeoutError, *UNAVAILABLE), retry_backoff=True, retry_backoff_max=60,
             soft_time_limit=120, time_limit=150)
def evaluate_answer(run: dict[str, Any] | None, answer_id: str, request_id: str | None = None) -> str:
    """`run` is the sandbox's result for code answers (the chain passes it first), else None."""
    answer_evaluate(answer_id=answer_id, run=run, request_id=request_id)
    return answer_id


@shared_task(name="interviews.mark_answer_failed", acks_late=True, soft_time_limit=30, time_limit=60)
def mark_answer_failed(answer_id: str, reason: str, request_id: str | None = None) -> None:
    answer_fail(answer_id=answer_id, reason=reason, request_id=request_id)


@shared_task(name="interviews.sweep_abandoned_sessions", acks_late=True, soft_time_limit=120, time_limit=180)
def sweep_abandoned_sessions() -> int:
    return abandon_stale_sessions()


@shared_task(name="interviews.requeue_stalled_evaluations", acks_late=True, soft_time_limit=120, time_limit=180)
def requeue_stalled_evaluations() -> int:
    return evaluations_requeue_stalled()
