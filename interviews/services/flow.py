"""The session state machine: every transition locks the session row (select_for_update).

pending -> in_progress (first questions/next) -> completed (complete), or abandoned after twice the
planned duration without activity (applied by a periodic sweep and on any access).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.result import AsyncResult
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from cloudinterview.choices import RUNNABLE_LANGUAGES, QuestionType
from domain.errors import InvalidInput, InvalidState, NotFound, TooLarge

from .. import realtime
from ..models import Answer, AnswerStatus, InterviewSession, PlanStatus, SessionQuestion, SessionStatus
from ..selectors import SessionState, prompt_due_at, prompt_id, session_state
from .code_runs import sandbox_run_wait
from .completion import evaluations_pending, session_scores_store
from .evaluation import evaluation_start

TEXT_LIMIT_BYTES = 32 * 1024
CODE_LIMIT_BYTES = 64 * 1024
ACTIVE = (SessionStatus.PENDING, SessionStatus.IN_PROGRESS)


def abandon_stale_sessions(*, session_ids: list[int] | None = None) -> int:
    """Mark sessions abandoned after twice their planned duration without activity; returns how many.

    One UPDATE per distinct planned duration keeps this a handful of statements for any number of rows.
    """
    now = timezone.now()
    active = InterviewSession.objects.filter(status__in=ACTIVE)
    if session_ids is not None:
        active = active.filter(id__in=session_ids)
    changed = 0
    for minutes in active.values_list("planned_duration", flat=True).distinct().order_by():
        changed += active.filter(planned_duration=minutes,
                                 last_activity_at__lt=now - timedelta(minutes=2 * minutes)).update(
            status=SessionStatus.ABANDONED)
    return changed


def session_for_user(*, user: User, session_id: str) -> InterviewSession:
    """The user's session (another user's is 404, never 403), with the abandonment rule applied first."""
    session = InterviewSession.objects.filter(public_id=session_id, user=user).first()
    if session is None:
        raise NotFound("No such session.")
    apply_abandonment(session)
    return session


def apply_abandonment(session: InterviewSession) -> None:
    """The sweep's rule applied at once to this session (so the embedded default needs no beat). The row in hand
    says whether it can be stale: a live session costs no query (every socket action and REST call comes here)."""
    if session.status not in ACTIVE:
        return
    if session.last_activity_at >= timezone.now() - timedelta(minutes=2 * session.planned_duration):
        return
    if abandon_stale_sessions(session_ids=[session.id]):
        session.refresh_from_db()


def _lock(session: InterviewSession, allowed: tuple[str, ...], action: str) -> InterviewSession:
    """Re-read the session under a row lock and check it may take `action`; call inside atomic()."""
    locked = InterviewSession.objects.select_for_update().get(pk=session.pk)
    if locked.status not in allowed:
        raise InvalidState(f"Cannot {action}: the session is {locked.status}.")
    return locked


def _slot(session: InterviewSession, position: int) -> SessionQuestion | None:
    return SessionQuestion.objects.select_related("question").filter(session=session, position=position).first()


def question_next(*, session: InterviewSession, request_id: str | None = None) -> SessionQuestion | None:
    """Present the next planned question (an unanswered current one becomes skipped); None when none is left.

    Under the row lock two concurrent calls serialise: each question is presented exactly once.
    """
    apply_abandonment(session)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(session, ACTIVE, "present a question")
        if locked.status == SessionStatus.PENDING:
            locked.status = SessionStatus.IN_PROGRESS
            locked.started_at = now
        SessionQuestion.objects.filter(session=locked, position=locked.current_index,
                                       status=PlanStatus.PRESENTED).update(status=PlanStatus.SKIPPED)
        slot = _slot(locked, locked.current_index + 1)
        if slot is not None:
            slot.status = PlanStatus.PRESENTED
            slot.presented_at = now
            slot.save(update_fields=["status", "presented_at"])
            locked.current_index = slot.position
        locked.last_activity_at = now
        locked.save(update_fields=["status", "started_at", "current_index", "last_activity_at"])
        # Also when none is left: the current question was just skipped, and every socket must hear of it.
        realtime.publish_question_presented(session=locked, slot=slot, request_id=request_id)
    session.__dict__.update(locked.__dict__)
    return slot


@dataclass(frozen=True)
class Prompt:
    slot: SessionQuestion
    is_follow_up: bool
    text: str

    @property
    def prompt_id(self) -> str:
        """What a client sends as `questionId` to answer this prompt (docs/api.md, "Answering the right prompt")."""
        return prompt_id(question_id=self.slot.question.public_id, is_follow_up=self.is_follow_up)

    @property
    def due_at(self) -> datetime | None:
        return prompt_due_at(slot=self.slot, is_follow_up=self.is_follow_up)


def current_prompt(session: InterviewSession) -> Prompt | None:
    """What the candidate may answer now: the current question, or its pending follow-up."""
    if session.status != SessionStatus.IN_PROGRESS or session.current_index == 0:
        return None
    slot = _slot(session, session.current_index)
    if slot is None:
        return None
    if slot.status == PlanStatus.PRESENTED:
        return Prompt(slot, False, slot.question.description)
    if slot.follow_up_text and not slot.follow_up_answered:
        return Prompt(slot, True, slot.follow_up_text)
    return None


def session_snapshot(*, user: User, session_id: str) -> SessionState:
    """The socket's snapshot of the user's session (NotFound for anyone else's): the prompt awaiting an answer
    decides the pending follow-up and when it is due."""
    session = session_for_user(user=user, session_id=session_id)
    prompt = current_prompt(session)
    return session_state(session=session, pending_follow_up=prompt.text if prompt and prompt.is_follow_up else None,
                         prompt_due_at=prompt.due_at if prompt else None)


def _utf8_len(text: str | None) -> int:
    return len((text or "").encode("utf-8"))


def check_answer_limits(*, text: str, code: str, approach: str) -> None:
    """Limits in UTF-8 bytes (docs/api.md, "Envelope and errors"), 413 naming the field."""
    for field, value, limit in (("answerText", text, TEXT_LIMIT_BYTES),
                                ("codeSubmission.approachExplanation", approach, TEXT_LIMIT_BYTES),
                                ("codeSubmission.code", code, CODE_LIMIT_BYTES)):
        if _utf8_len(value) > limit:
            raise TooLarge(f"{field} exceeds {limit // 1024} KiB.", field=field)


def _check_prompt(prompt: Prompt | None, question_id: str | None) -> Prompt:
    if prompt is None:
        raise InvalidState("There is no question awaiting an answer; ask for the next question.")
    if question_id is not None and question_id != prompt.prompt_id:
        awaiting = "its follow-up" if prompt.is_follow_up else "the question"
        raise InvalidState(f"questionId {question_id!r} is not the prompt awaiting an answer: {awaiting} "
                           f"{prompt.prompt_id!r} is.", field="questionId")
    return prompt


def answer_submit(*, session: InterviewSession, text: str = "", code: str = "", language: str = "",
                  approach: str = "", response_time: int | None = None, question_id: str | None = None,
                  request_id: str | None = None) -> tuple[Answer, AsyncResult | None]:
    """Store the answer to the current prompt first, then queue its evaluation.

    With `question_id`, the answer is taken only if that is the prompt awaiting an answer (the question, or its
    follow-up's own id), else INVALID_STATE: a retried answer can never become the follow-up's answer. With
    `request_id` (the socket's), idempotent: the same request_id again returns the answer it made and replays its
    events, recording nothing (a client resending after a lost connection). An answer after its prompt's time
    limit is taken and marked late (docs/api.md, "Time limits"). The answer row commits before any evaluation
    starts (a worker never sees a missing row, and a crash after this point loses nothing). Returns the answer
    and a handle to wait on (None for a replay).
    """
    check_answer_limits(text=text, code=code, approach=approach)
    if not text.strip() and not code.strip():
        raise InvalidInput("An answer needs answerText or codeSubmission.code.", field="answerText")
    apply_abandonment(session)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(session, (SessionStatus.IN_PROGRESS,), "answer")
        if request_id and (earlier := Answer.objects.filter(session=locked, request_id=request_id).first()):
            _replay(earlier, session_id=locked.public_id, request_id=request_id)
            return earlier, None
        prompt = _check_prompt(current_prompt(locked), question_id)
        if code.strip() and not language:
            language = locked.language
        due = prompt.due_at
        answer = Answer.objects.create(
            session=locked, slot=prompt.slot, is_follow_up=prompt.is_follow_up,
            prompt=prompt.text if prompt.is_follow_up else "", text=text, code=code, language=language,
            approach=approach, response_time=response_time, late=due is not None and now > due,
            request_id=request_id or "",
        )
        slot = prompt.slot
        if prompt.is_follow_up:
            slot.follow_up_answered = True
        else:
            slot.status = PlanStatus.ANSWERED
            slot.answered_at = now
            slot.response_time = response_time
        slot.save(update_fields=["status", "answered_at", "response_time", "follow_up_answered"])
        locked.last_activity_at = now
        locked.save(update_fields=["last_activity_at"])
        realtime.publish(locked.public_id, "typing_indicator", {"isTyping": True, "userId": "ai_interviewer"},
                         request_id)
    # Outside the transaction: the row is committed, so whichever worker takes the task can read it.
    return answer, evaluation_start(answer=answer, question=slot.question, request_id=request_id)


def _replay(answer: Answer, *, session_id: str, request_id: str) -> None:
    """What the first submit_answer with this requestId caused, told again: the evaluation when done, else that
    the interviewer is at work (answer_evaluated follows as for the first)."""
    if answer.status == AnswerStatus.EVALUATING:
        realtime.publish(session_id, "typing_indicator",
                         {"isTyping": True, "userId": "ai_interviewer"}, request_id)
    else:
        realtime.publish_answer_evaluated(answer_pk=answer.pk, request_id=request_id)


def run_examples(*, session: InterviewSession, language: str, code: str) -> dict[str, Any]:
    """Run code against the current coding question's visible examples: no scoring, the prompt stays open."""
    check_answer_limits(text="", code=code, approach="")
    if language not in RUNNABLE_LANGUAGES:
        raise InvalidInput(f"'{language}' cannot be run; runnable: {', '.join(RUNNABLE_LANGUAGES)}.",
                               field="codeSubmission.language")
    apply_abandonment(session)
    if session.status != SessionStatus.IN_PROGRESS:
        raise InvalidState(f"Cannot run code: the session is {session.status}.")
    prompt = current_prompt(session)
    if prompt is None or prompt.slot.question.type != QuestionType.CODING:
        raise InvalidState("There is no current coding question.")
    InterviewSession.objects.filter(pk=session.pk).update(last_activity_at=timezone.now())
    return sandbox_run_wait(question=prompt.slot.question, language=language, code=code, include_hidden=False)


def session_close(*, session: InterviewSession) -> InterviewSession:
    """End the session under its row lock: the unanswered current question (and any passed over) skipped, the
    actual duration and the scores stored (unless answers are still being evaluated: then they stay null). Call
    inside transaction.atomic(); feedback's `session_complete` does, opening the report in the same transaction.
    Returns the locked row."""
    now = timezone.now()
    locked = _lock(session, (SessionStatus.IN_PROGRESS,), "complete")
    SessionQuestion.objects.filter(session=locked).filter(
        Q(status=PlanStatus.PRESENTED) | Q(status=PlanStatus.PENDING, position__lte=locked.current_index)
    ).update(status=PlanStatus.SKIPPED)
    locked.status = SessionStatus.COMPLETED
    locked.completed_at = now
    locked.last_activity_at = now
    started = locked.started_at or locked.created_at
    locked.actual_duration = max(1, round((now - started).total_seconds() / 60))
    locked.save(update_fields=["status", "completed_at", "last_activity_at", "actual_duration"])
    if not evaluations_pending(session=locked):  # else null until the report's task scores it (never a false 0)
        session_scores_store(session=locked)
    return locked


def sessions_abandon_stale_for_user(*, user: User) -> None:
    """Apply the abandonment rule to the user's active sessions, so a list shows the status the detail would
    (the embedded default has no periodic sweep). A handful of statements whatever the history."""
    active = list(InterviewSession.objects.filter(user=user, status__in=ACTIVE).values_list("id", flat=True))
    if active:
        abandon_stale_sessions(session_ids=active)


def evaluation_wait_seconds() -> float:
    return float(settings.EVALUATION_WAIT_SECONDS)
