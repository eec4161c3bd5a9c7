"""Feedback tasks: idempotent, acknowledged late, retried while evaluations are still running."""

from celery import shared_task

from .services import feedback_generate

MAX_WAIT_RETRIES = 20


@shared_task(name="feedback.generate_feedback", bind=True, acks_late=True, reject_on_worker_lost=True,
             max_retries=MAX_WAIT_RETRIES, soft_time_limit=180, time_limit=240)
def generate_feedback(self, feedback_id: str, request_id: str | None = None) -> str:  # noqa: ANN001
    last_try = self.request.retries >= MAX_WAIT_RETRIES or self.request.is_eager
    if not feedback_generate(feedback_id=feedback_id, request_id=request_id, force=last_try):
        raise self.retry(countdown=3)
    return feedback_id
