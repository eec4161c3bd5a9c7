"""Interview reads: a session with what its shapes show, progress through the plan, answers with what their
next step depends on, and the socket's snapshot. Each is a fixed number of queries whatever the plan's length."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum, prefetch_related_objects
from django.utils import timezone

from accounts.models import User
from domain.errors import NotFound
from domain.questions import QuestionType
from domain.verdicts import Verdict
from questionbank.markdown import render_markdown
from questionbank.models import Question
from questionbank.selectors import question_related

from .models import Answer, AnswerStatus, InterviewSession, PlanStatus, SessionQuestion, SessionStatus

FOLLOW_UP_MAX_RESPONSE_SECONDS = 120
INTRO_MINUTES = 2
LAST_QUESTION_MESSAGE = "That was the last question. Complete the session to get your feedback report."

NextAction = dict[str, Any]  # docs/api.md, "Next actions": {"type", "message"?, "estimatedTime"?, "maxResponseTime"?}


def session_with_plan(session: InterviewSession) -> InterviewSession:
    """The session with its plan and the plan's questions prefetched: one query, whatever the plan's length."""
    session._prefetched_objects_cache = {}  # a reload of the plan, even when an older one was prefetched
    plan = SessionQuestion.objects.select_related("question").order_by("position")
    prefetch_related_objects([session], Prefetch("plan", queryset=plan))
    return session


def elapsed_minutes(session: InterviewSession) -> int:
    """`duration`: planned minutes before starting, minutes elapsed while running, actual once completed."""
    if session.status == SessionStatus.COMPLETED and session.actual_duration is not None:
        return session.actual_duration
    if session.started_at is None:
        return session.planned_duration
    end = session.last_activity_at if session.status == SessionStatus.ABANDONED else timezone.now()
    return int((end - session.started_at).total_seconds() // 60)


def intro_action(*, session: InterviewSession, question_count: int) -> NextAction:
    """The `nextAction` of a session just created: the interviewer's welcome."""
    name = session.interviewer.get("name", "your interviewer")
    return {
        "type": "intro",
        "message": (f"Welcome! I'm {name}, your AI interviewer. Let's begin your {session.job_type} interview: "
                    f"{question_count} question{'s' if question_count != 1 else ''} over about "
                    f"{session.planned_duration} minutes. Ask for the first question when you're ready."),
        "estimatedTime": INTRO_MINUTES,
    }


def complete_action() -> NextAction:
    return {"type": "complete", "message": LAST_QUESTION_MESSAGE}


@dataclass(frozen=True)
class Progress:
    current_index: int
    question_count: int
    remaining_minutes: int

    @property
    def remaining_questions(self) -> int:
        return max(0, self.question_count - self.current_index)


def session_progress(session: InterviewSession) -> Progress:
    """Where the session stands in its plan: two queries."""
    plan = SessionQuestion.objects.filter(session=session)
    minutes = plan.filter(position__gte=max(1, session.current_index)).aggregate(
        m=Sum("question__estimated_time"))["m"] or 0
    return Progress(current_index=session.current_index, question_count=plan.count(), remaining_minutes=minutes)


def presented_question(slot: SessionQuestion) -> Question:
    """A plan slot's question with what a presented question shows (its coding fields included)."""
    return question_related(Question.objects.filter(pk=slot.question_id)).get()


@dataclass(frozen=True)
class QuestionPresented:
    """The outcome of `questions/next`: the question presented, or None when the plan is used up."""

    question: Question | None
    progress: Progress

    @property
    def next_action(self) -> NextAction | None:
        return complete_action() if self.question is None else None


def question_presented(*, session: InterviewSession, slot: SessionQuestion | None) -> QuestionPresented:
    return QuestionPresented(question=presented_question(slot) if slot else None, progress=session_progress(session))


def answer_related(queryset: QuerySet[Answer]) -> QuerySet[Answer]:
    """The one place the answer shape's joins live, with whether questions follow its own (its next action)."""
    later = SessionQuestion.objects.filter(session_id=OuterRef("session_id"), position__gt=OuterRef("slot__position"))
    return queryset.select_related("session", "slot__question", "response").annotate(has_later_questions=Exists(later))


def answer_for_user(*, user: User, session_id: str, answer_id: str) -> Answer:
    """The user's answer in the user's session; NotFound for anyone else's."""
    answer = answer_related(Answer.objects.filter(public_id=answer_id, session__public_id=session_id,
                                                  session__user=user)).first()
    if answer is None:
        raise NotFound("No such answer.")
    return answer


FOLLOW_UP_SUFFIX = "-followup"


def prompt_id(*, question_id: str, is_follow_up: bool) -> str:
    """A prompt's id: the question's own, or for its follow-up (at most one per question) `<questionId>-followup`,
    so a client can say which prompt an answer is for (docs/api.md, "Answering the right prompt")."""
    return f"{question_id}{FOLLOW_UP_SUFFIX}" if is_follow_up else question_id


