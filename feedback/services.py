"""Writing a session's feedback report: scores from the engine, words from the AI interviewer,
and the comparison with other candidates computed by the database."""

import secrets
from typing import Any

from celery.result import AsyncResult
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from cloudinterview.domain_events import FEEDBACK_READY, SESSION_COMPLETED, DomainEvent, emit
from cloudinterview.sandbox_queue import on_django_queue
from domain.errors import InvalidState
from interviews import realtime
from interviews.ai import get_interviewer
from interviews.models import InterviewSession, SessionStatus
from interviews.services.completion import evaluations_pending, session_data, session_scores_store
from interviews.services.flow import apply_abandonment, session_close

from .analytics import TREND_WINDOW
from .measures import skill_level, trend
from .models import Feedback, FeedbackStatus, ShareLink
from .serializers import SessionCompletedEventOutput

PEER_MINIMUM = 20
ALL_ROLES = "All roles"
SHARE_TOKEN_BYTES = 24


def percentile_and_benchmark(*, score: float, job_type: str) -> tuple[float | None, dict[str, Any]]:
    """Where `score` stands among completed, scored sessions (docs/api.md, "Feedback and analytics"), by the database.

    Comparison sessions: those of the same job type when at least PEER_MINIMUM exist, else all. The session
    being ranked is one of them (its score is stored before this runs), so it counts among the equal ones,
    as in the textbook percentile rank; a session alone is at the 50th percentile.
    Percentile = (lower + equal / 2) / total x 100; topQuartile = the nearest-rank 75th percentile (the
    value at rank ceil(0.75 N) in ascending order); categoryAverage = the mean; difference = score - mean.
    Three queries whatever the number of sessions, each answered from the (status, job_type, overall_score)
    or (status, overall_score) index: the role's size, one aggregate over the chosen sessions, and one
    ORDER BY ... OFFSET for the quartile. Counting `overall_score` (not the id) keeps the scans index-only.
    With no comparison session at all the statistics do not exist and are null, never made up.
    """
    completed = InterviewSession.objects.filter(status=SessionStatus.COMPLETED, overall_score__isnull=False)
    peers, role = completed.filter(job_type=job_type), job_type
    if peers.count() < PEER_MINIMUM:
        peers, role = completed, ALL_ROLES
    stats = peers.aggregate(
        total=Count("overall_score"), lower=Count("overall_score", filter=Q(overall_score__lt=score)),
        equal=Count("overall_score", filter=Q(overall_score=score)), average=Avg("overall_score"))
    total = stats["total"]
    if total == 0:
        return None, {"role": role, "categoryAverage": None, "topQuartile": None, "difference": None,
                      "sampleSize": 0}
    percentile = round(100 * (stats["lower"] + stats["equal"] / 2) / total, 1)
    rank = (3 * total + 3) // 4  # ceil(0.75 N) in integers
    top_quartile = peers.order_by("overall_score").values_list("overall_score", flat=True)[rank - 1]
    average = stats["average"]
    return percentile, {"role": role, "categoryAverage": round(average, 1), "topQuartile": round(top_quartile, 1),
                        "difference": round(score - average, 1), "sampleSize": total}


def _trajectories(*, session: InterviewSession, technical: float, communication: float) -> tuple[str, str]:
    """growthTrajectory of both skills: the trend over the user's last TREND_WINDOW completed sessions up
    to this one (earlier ones read in one query), so a report never changes when later sessions arrive."""
    earlier = list(
        InterviewSession.objects.filter(user_id=session.user_id, status=SessionStatus.COMPLETED,
                                        overall_score__isnull=False, completed_at__lt=session.completed_at)
        .exclude(pk=session.pk).order_by("-completed_at", "-id")
        .values_list("problem_solving_score", "communication_score")[: TREND_WINDOW - 1]
    )[::-1]
    return (trend([row[0] for row in earlier] + [technical]),
            trend([row[1] for row in earlier] + [communication]))


SKILL_NAMES = {
    "technical": "Algorithm Design",
    "system_design": "System Design",
    "behavioral": "Professional Judgement",
    "mixed": "Technical Problem Solving",
}


