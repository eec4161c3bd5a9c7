"""Evaluating answers: the sandbox run (for code), the AI interviewer, and storing the result once.

Slow work (running code, calling a model) happens outside any transaction; the result is written
under a row lock that makes the evaluation idempotent: a retried or duplicated task finds the
answer already evaluated and changes nothing (so question counters are never double-counted).
"""

import logging
import math
from typing import Any

from celery import chain
from celery.result import AsyncResult
from django.db import transaction
from django.utils import timezone

from cloudinterview.api.strictjson import storable
from cloudinterview.choices import RUNNABLE_LANGUAGES, QuestionType
from cloudinterview.domain_events import ANSWER_EVALUATED, DomainEvent, emit
from cloudinterview.sandbox_queue import on_django_queue, sandbox_signature
from cloudinterview.waiting import wait_for
from domain.scoring import is_solved
from domain.verdicts import Verdict
from questionbank.models import Question
from questionbank.selectors import question_sandbox_tests
from questionbank.services import question_record_attempt

from .. import realtime
from ..ai import get_interviewer
from ..ai.base import AnswerData, CaseInfo, Misconception, QuestionData, RedFlag, RubricItem
from ..models import Answer, AnswerStatus, InterviewerResponse, PlanStatus, SessionQuestion

log = logging.getLogger("cloudinterview.evaluation")

RUN_WAIT_MARGIN_SECONDS = 20


EVALUATION_PREFETCH = ("rubric_points", "follow_ups", "misconceptions", "red_flags", "test_cases")


def question_data(question: Question) -> QuestionData:
    """The bank question as the interviewer's plain data (expects EVALUATION_PREFETCH)."""
    return QuestionData(
        public_id=question.public_id, type=question.type, category=question.category,
        difficulty=question.difficulty, title=question.title, description=question.description,
        rubric=tuple(RubricItem(p.point, p.weight, tuple(p.phrases), tuple(p.claims), p.aspect)
                     for p in question.rubric_points.all()),
        rubric_version=question.rubric_version,
        follow_ups=tuple(f.text for f in question.follow_ups.all()),
        reference_answer=question.reference_answer,
        misconceptions=tuple(Misconception(m.claim, m.correction, m.point) for m in question.misconceptions.all()),
        red_flags=tuple(RedFlag(f.claim, f.why) for f in question.red_flags.all()),
        complexity=(question.complexity_time, question.complexity_space),
        cases=tuple(CaseInfo(c.name, c.hidden, c.edge_case) for c in question.test_cases.all()),
    )


def answer_data(answer: Answer) -> AnswerData:
    return AnswerData(
        text=answer.text, code=answer.code or None, language=answer.language or None,
        approach=answer.approach or None, response_time=answer.response_time, is_follow_up=answer.is_follow_up,
        follow_up_prompt=answer.prompt or None, test_results=answer.test_results,
    )


def _milliseconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def test_results_from_run(run: dict[str, Any], tests: list[dict[str, Any]]) -> dict[str, Any]:
    """The sandbox's result as docs/api.md, "Coding questions" shows it: hidden cases show name, status, time.

    What the candidate's code returned is shown as `storable` makes it: a NaN, a NUL or a value nested
    thousands deep can then fail neither the response nor the database write, so the answer always
    leaves `evaluating` (docs/security.md, "Bad input")."""
    cases = []
    for test, case in zip(tests, run.get("cases", []), strict=False):
        item: dict[str, Any] = {"name": test["name"], "status": case.get("status"),
                                "timeMs": _milliseconds(case.get("time_ms")), "hidden": bool(test.get("hidden"))}
        if not test.get("hidden"):
            item.update(input=test["args"], expected=test["expected"], actual=case.get("actual"))
            if case.get("error"):
                item["error"] = case["error"]
        cases.append(item)
    results: dict[str, Any] = {"passed": run.get("passed", 0), "total": run.get("total", len(tests)),
                               "verdict": run.get("verdict"), "cases": cases}
    if run.get("verdict") == Verdict.COMPILE_ERROR and run.get("stderr"):
        results["message"] = run["stderr"][-2000:]
    return storable(results)


def _signature(answer: Answer, question: Question) -> Any:
    """The signature to run this answer with, or None when it is judged without running."""
    if question.type != QuestionType.CODING or not answer.code.strip() or answer.language not in RUNNABLE_LANGUAGES:
        return None
    return question.signatures.filter(language=answer.language).first()


def evaluation_enqueue(*, answer: Answer, question: Question, request_id: str | None = None) -> AsyncResult:
    """Queue the evaluation: code goes to the sandbox queue first, then `evaluate_answer` with its result."""
    # The service<->task pair: tasks.py imports this module to call answer_evaluate, so the tasks are imported
    # when first queued, not at the top (that would be an import cycle).
    from ..tasks import evaluate_answer, mark_answer_failed

    signature = _signature(answer, question)
    if signature is None:
        return on_django_queue(evaluate_answer.si(None, answer.public_id, request_id)).apply_async()
    evaluate = on_django_queue(evaluate_answer.s(answer.public_id, request_id))  # the run's result comes first
    tests = question_sandbox_tests(question=question, include_hidden=True)
    run = sandbox_signature(language=answer.language, code=answer.code, function_name=signature.function_name,
                            tests=tests)
    on_error = on_django_queue(mark_answer_failed.si(answer.public_id, "The code could not be run.", request_id))
    return chain(run, evaluate).on_error(on_error).apply_async()


