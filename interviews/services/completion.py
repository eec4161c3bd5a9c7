"""Scores of a finished session and the material its feedback is written from."""

from django.db.models import Prefetch

from accounts.models import User

from ..ai.base import AnsweredQuestion, SessionData
from ..models import Answer, AnswerStatus, InterviewSession, PlanStatus, SessionQuestion
from .interviewer_data import EVALUATION_PREFETCH, answer_data, question_data
from .scoring import DIMENSIONS, SessionScores, session_scores


def session_plan(session: InterviewSession) -> list[SessionQuestion]:
    """The plan with questions, rubrics and answers in a fixed number of queries."""
    return list(
        SessionQuestion.objects.filter(session=session)
        .select_related("question")
        .prefetch_related(*(f"question__{name}" for name in EVALUATION_PREFETCH),
                          Prefetch("answers", queryset=Answer.objects.order_by("submitted_at", "id")))
    )


def session_scores_store(*, session: InterviewSession) -> SessionScores:
    """Compute and save the session's scores from its answers (docs/api.md, "Scores"), and each
    planned question's final scores on its plan row, so analytics is an aggregate over rows.

    Idempotent: it recomputes from the answers each time (completion, then again once late evaluations
    have landed). A fixed number of reads (the plan, its questions' parts, the answers) and two writes whatever
    the plan's length.
    """
    plan = session_plan(session)
    scores = session_scores(plan)
    for slot in plan:
        per_question = scores.per_question[slot.position]
        slot.completeness, slot.correctness, slot.communication = (per_question[d] for d in DIMENSIONS)
        slot.score = sum(per_question.values()) / len(DIMENSIONS)
    SessionQuestion.objects.bulk_update(plan, [*DIMENSIONS, "score"])  # the plan row's fields are the dimensions
    session.overall_score = scores.overall
    session.accuracy = scores.accuracy
    session.communication_score = scores.communication
    session.problem_solving_score = scores.problem_solving
    InterviewSession.objects.filter(pk=session.pk).update(
        overall_score=scores.overall, accuracy=scores.accuracy, communication_score=scores.communication,
        problem_solving_score=scores.problem_solving)
    return scores


def evaluations_pending(*, session: InterviewSession) -> int:
    return Answer.objects.filter(session=session, status=AnswerStatus.EVALUATING).count()


def session_data(*, session: InterviewSession, user: User) -> SessionData:
    """Everything the interviewer needs to write the session's feedback, as plain data."""
    plan = session_plan(session)
    scores = session_scores(plan)
    return SessionData(
        mode=session.mode, job_type=session.job_type, difficulty=session.difficulty,
        feedback_style=user.feedback_style,
        questions=tuple(
            AnsweredQuestion(
                question=question_data(slot.question),
                answers=tuple(answer_data(a) for a in slot.answers.all() if a.status == AnswerStatus.EVALUATED),
                scores=scores.per_question[slot.position],
                skipped=slot.status in (PlanStatus.SKIPPED, PlanStatus.PENDING),
            )
            for slot in plan
        ),
        overall_score=scores.overall, communication_score=scores.communication,
        problem_solving_score=scores.problem_solving,
    )
