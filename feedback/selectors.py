"""Feedback reads: the analytics read model, the report material shared by the API, the PDF and the pages,
and the lookups behind reports, share links and exports. Every one is a fixed number of queries."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from domain.errors import NotFound
from interviews.models import Answer, InterviewSession, PlanStatus, SessionQuestion
from interviews.selectors import (
    Overview,
    category_points_for_user,
    category_totals_for_user,
    daily_activity_for_user,
    session_overview,
    utc_today,
)

from .measures import next_milestone, skill_level, trend
from .models import Feedback, FeedbackStatus, ShareLink

RECENT_DAYS = 30
WEAK_CATEGORIES = 3
PRIORITY_BY_LEVEL = {"beginner": "high", "intermediate": "medium"}


def feedback_for_user(*, user: User, feedback_id: str) -> Feedback:
    """The user's feedback; another user's is 404 like a missing one (never reveal it exists)."""
    feedback = (Feedback.objects.select_related("session")
                .filter(public_id=feedback_id, session__user=user).first())
    if feedback is None:
        raise NotFound("No such feedback.")
    return feedback


def skill_name(category: str) -> str:
    """'data structures' -> 'Data Structures' (acronyms such as 'API' kept as written)."""
    return " ".join(word[:1].upper() + word[1:] for word in category.replace("_", " ").split())


def _recommendations(categories: list[dict[str, Any]], overview: Overview) -> list[dict[str, str]]:
    """What to practise, from the weakest categories first (CONTRACT: recommendations follow from them)."""
    if overview.completed_sessions == 0:
        return [{"type": "start", "priority": "high",
                 "content": "Complete an interview to see your strengths and where to focus next."}]
    weakest = sorted(categories, key=lambda c: (c["averageScore"], c["category"]))
    weak = [c for c in weakest if skill_level(c["averageScore"]) in PRIORITY_BY_LEVEL][:WEAK_CATEGORIES]
    items = [
        {"type": "practice", "priority": PRIORITY_BY_LEVEL[skill_level(c["averageScore"])],
         "content": f"Practise {c['category']} questions: your average there is {c['averageScore']:g}, "
                    f"{next_milestone(c['averageScore'])} is the next step."}
        for c in weak
    ]
    listed = {c["category"] for c in weak}
    items += [
        {"type": "review", "priority": "medium",
         "content": f"Revisit {c['category']}: your recent scores there are declining "
                    f"(average {c['averageScore']:g})."}
        for c in weakest if c["trend"] == "declining" and c["category"] not in listed
    ]
    if not items and weakest:
        top = weakest[0]
        milestone = next_milestone(top["averageScore"])
        items.append({"type": "challenge", "priority": "low",
                      "content": f"Take harder {top['category']} questions, your lowest category "
                                 f"({top['averageScore']:g})" + (f"; {milestone}." if milestone else ".")})
    if overview.total_sessions >= 2 and overview.completion_rate < 50:
        items.append({"type": "habit", "priority": "low",
                      "content": f"Finish the interviews you start: {overview.completion_rate:g}% completed so far, "
                                 "and only completed sessions get a report."})
    return items


def user_analytics(*, user: User, today: date | None = None) -> dict[str, Any]:
    """GET /users/me/analytics in the seed's shape (CONTRACT section 12's definitions).

    Five queries whatever the number of sessions: the overview (shared with `GET /users/me` stats) and the
    streak, per-category totals, the last ten points per category, and the last 30 days' activity.
    """
    today = today or utc_today()
    overview = session_overview(user=user, today=today)
    points = category_points_for_user(user=user)
    categories = [
        {"category": row["category"], "averageScore": round(row["average"], 1), "sessionCount": row["sessions"],
         "trend": trend(points.get(row["category"], []))}
        for row in category_totals_for_user(user=user)
    ]
    skills = [
        {"skill": skill_name(c["category"]), "currentLevel": skill_level(c["averageScore"]),
         "progress": c["averageScore"], "nextMilestone": next_milestone(c["averageScore"])}
        for c in categories
    ]
    activity = daily_activity_for_user(user=user, since=today - timedelta(days=RECENT_DAYS - 1))
    return {
        "overview": {
            "totalSessions": overview.total_sessions, "averageScore": overview.average_score,
            "completionRate": overview.completion_rate, "streakDays": overview.streak_days,
            "totalHours": overview.total_hours,
        },
        "performanceByCategory": categories,
        "skillProgress": skills,
        "recentActivity": [
            {"date": row["day"].isoformat(), "sessions": row["sessions"],
             "averageScore": None if row["average"] is None else round(row["average"], 1)}
            for row in activity
        ],
        "recommendations": _recommendations(categories, overview),
    }


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
    return f"/share/{link.token}" if link else None


def report_context(*, session: InterviewSession) -> dict[str, Any]:
    """The report's material as plain data, for the public share page and the owner's report page alike.

    Nothing private: no email, no user or session id, no answer text (only scores and the report, whose
    evidence the candidate's interviewer quoted). One query for the plan; expects `feedback` selected.
    """
    feedback = getattr(session, "feedback", None)
    ready = feedback is not None and feedback.status == FeedbackStatus.READY
    plan = (SessionQuestion.objects.filter(session=session).exclude(status=PlanStatus.PENDING)
            .select_related("question").order_by("position"))
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
             "score": None if slot.score is None else round(slot.score, 1),
             "scores": {"completeness": slot.completeness, "correctness": slot.correctness,
                        "communication": slot.communication}}
            for slot in plan
        ],
        "feedback_ready": ready,
        "report": {
            "summary": feedback.summary, "overall_score": feedback.overall_score,
            "skills": [s for s in (feedback.technical_skills, feedback.communication) if s],
            "strengths": feedback.strengths, "improvement_areas": feedback.improvement_areas,
            "recommendations": feedback.recommendations, "percentile_rank": feedback.percentile_rank,
            "benchmark": feedback.benchmark, "generated_at": feedback.generated_at,
        } if ready else None,
    }