def sandbox_run_wait(*, question: Question, language: str, code: str, include_hidden: bool) -> dict[str, Any]:
    """Run code on the sandbox queue and wait for it (the `run` endpoint): never in the web process
    unless the embedded default runs tasks eagerly."""
    signature = question.signatures.filter(language=language).first()
    if signature is None:
        return {"passed": 0, "total": 0, "verdict": Verdict.INTERNAL_ERROR, "cases": [],
                "message": f"This question has no {language} signature."}
    tests = question_sandbox_tests(question=question, include_hidden=include_hidden)
    result = sandbox_signature(language=language, code=code, function_name=signature.function_name,
                               tests=tests).apply_async()
    if not wait_for(result, RUN_WAIT_MARGIN_SECONDS + 30):
        return test_results_from_run({"verdict": Verdict.INTERNAL_ERROR, "passed": 0, "total": len(tests)}, tests)
    run = result.get(propagate=False, disable_sync_subtasks=False)
    if not isinstance(run, dict):
        run = {"verdict": Verdict.INTERNAL_ERROR, "passed": 0, "total": len(tests)}
    return test_results_from_run(run, tests)


def _load(answer_id: str) -> Answer | None:
    return (Answer.objects.select_related("session", "slot__question")
            .prefetch_related(*(f"slot__question__{name}" for name in EVALUATION_PREFETCH))
            .filter(public_id=answer_id).first())


def answer_evaluate(*, answer_id: str, run: dict[str, Any] | None = None, request_id: str | None = None) -> None:
    """Evaluate one answer; idempotent (does nothing when it is no longer `evaluating`)."""
    answer = _load(answer_id)
    if answer is None or answer.status != AnswerStatus.EVALUATING:
        return
    question = answer.slot.question
    if run is not None:
        tests = question_sandbox_tests(question=question, include_hidden=True)
        if run.get("verdict") == Verdict.INTERNAL_ERROR:
            answer_fail(answer_id=answer_id, reason=run.get("stderr") or "The code could not be run.",
                        request_id=request_id)
            return
        answer.test_results = test_results_from_run(run, tests)
    follow_up_allowed = not answer.is_follow_up and not answer.slot.follow_up_text
    session_id = answer.session.public_id

    def on_delta(text: str) -> None:
        realtime.publish(session_id, "ai_message_delta", {"answerId": answer_id, "delta": text}, request_id)

    evaluation = get_interviewer().evaluate(question_data(question), answer_data(answer),
                                            follow_up_allowed=follow_up_allowed, on_delta=on_delta)
    _store(answer_id=answer_id, test_results=answer.test_results, evaluation=evaluation,
           follow_up_allowed=follow_up_allowed, request_id=request_id)


def _store(*, answer_id: str, test_results: dict[str, Any] | None, evaluation: Any, follow_up_allowed: bool,
           request_id: str | None) -> None:
    with transaction.atomic():
        answer = Answer.objects.select_for_update().select_related("slot", "session").get(public_id=answer_id)
        if answer.status != AnswerStatus.EVALUATING:
            return  # another delivery of the task got here first
        answer.status = AnswerStatus.EVALUATED
        answer.scores = dict(evaluation.scores)
        answer.test_results = test_results
        answer.evaluator = evaluation.evaluator.as_json()
        answer.covered = list(evaluation.covered)
        answer.missed = list(evaluation.missed)
        answer.evaluated_at = timezone.now()
        answer.save()
        follow_up = evaluation.follow_up_question if follow_up_allowed else None
        InterviewerResponse.objects.create(answer=answer, content=evaluation.feedback,
                                           sentiment=evaluation.sentiment, follow_up_question=follow_up or "")
        if follow_up:
            SessionQuestion.objects.filter(pk=answer.slot_id).update(follow_up_text=follow_up)
        if not answer.is_follow_up:
            solved = is_solved(test_results=answer.test_results, scores=answer.scores)
            question_record_attempt(question_id=answer.slot.question_id, solved=solved)
        emit(DomainEvent(ANSWER_EVALUATED, user_id=answer.session.user_id, session_id=answer.session_id,
                         subject_id=answer.pk))
        realtime.publish_answer_evaluated(answer_pk=answer.pk, request_id=request_id)


def answer_fail(*, answer_id: str, reason: str, request_id: str | None = None) -> None:
    """Code that could not be run at all: the answer ends `failed` and the prompt opens again, once.

    A prompt whose earlier answer already failed is not reopened: this answer is judged without
    running it, so a failure that always comes back (whatever its cause) cannot become a way to
    answer the same question again and again.
    """
    with transaction.atomic():
        answer = Answer.objects.select_for_update().select_related("slot").filter(public_id=answer_id).first()
        if answer is None or answer.status != AnswerStatus.EVALUATING:
            return
        reopened_before = Answer.objects.filter(slot_id=answer.slot_id, is_follow_up=answer.is_follow_up,
                                                status=AnswerStatus.FAILED).exists()
        if not reopened_before:
            answer.status = AnswerStatus.FAILED
            answer.evaluated_at = timezone.now()
            answer.save(update_fields=["status", "evaluated_at"])
            InterviewerResponse.objects.create(
                answer=answer, sentiment="neutral",
                content=f"I couldn't run your code this time ({storable(reason[:300])}). Please submit your answer "
                        "again.")
            slot = answer.slot
            if answer.is_follow_up:
                slot.follow_up_answered = False
            else:
                slot.status = PlanStatus.PRESENTED
                slot.answered_at = None
            slot.save(update_fields=["status", "answered_at", "follow_up_answered"])
            realtime.publish_answer_evaluated(answer_pk=answer.pk, request_id=request_id)
    if reopened_before:
        log.warning("answer %s: the code could not be run again (%s); judging it without running", answer_id,
                    reason[:300])
        answer_evaluate(answer_id=answer_id, run=None, request_id=request_id)
