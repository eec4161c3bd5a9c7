"""Finished interview sessions written straight to the database, so page tests can build long histories
fast; the flow itself is exercised through the services in the E2E test."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from feedback.models import Feedback, FeedbackStatus
from interviews.models import Answer, AnswerStatus, InterviewerResponse, InterviewSession, SessionQuestion
from questionbank.models import Question, QuestionStatus


def _questions(count: int) -> list[Question]:
    questions = list(Question.objects.filter(status=QuestionStatus.PUBLISHED, type="theory").order_by("id")[:count])
    assert len(questions) == count, "the bundled bank is loaded by tests/conftest.py"
    return questions


def finished_session(user: User, *, score: float = 72.0, days_ago: int = 0, questions: int = 2,
                     status: str = "completed") -> InterviewSession:
    """A completed session with scored answers, the interviewer's replies and a ready report."""
    completed_at = timezone.now() - timedelta(days=days_ago)
    session = InterviewSession.objects.create(
        user=user, mode="technical", job_type="Backend Engineer", difficulty="medium", planned_duration=30,
        language="python", status=status, current_index=questions, interviewer={"name": "Alex"},
        started_at=completed_at - timedelta(minutes=25), completed_at=completed_at if status == "completed" else None,
        actual_duration=25, overall_score=score, accuracy=50.0, communication_score=score - 4,
        problem_solving_score=score + 3,
    )
    for position, question in enumerate(_questions(questions), start=1):
        slot = SessionQuestion.objects.create(
            session=session, question=question, position=position, status="answered", presented_at=completed_at,
            answered_at=completed_at, completeness=score, correctness=score + 5, communication=score - 5, score=score)
        answer = Answer.objects.create(
            session=session, slot=slot, text=f"My answer to {question.title} <script>alert(1)</script>",
            status=AnswerStatus.EVALUATED, evaluated_at=completed_at,
            scores={"completeness": score, "correctness": score + 5, "communication": score - 5})
        InterviewerResponse.objects.create(answer=answer, content=f"Good structure on {question.title}.",
                                           sentiment="positive")
    if status == "completed":
        Feedback.objects.create(
            session=session, status=FeedbackStatus.READY, summary="Solid fundamentals, clear explanations.",
            overall_score=score, strengths=["Clear structure"], improvement_areas=["Quantify trade-offs"],
            recommendations=["Practise databases questions"], percentile_rank=64.0, generated_at=completed_at,
            benchmark={"role": "All roles", "categoryAverage": 68.0, "topQuartile": 80.0, "difference": 4.0,
                       "sampleSize": 12},
            technical_skills={"skill": "Algorithm Design", "score": score + 3, "level": "intermediate",
                              "confidence": 0.9, "evidence": ["Named the right data structure"],
                              "growthTrajectory": "stable"},
            communication={"skill": "Technical Communication", "score": score - 4, "level": "intermediate",
                           "confidence": 0.9, "evidence": ["Explained step by step"], "growthTrajectory": "stable"},
        )
    return session