def prompt_due_at(*, slot: SessionQuestion, is_follow_up: bool) -> datetime | None:
    """When a prompt's time is up (docs/api.md, "Time limits"): the question's estimated minutes after it was
    presented, or FOLLOW_UP_MAX_RESPONSE_SECONDS after its follow-up was asked. None when it was never started.
    Whole seconds, as `promptDueAt` is sent: the room's clock and the late mark then change at the same instant."""
    if is_follow_up:
        started, allowed = slot.follow_up_asked_at, timedelta(seconds=FOLLOW_UP_MAX_RESPONSE_SECONDS)
    else:
        started, allowed = slot.presented_at, timedelta(minutes=slot.question.estimated_time)
    return (started + allowed).replace(microsecond=0) if started else None


def follow_up_takes_code(answer: Answer) -> bool:
    """Whether the follow-up this answer asked may be answered with corrected code (docs/api.md, "Fixing code in
    the follow-up"): the answer is a coding question's main answer whose code ran and did not pass every case."""
    results = answer.test_results or {}
    return (not answer.is_follow_up and answer.slot.question.type == QuestionType.CODING and bool(answer.code)
            and bool(results.get("total")) and results.get("verdict") != Verdict.ACCEPTED)


def answer_next_action(answer: Answer) -> NextAction:
    """What the candidate should do after this answer (expects answer_related's annotation)."""
    if answer.status == AnswerStatus.EVALUATING:
        return {"type": "await_evaluation"}
    if answer.status == AnswerStatus.FAILED:
        return {"type": "next_question", "message": "Your code could not be run: submit your answer again, or "
                                                    "move on to the next question."}
    response = getattr(answer, "response", None)
    if response is not None and response.follow_up_question:
        return {"type": "follow_up", "message": response.follow_up_question,
                "messageHtml": str(render_markdown(response.follow_up_question)),
                "maxResponseTime": FOLLOW_UP_MAX_RESPONSE_SECONDS,
                "questionId": prompt_id(question_id=answer.slot.question.public_id, is_follow_up=True),
                "isFollowUp": True, "acceptsCode": follow_up_takes_code(answer)}
    if answer.has_later_questions:
        return {"type": "next_question", "message": "Ready for the next question?"}
    return complete_action()


@dataclass(frozen=True)
class SessionState:
    """The socket's snapshot on connect: enough for a reconnecting client to carry on.

    `current_question` is the question being worked on while the session runs (answered or not: the detail's
    `questions` says which); `pending_follow_up` is the follow-up awaiting an answer, if any; `prompt_due_at` is
    when the prompt awaiting an answer is due (`server_time` is the clock it was read against); `last_evaluation` is
    the newest finished evaluation;
    `conversation` is every presented question with its answers and the interviewer's replies, in order, so a
    reloaded page shows the whole interview so far (docs/api.md, "Live interview").
    """

    session: InterviewSession
    current_question: Question | None
    pending_follow_up: str | None
    prompt_due_at: datetime | None
    last_evaluation: Answer | None
    conversation: list[SessionQuestion]
    server_time: datetime


def session_state(*, session: InterviewSession, pending_follow_up: str | None,
                  prompt_due_at: datetime | None = None) -> SessionState:
    """The snapshot in a fixed number of queries, whatever the plan's length and the answers' number."""
    session = session_with_plan(session)
    current = None
    if session.status == SessionStatus.IN_PROGRESS and session.current_index:
        current = next((s for s in session.plan.all() if s.position == session.current_index), None)
    last = (answer_related(Answer.objects.filter(session=session)).exclude(status=AnswerStatus.EVALUATING)
            .order_by("-submitted_at", "-pk").first())
    shown = shown_slots(session)
    prefetch_related_objects(shown, Prefetch("answers", queryset=Answer.objects.select_related("response")
                                             .order_by("submitted_at", "id")))
    return SessionState(session=session, current_question=presented_question(current) if current else None,
                        pending_follow_up=pending_follow_up, prompt_due_at=prompt_due_at, last_evaluation=last,
                        conversation=shown, server_time=timezone.now())


def shown_slots(session: InterviewSession) -> list[SessionQuestion]:
    """The questions presented so far, never the upcoming ones (expects session_with_plan)."""
    return [slot for slot in session.plan.all() if slot.status != PlanStatus.PENDING]


def plan_related(queryset: QuerySet[SessionQuestion]) -> QuerySet[SessionQuestion]:
    """The plan with questions and answers in order, for scoring and the session's feedback material."""
    return (queryset.select_related("question")
            .prefetch_related("question__rubric_points", "question__follow_ups",
                              Prefetch("answers", queryset=Answer.objects.order_by("submitted_at", "id"))))
