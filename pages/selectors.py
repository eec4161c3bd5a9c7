"""Page-side reads the other apps do not offer: the dashboard's score-over-time series and the question bank's
solved/attempted marks. Fixed query counts."""

from collections.abc import Iterable
from typing import Any

from accounts.models import User
from domain.scoring import is_solved
from feedback.presentation import shown
from interviews.models import Answer, AnswerStatus, InterviewSession, SessionStatus

SOLVED, ATTEMPTED = "solved", "attempted"

PROGRESS_POINTS = 20


def progress_points(*, user: User, count: int = PROGRESS_POINTS) -> list[dict[str, Any]]:
    """Overall score of the user's last `count` completed sessions, oldest first (the chart's x axis).

    Analytics' `recentActivity` is per day; the chart wants one point per interview. One query.
    """
    rows = list(
        InterviewSession.objects.filter(user=user, status=SessionStatus.COMPLETED, overall_score__isnull=False)
        .order_by("-completed_at", "-id").values("completed_at", "overall_score")[:count]
    )
    return [{"label": r["completed_at"].strftime("%b %d"), "value": shown(r["overall_score"])}
            for r in reversed(rows)]


def question_marks(*, user: User, question_ids: Iterable[int]) -> dict[int, str]:
    """Per question the user has answered, "solved" once any main answer solved it (domain.scoring.is_solved,
    the rule the bank's success rate counts by), else "attempted"; unanswered questions are absent. One query
    for a page of questions, whatever the history."""
    rows = Answer.objects.filter(session__user=user, slot__question_id__in=list(question_ids), is_follow_up=False,
                                 status=AnswerStatus.EVALUATED).values_list("slot__question_id", "test_results",
                                                                            "scores")
    marks: dict[int, str] = {}
    for question_id, test_results, scores in rows:
        if is_solved(test_results=test_results, scores=scores):
            marks[question_id] = SOLVED
        else:
            marks.setdefault(question_id, ATTEMPTED)
    return marks
