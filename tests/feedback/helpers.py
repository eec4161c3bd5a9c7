"""Sessions with known scores, built in a few queries so tests can create dozens of them.

`completed_session` writes the rows a real interview leaves behind (session, plan, one evaluated main answer
per answered question, its interviewer reply) straight through the models, with every dimension of a
question's answer set to the chosen score, then finishes the session with the real
`session_scores_store`: stored session and per-question scores therefore follow the contract's formulas
exactly as after `POST …/complete`. Times are set afterwards (created, started, completed) so streaks,
activity and trends can be placed on chosen days. `session_in` makes the other statuses.

Whole interviews driven through the REST API live in the API tests (tests/interviews/helpers.py).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from interviews.models import (
    Answer,
    AnswerStatus,
    InterviewerResponse,
    InterviewSession,
    PlanStatus,
    SessionQuestion,
    SessionStatus,
)
from interviews.services.completion import session_scores_store
from questionbank.models import Question
from tests.questionbank.factories import QuestionFactory

DIMENSIONS = ("completeness", "correctness", "communication")


def bank_question(category: str, index: int = 0, qtype: str = "theory") -> Question:
    """The index-th test question of a category, created once and reused across sessions."""
    slug = f"fb-{category.replace(' ', '-')}-{qtype}-{index}"
    return Question.objects.filter(slug=slug).first() or QuestionFactory(
        slug=slug, category=category, type=qtype, title=f"{category.title()} question {index}",
        description=f"Explain {category} concept number {index}.")


def completed_session(user: User, scores: Sequence[float | None] = (70.0,), *,
                      categories: Sequence[str] | None = None, job_type: str = "Backend Engineer",
                      completed_at: datetime | None = None, minutes: int = 30, mode: str = "technical",
                      answer_texts: Sequence[str] | None = None) -> InterviewSession:
    """A completed session whose i-th planned question scores `scores[i]` on every dimension (None: skipped),
    in `categories[i]` (default "general"), finished `minutes` after it started, at `completed_at`."""
    categories = list(categories or ["general"] * len(scores))
    completed_at = completed_at or timezone.now()
    started_at = completed_at - timedelta(minutes=minutes)
    session = InterviewSession.objects.create(
        user=user, mode=mode, job_type=job_type, difficulty="medium", planned_duration=max(5, minutes),
        language="python", status=SessionStatus.COMPLETED, current_index=len(scores), interviewer={},
    )
    used: dict[str, int] = {}
    for position, (score, category) in enumerate(zip(scores, categories, strict=True), start=1):
        question = bank_question(category, used.get(category, 0))
        used[category] = used.get(category, 0) + 1
        slot = SessionQuestion.objects.create(
            session=session, question=question, position=position, presented_at=started_at,
            status=PlanStatus.SKIPPED if score is None else PlanStatus.ANSWERED,
            answered_at=None if score is None else completed_at,
        )
        if score is None:
            continue
        text = (answer_texts[position - 1] if answer_texts else
                f"My answer about {category}: first the idea, then the trade-offs, because it matters.")
        answer = Answer.objects.create(
            session=session, slot=slot, text=text, status=AnswerStatus.EVALUATED, response_time=90,
            scores=dict.fromkeys(DIMENSIONS, score), evaluated_at=completed_at,
            evaluator={"provider": "offline", "model": "rubric-v1", "rubricVersion": 1, "promptHash": "test",
                       "fallback": False},
        )
        InterviewerResponse.objects.create(answer=answer, content=f"Scored {score}.", sentiment="neutral")
    InterviewSession.objects.filter(pk=session.pk).update(
        created_at=started_at, started_at=started_at, completed_at=completed_at, last_activity_at=completed_at,
        actual_duration=minutes)
    session.refresh_from_db()
    session_scores_store(session=session)
    session.refresh_from_db()
    return session


def session_in(user: User, status: str, *, created_at: datetime | None = None, mode: str = "technical",
               job_type: str = "Backend Engineer") -> InterviewSession:
    """A session in a status other than completed (pending, in_progress, abandoned), with a one-question plan."""
    created_at = created_at or timezone.now()
    session = InterviewSession.objects.create(
        user=user, mode=mode, job_type=job_type, difficulty="medium", planned_duration=30, language="python",
        status=status, interviewer={}, current_index=0 if status == SessionStatus.PENDING else 1,
    )
    SessionQuestion.objects.create(session=session, question=bank_question("general"), position=1,
                                   status=PlanStatus.PENDING if status == SessionStatus.PENDING
                                   else PlanStatus.PRESENTED)
    InterviewSession.objects.filter(pk=session.pk).update(
        created_at=created_at, last_activity_at=created_at,
        started_at=None if status == SessionStatus.PENDING else created_at)
    session.refresh_from_db()
    return session
