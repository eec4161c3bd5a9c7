"""Writing a session's feedback report: scores from the engine, words from the AI interviewer,
and the comparison with other candidates computed by the database."""

import math
from typing import Any

from celery.result import AsyncResult
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from interviews import realtime
from interviews.ai import get_interviewer
from interviews.models import InterviewSession, SessionStatus
from interviews.services.completion import evaluations_pending, session_data, session_scores_store

from .models import Feedback, FeedbackStatus

PEER_MINIMUM = 20
TRAJECTORY_MARGIN = 2.0


def skill_level(score: float) -> str:
    """CONTRACT section 12: below 50 beginner, below 80 intermediate, below 90 advanced, else expert."""
    if score < 50:
        return "beginner"
    if score < 80:
        return "intermediate"
    if score < 90:
        return "advanced"
    return "expert"


def comparison_sessions(*, job_type: str) -> tuple[Any, str]:
    """Completed, scored sessions to compare with: the same job type when at least 20 exist, else all."""
    completed = InterviewSession.objects.filter(status=SessionStatus.COMPLETED, overall_score__isnull=False)
    same_role = completed.filter(job_type=job_type)
    if same_role.count() >= PEER_MINIMUM:
        return same_role, job_type
    return completed, "All roles"


def percentile_and_benchmark(*, score: float, job_type: str) -> tuple[float, dict[str, Any]]:
    """Percentile rank (lower + half of equal, over all compared) and the benchmark, by counts and aggregates."""
    peers, role = comparison_sessions(job_type=job_type)
    stats = peers.aggregate(total=Count("id"), lower=Count("id", filter=Q(overall_score__lt=score)),
                            equal=Count("id", filter=Q(overall_score=score)), average=Avg("overall_score"))
    total = stats["total"] or 0
    if total == 0:
        return 50.0, {"role": role, "categoryAverage": score, "topQuartile": score, "difference": 0.0}
    percentile = round(100 * (stats["lower"] + 0.5 * stats["equal"]) / total, 1)
    rank = math.ceil(0.75 * total)  # nearest-rank 75th percentile
    top_quartile = peers.order_by("overall_score").values_list("overall_score", flat=True)[rank - 1]
    average = round(stats["average"], 1)
    return percentile, {"role": role, "categoryAverage": average, "topQuartile": round(top_quartile, 1),
                        "difference": round(score - average, 1)}


def _trajectory(*, session: InterviewSession, field: str, current: float) -> str:
    previous = (InterviewSession.objects.filter(user_id=session.user_id, status=SessionStatus.COMPLETED,
                                                completed_at__lt=session.completed_at)
                .exclude(pk=session.pk).aggregate(avg=Avg(field))["avg"])
    if previous is None:
        return "stable"
    if current > previous + TRAJECTORY_MARGIN:
        return "improving"
    if current < previous - TRAJECTORY_MARGIN:
        return "declining"
    return "stable"


SKILL_NAMES = {
    "technical": "Algorithm Design",
    "system_design": "System Design",
    "behavioral": "Professional Judgement",
    "mixed": "Technical Problem Solving",
}


def feedback_open(*, session: InterviewSession) -> Feedback:
    """The session's feedback record, created once (status generating until the task writes it)."""
    feedback, _ = Feedback.objects.get_or_create(session=session)
    return feedback


def feedback_enqueue(*, feedback: Feedback, request_id: str | None = None) -> AsyncResult:
    from .tasks import generate_feedback

    return generate_feedback.apply_async(args=(feedback.public_id, request_id), queue="celery")


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
    answered = sum(1 for q in data.questions if not q.skipped)
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
            "evidence": list(draft.technical_evidence),
            "growthTrajectory": _trajectory(session=session, field="problem_solving_score",
                                            current=scores.problem_solving),
        }
        locked.communication = {
            "skill": "Technical Communication", "score": scores.communication,
            "level": skill_level(scores.communication), "confidence": confidence,
            "evidence": list(draft.communication_evidence),
            "growthTrajectory": _trajectory(session=session, field="communication_score",
                                            current=scores.communication),
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
        realtime.publish(session.public_id, "session_completed", {
            "session": {"sessionId": session.public_id, "status": session.status,
                        "overallScore": scores.overall},
            "feedback": {"feedbackId": locked.public_id, "status": locked.status},
        }, request_id)
    return True
