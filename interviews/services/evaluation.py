"""Evaluating answers: queue the sandbox run (for code) and the evaluation, ask the AI interviewer, store the
result once. The interviewer's plain data is mapped in interviewer_data.py, the run's result shaped in
test_results.py, and the `run` endpoint's own sandbox run is in code_runs.py.

Slow work (running code, calling a model) happens outside any transaction; the result is written
under a row lock that makes the evaluation idempotent: a retried or duplicated task finds the
answer already evaluated and changes nothing (so question counters are never double-counted).
"""

import logging
from datetime import timedelta
from typing import Any

from celery import chain
from celery.result import AsyncResult
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cloudinterview.api.outages import is_outage
from cloudinterview.api.strictjson import storable
from cloudinterview.domain_events import ANSWER_EVALUATED, DomainEvent, emit
from cloudinterview.sandbox_queue import on_django_queue, sandbox_signature
from domain.scoring import is_solved
from domain.verdicts import Verdict
from questionbank.models import Question
from questionbank.selectors import question_sandbox_tests
from questionbank.services import question_record_attempt

from .. import realtime
from ..ai import get_interviewer
from ..models import Answer, AnswerStatus, InterviewerResponse, PlanStatus
from ..selectors import answer_related
from .code_runs import runnable_signature
from .interviewer_data import answer_data, question_data_for
from .test_results import test_results_from_run

log = logging.getLogger("cloudinterview.evaluation")

def evaluation_enqueue(*, answer: Answer, question: Question, request_id: str | None = None) -> AsyncResult:
    """Queue the evaluation: code goes to the sandbox queue first, then `evaluate_answer` with its result."""
    # The service<->task pair: tasks.py imports this module to call answer_evaluate, so the tasks are imported
    # when first queued, not at the top (that would be an import cycle).
    from ..tasks import evaluate_answer, mark_answer_failed

    signature = runnable_signature(answer=answer, question=question)
    if signature is None:
        return on_django_queue(evaluate_answer.si(None, answer.public_id, request_id)).apply_async()
    evaluate = on_django_queue(evaluate_answer.s(answer.public_id, request_id))  # the run's result comes first
    tests = question_sandbox_tests(question=question, include_hidden=True)
    run = sandbox_signature(language=answer.language, code=answer.code, function_name=signature.function_name,
                            tests=tests)
    on_error = on_django_queue(mark_answer_failed.si(answer.public_id, "The code could not be run.", request_id))
    return chain(run, evaluate).on_error(on_error).apply_async()


def evaluation_start(*, answer: Answer, question: Question, request_id: str | None = None) -> AsyncResult | None:
    """Queue a stored answer's evaluation; None when a backing service is down meanwhile. The answer is already
    committed, so the request must not be reported as failed (a retry would be refused as answered): the answer
    stays `evaluating` and `evaluations_requeue_stalled` queues it again once the service is back."""
    try:
        return evaluation_enqueue(answer=answer, question=question, request_id=request_id)
    except Exception as error:  # the broker down; or, run eagerly (make run), the evaluation's own outage
        if not is_outage(error):
            raise
        log.warning("evaluation of %s not done: a backing service is unavailable", answer.public_id, exc_info=True)
        return None


# How long a stalled evaluation keeps being queued again: an answer whose evaluation fails for another reason
# than an outage (a defect) must not come back every sweep for ever; its report has long counted it unanswered.
STALLED_REQUEUE_WINDOW = timedelta(days=1)


def evaluations_requeue_stalled(*, limit: int = 500) -> int:
    """Queue again the evaluations of answers still `evaluating` EVALUATION_STALL_SECONDS after they were
    submitted (an outage outlasted the task's retries, or its message was lost), for STALLED_REQUEUE_WINDOW;
    returns how many. Evaluation is idempotent, so an answer whose first task is merely late is evaluated once
    all the same."""
    stalled_before = timezone.now() - timedelta(seconds=settings.EVALUATION_STALL_SECONDS)
    answers = list(Answer.objects.select_related("slot__question")
                   .filter(status=AnswerStatus.EVALUATING, submitted_at__lt=stalled_before,
                           submitted_at__gte=stalled_before - STALLED_REQUEUE_WINDOW)
                   .order_by("submitted_at")[:limit])
    for answer in answers:
        evaluation_enqueue(answer=answer, question=answer.slot.question)
    if answers:
        log.warning("queued %d stalled evaluations again", len(answers))
    return len(answers)


def _load(answer_id: str) -> Answer | None:
    return Answer.objects.select_related("session", "slot__question").filter(public_id=answer_id).first()


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

    evaluation = get_interviewer().evaluate(question_data_for(question), answer_data(answer),
                                            follow_up_allowed=follow_up_allowed, on_delta=on_delta)
    _store(answer_id=answer_id, test_results=answer.test_results, evaluation=evaluation,
           follow_up_allowed=follow_up_allowed, request_id=request_id)


def _store(*, answer_id: str, test_results: dict[str, Any] | None, evaluation: Any, follow_up_allowed: bool,
           request_id: str | None) -> None:
    with transaction.atomic():
        # Locked with everything `answer_evaluated` shows, so the event needs no read of its own.
        answer = answer_related(Answer.objects.select_for_update(of=("self",))).get(public_id=answer_id)
        if answer.status != AnswerStatus.EVALUATING:
            return  # another delivery of the task got here first
        answer.status = AnswerStatus.EVALUATED
        answer.scores = dict(evaluation.scores)
        answer.test_results = test_results
        answer.evaluator = evaluation.evaluator.as_json()
        answer.covered = list(evaluation.covered)
        answer.missed = list(evaluation.missed)
        answer.evaluated_at = timezone.now()
        answer.save(update_fields=["status", "scores", "test_results", "evaluator", "covered", "missed",
                                   "evaluated_at"])
        follow_up = evaluation.follow_up_question if follow_up_allowed else None
        answer.response = InterviewerResponse.objects.create(
            answer=answer, content=evaluation.feedback, sentiment=evaluation.sentiment,
            follow_up_question=follow_up or "")
        if follow_up:
            answer.slot.follow_up_text, answer.slot.follow_up_asked_at = follow_up, answer.evaluated_at
            answer.slot.save(update_fields=["follow_up_text", "follow_up_asked_at"])
        if not answer.is_follow_up:
            solved = is_solved(test_results=answer.test_results, scores=answer.scores)
            question_record_attempt(question_id=answer.slot.question_id, solved=solved)
        emit(DomainEvent(ANSWER_EVALUATED, user_id=answer.session.user_id, session_id=answer.session_id,
                         subject_id=answer.pk))
        realtime.publish_answer_result(answer, request_id=request_id)


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