def session_complete(*, session: InterviewSession, request_id: str | None = None) -> tuple[Feedback, AsyncResult]:
    """End the session and open its report in one transaction (the session row locked meanwhile), then queue the
    report's writing: a session is never completed without its report, nor a report opened for a session that
    is not completed. The REST `complete` and the socket's `complete` both call this."""
    apply_abandonment(session)
    with transaction.atomic():
        locked = session_close(session=session)
        feedback = feedback_open(session=locked)
        emit(DomainEvent(SESSION_COMPLETED, user_id=locked.user_id, session_id=locked.pk, subject_id=locked.pk))
    session.__dict__.update(locked.__dict__)
    return feedback, feedback_enqueue(feedback=feedback, request_id=request_id)


def feedback_open(*, session: InterviewSession) -> Feedback:
    """The session's feedback record, created once (status generating until the task writes it)."""
    feedback, _ = Feedback.objects.get_or_create(session=session)
    return feedback


def feedback_enqueue(*, feedback: Feedback, request_id: str | None = None) -> AsyncResult:
    # The service<->task pair: tasks.py imports this module to call feedback_generate, so the task is imported
    # when first queued, not at the top (that would be an import cycle).
    from .tasks import generate_feedback

    return on_django_queue(generate_feedback.si(feedback.public_id, request_id)).apply_async()


def feedback_generate(*, feedback_id: str, request_id: str | None = None, force: bool = False) -> bool:
    """Write the report; idempotent. Returns False while answers are still being evaluated (the task
    retries), unless `force` (its last try): then unevaluated answers count as unanswered."""
    feedback = Feedback.objects.select_related("session__user").filter(public_id=feedback_id).first()
    if feedback is None or feedback.status == FeedbackStatus.READY:
        return True
    session = feedback.session
    if evaluations_pending(session=session) and not force:
        return False
    scores = session_scores_store(session=session)
    data = session_data(session=session, user=session.user)
    draft = get_interviewer().summarize(data)  # slow: outside any transaction
    percentile, benchmark = percentile_and_benchmark(score=scores.overall, job_type=session.job_type)
    technical_trend, communication_trend = _trajectories(session=session, technical=scores.problem_solving,
                                                         communication=scores.communication)
    answered = sum(1 for q in data.questions if not q.skipped)
    # How much of the session the assessment rests on: half certain from the scores alone, the rest in
    # proportion to the questions actually answered.
    confidence = round(0.5 + 0.5 * answered / max(1, len(data.questions)), 2)
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.status == FeedbackStatus.READY:
            return True
        locked.summary = draft.summary
        locked.overall_score = scores.overall
        locked.technical_skills = {
            "skill": SKILL_NAMES.get(session.mode, "Technical Problem Solving"), "score": scores.problem_solving,
            "level": skill_level(scores.problem_solving), "confidence": confidence,
            "evidence": list(draft.technical_evidence), "growthTrajectory": technical_trend,
        }
        locked.communication = {
            "skill": "Technical Communication", "score": scores.communication,
            "level": skill_level(scores.communication), "confidence": confidence,
            "evidence": list(draft.communication_evidence), "growthTrajectory": communication_trend,
        }
        locked.strengths = list(draft.strengths)
        locked.improvement_areas = list(draft.improvement_areas)
        locked.recommendations = list(draft.recommendations)
        locked.percentile_rank = percentile
        locked.benchmark = benchmark
        locked.evaluator = draft.evaluator.as_json()
        locked.status = FeedbackStatus.READY
        locked.generated_at = timezone.now()
        locked.save()
        emit(DomainEvent(FEEDBACK_READY, user_id=session.user_id, session_id=session.pk, subject_id=locked.pk))
        realtime.publish(session.public_id, "session_completed", SessionCompletedEventOutput(locked).data, request_id)
    return True


def share_create(*, session: InterviewSession) -> ShareLink:
    """Create the session's public link, or rotate it: a fresh random token (unrelated to any id), so the
    previous link stops working at once. Only a completed session has a report to share."""
    if session.status != SessionStatus.COMPLETED:
        raise InvalidState(f"Only a completed session can be shared; this one is {session.status}.")
    link, _ = ShareLink.objects.update_or_create(
        session=session, defaults={"token": secrets.token_urlsafe(SHARE_TOKEN_BYTES), "created_at": timezone.now()})
    return link


def share_revoke(*, session: InterviewSession) -> None:
    """Delete the session's link; the page 404s from then on. Idempotent."""
    ShareLink.objects.filter(session=session).delete()
