"""Reference-solution checks: each solution runs on the sandbox queue, the report lands on the question."""

import re
from typing import Any

from celery import chain, shared_task
from django.db import transaction
from django.utils import timezone

from cloudinterview.sandbox_queue import on_django_queue, sandbox_signature
from domain.languages import RUNNABLE_LANGUAGES

from .bankfile import validate_question
from .checks import check_status, reference_fingerprint, unsupported
from .entries import CHILDREN, question_bank_data, question_to_bank
from .models import Question, ReferenceStatus


def _failed_cases(result: dict[str, Any], expected: dict[str, Any]) -> list[dict[str, Any]]:
    """Each failing case with what it expected and what came back, so a curator sees why, not only which."""
    return [{"name": c.get("name"), "status": c.get("status"), "expected": expected.get(c.get("name")),
             "actual": c.get("actual"), "error": c.get("error")}
            for c in result.get("cases", []) if c.get("status") != "passed"]


def _record(question: Question, fingerprint: str, language: str, outcome: dict[str, Any]) -> None:
    """Add one language's outcome to the question's check (locked by the caller), replacing a check of other
    code, and set the overall status from every signature's language."""
    check = question.reference_check or {}
    if check.get("fingerprint") != fingerprint:
        check = {"fingerprint": fingerprint, "results": {}}
    check["results"][language] = outcome
    check["checkedAt"] = timezone.now().isoformat()
    languages = set(question.signatures.values_list("language", flat=True))
    question.reference_check = check
    question.reference_status = check_status(check["results"], languages)
    question.save(update_fields=["reference_check", "reference_status"])


@shared_task(name="questionbank.record_reference_result", acks_late=True, max_retries=3, soft_time_limit=30,
             time_limit=60)
def record_reference_result(result: dict[str, Any], question_id: int, language: str,
                            fingerprint: str | None = None) -> None:
    """Store one language's verdict on the question (row-locked: languages finish concurrently). A result
    for code or tests edited since the check was queued is dropped: it describes neither."""
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            return
        current = reference_fingerprint(question_bank_data(question))
        if fingerprint is not None and fingerprint != current:
            return
        expected = {c.name: c.expected for c in question.test_cases.all()}
        _record(question, current, language, {
            "verdict": result.get("verdict"), "passed": result.get("passed"), "total": result.get("total"),
            "failed": _failed_cases(result, expected), "isolation": result.get("isolation"),
        })


RUNNABLE_PARTS = re.compile(rf"^: (signatures\.({'|'.join(RUNNABLE_LANGUAGES)})|tests\[\d+\])")


def _unrunnable(question: Question) -> list[str]:
    """What the bank's validator finds wrong with the code or tests the sandbox would be given (rows saved
    before the admin validated them): the sandbox refuses such input outright, so it is reported instead."""
    return [problem.removeprefix(": ") for problem in validate_question(question_to_bank(question), "")
            if RUNNABLE_PARTS.match(problem)]


def reference_check_queue(*, question_ids: list[int]) -> dict[str, str]:
    """Queue a sandbox run of every reference solution of these questions; returns, per slug, what happened.

    Never runs code in the web process (in the embedded default the queue is eager: the run happens
    in-process after the commit, still sandboxed). A signature in a language the sandbox cannot run is
    recorded as such at once instead of failing the whole batch; questions without code are skipped.
    """
    report: dict[str, str] = {}
    questions = Question.objects.filter(pk__in=question_ids).prefetch_related(*CHILDREN).order_by("slug")
    for question in questions:
        if question.type != "coding":
            report[question.slug] = "not a coding question, nothing to run"
            continue
        if unrunnable := _unrunnable(question):
            report[question.slug] = "cannot run: " + "; ".join(unrunnable[:3])
            continue
        fingerprint = reference_fingerprint(question_bank_data(question))
        tests = [c.sandbox_case() for c in question.test_cases.all()]
        runnable, notes = [], []
        with transaction.atomic():
            locked = Question.objects.select_for_update().get(pk=question.pk)
            locked.reference_check, locked.reference_status = None, ReferenceStatus.CHECKING
            for signature in question.signatures.all():
                if signature.language in RUNNABLE_LANGUAGES:
                    runnable.append(signature)
                else:
                    _record(locked, fingerprint, signature.language, unsupported(signature.language))
                    notes.append(f"{signature.language} cannot run (only {', '.join(RUNNABLE_LANGUAGES)})")
            if not notes:
                locked.save(update_fields=["reference_check", "reference_status"])
        for signature in runnable:
            run = sandbox_signature(language=signature.language, code=signature.solution,
                                    function_name=signature.function_name, tests=tests)
            record = on_django_queue(record_reference_result.s(question.pk, signature.language, fingerprint))
            transaction.on_commit(chain(run, record).apply_async)
        checking = f"checking {', '.join(s.language for s in runnable)}" if runnable else "nothing can run"
        report[question.slug] = "; ".join([*notes, checking])
    return report
