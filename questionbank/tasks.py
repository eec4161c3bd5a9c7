"""Reference-solution checks: each solution runs on the sandbox queue, the report lands on the question."""

from typing import Any

from celery import chain, shared_task
from django.db import transaction
from django.utils import timezone

from cloudinterview.sandbox_queue import on_django_queue, sandbox_signature

from .models import Question
from .selectors import question_sandbox_tests


@shared_task(name="questionbank.record_reference_result", acks_late=True, max_retries=3, soft_time_limit=30,
             time_limit=60)
def record_reference_result(result: dict[str, Any], question_id: int, language: str) -> None:
    """Store one language's verdict on the question (row-locked: languages finish concurrently)."""
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            return
        check = question.reference_check or {"results": {}}
        check.setdefault("results", {})[language] = {
            "verdict": result.get("verdict"), "passed": result.get("passed"), "total": result.get("total"),
            "failed": [c["name"] for c in result.get("cases", []) if c.get("status") != "passed"],
            "isolation": result.get("isolation"),
        }
        check["checkedAt"] = timezone.now().isoformat()
        question.reference_check = check
        question.save(update_fields=["reference_check"])


def reference_check_queue(*, question_ids: list[int]) -> int:
    """Queue a sandbox run of every reference solution of these questions; never runs code in the web process
    (in the embedded default the queue is eager: the run happens in-process, still sandboxed)."""
    questions = Question.objects.filter(pk__in=question_ids).prefetch_related("signatures")
    count = 0
    for question in questions:
        tests = question_sandbox_tests(question=question, include_hidden=True)
        for signature in question.signatures.all():
            run = sandbox_signature(language=signature.language, code=signature.solution,
                                    function_name=signature.function_name, tests=tests)
            record = on_django_queue(record_reference_result.s(question.pk, signature.language))
            transaction.on_commit(chain(run, record).apply_async)
        count += 1
    return count
