"""Feedback reads: the user's session history, the report material shared by the API, the PDF and the pages,
and the lookups behind reports, share links and exports. Every one is a fixed number of queries. The analytics
read model is in feedback/analytics.py."""

from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse

from accounts.models import User
from domain.errors import NotFound
from interviews.models import Answer, InterviewSession, PlanStatus, SessionQuestion, SessionStatus

from .filters import SessionHistoryFilter
from .models import Feedback, FeedbackStatus, ShareLink


def feedback_for_user(*, user: User, feedback_id: str) -> Feedback:
    """The user's feedback; another user's is 404 like a missing one (never reveal it exists)."""
    feedback = (Feedback.objects.select_related("session")
                .filter(public_id=feedback_id, session__user=user).first())
    if feedback is None:
        raise NotFound("No such feedback.")
    return feedback


def session_report_related(queryset: QuerySet[InterviewSession]) -> QuerySet[InterviewSession]:
    """The one place the whole-session shape's joins live (transcript, export): feedback and share link
    joined, the questions presented so far (never the upcoming ones) with their answers and the
    interviewer's replies prefetched."""
    answers = Answer.objects.select_related("response").order_by("submitted_at", "id")
    plan = (SessionQuestion.objects.exclude(status=PlanStatus.PENDING).select_related("question").order_by("position")
            .prefetch_related(Prefetch("answers", queryset=answers)))
    return queryset.select_related("feedback", "share").prefetch_related(Prefetch("plan", queryset=plan))


def session_report_for_user(*, user: User, session_id: str) -> InterviewSession:
    """The user's session with everything its transcript shows; 404 for anyone else's."""
    session = session_report_related(InterviewSession.objects.filter(public_id=session_id, user=user)).first()
    if session is None:
        raise NotFound("No such session.")
    return session


def sessions_export_for_user(*, user: User) -> list[InterviewSession]:
    """Every session of the user, oldest first, with its plan, answers and feedback: four queries in all."""
    return list(session_report_related(InterviewSession.objects.filter(user=user)).order_by("created_at", "id"))


def shared_session(*, token: str) -> InterviewSession | None:
    """The session behind a live share token; None once revoked, or when the account is gone or disabled."""
    link = (ShareLink.objects.select_related("session__feedback")
            .filter(token=token, session__user__is_active=True).first())
    return link.session if link else None


def share_path(session: InterviewSession) -> str | None:
    """The public page's path when the owner has created a link (expects `share` selected or cached)."""
    link = getattr(session, "share", None)
    return reverse("share-page", kwargs={"token": link.token}) if link else None


def share_token(session: InterviewSession) -> str | None:
    """The session's live share token, read afresh (one query): None until the owner creates a link."""
    return ShareLink.objects.filter(session=session).values_list("token", flat=True).first()


def session_list_for_user(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[InterviewSession]:
    """The user's sessions, newest first, filtered by SessionHistoryFilter, with what a history row shows
    (`question_count`, `feedback_status`) annotated so a page is one query."""
    sessions = SessionHistoryFilter(filters or {}, queryset=InterviewSession.objects.filter(user=user)).qs
    plan_size = (SessionQuestion.objects.filter(session=OuterRef("pk")).order_by().values("session")
                 .annotate(n=Count("id")).values("n"))
    return sessions.annotate(question_count=Subquery(plan_size), feedback_status=F("feedback__status")).order_by(
        "-created_at", "-id")


ENDED = (SessionStatus.COMPLETED, SessionStatus.ABANDONED)


def report_context(*, session: InterviewSession) -> dict[str, Any]:
    """The report's material as plain data, for the public share page and the owner's report page alike.

    Nothing private: no email, no user or session id, no answer text (scores and the report; its evidence,
    which quotes the answers, is left out of the share page by feedback.presentation). Scores unrounded: the
    presenter rounds them once. One query for the plan; expects `feedback` selected.
    """
    feedback = getattr(session, "feedback", None)
    ready = feedback is not None and feedback.status == FeedbackStatus.READY
    plan = list(SessionQuestion.objects.filter(session=session).select_related("question").order_by("position"))
    presented = [slot for slot in plan if slot.status != PlanStatus.PENDING]
    return {
        "session": {
            "mode": session.mode, "job_type": session.job_type, "difficulty": session.difficulty,
            "status": session.status, "completed_at": session.completed_at, "duration": session.actual_duration,
            "overall_score": session.overall_score, "accuracy": session.accuracy,
            "communication_score": session.communication_score,
            "problem_solving_score": session.problem_solving_score,
        },
        "questions": [
            {"position": slot.position, "title": slot.question.title, "type": slot.question.type,
             "category": slot.question.category, "status": slot.status,
             "score": slot.score,
             "scores": {"completeness": slot.completeness, "correctness": slot.correctness,
                        "communication": slot.communication}}
            for slot in presented
        ],
        # Planned questions never reached; they count 0 in the session's scores (only the number, never which).
        "unreached": len(plan) - len(presented) if session.status in ENDED else 0,
        "feedback_ready": ready,
        "report": {
            "summary": feedback.summary, "overall_score": feedback.overall_score,
            "skills": [s for s in (feedback.technical_skills, feedback.communication) if s],
            "strengths": feedback.strengths, "improvement_areas": feedback.improvement_areas,
            "recommendations": feedback.recommendations, "percentile_rank": feedback.percentile_rank,
            "benchmark": feedback.benchmark, "generated_at": feedback.generated_at,
        } if ready else None,
    }
