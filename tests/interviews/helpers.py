"""Driving interviews through the REST API in tests."""

from typing import Any

from rest_framework.test import APIClient

from interviews.models import SessionQuestion
from questionbank.models import Question, RubricPoint
from tests.questionbank.factories import FollowUpFactory, QuestionFactory, RubricPointFactory


def start(client: APIClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/api/sessions", {"mode": "technical", **body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def next_question(client: APIClient, session_id: str) -> dict[str, Any]:
    response = client.post(f"/v1/api/sessions/{session_id}/questions/next")
    assert response.status_code == 200, response.content
    return response.json()


def answer(client: APIClient, session_id: str, **body: Any):
    return client.post(f"/v1/api/sessions/{session_id}/answers", body, format="json")


def strong_answer_for(question: Question) -> str:
    """An answer that makes every rubric point in the words a strong candidate would use."""
    points = RubricPoint.objects.filter(question=question).order_by("position")
    sentences = [f"{p.point}. In other words, {', '.join(p.phrases[:3])}." for p in points]
    return "First, let me structure my answer.\n\n" + "\n".join(sentences) + "\n\nTo summarise, these trade-offs " \
        "matter because each one changes how the system behaves under load and failure."


def pinned_theory_question(category: str = "zz pinned", follow_ups: int = 1) -> Question:
    """A published theory question alone in its category, so a session on that topic plans exactly it."""
    question = QuestionFactory(type="theory", category=category, tags=["zz-pinned"], estimated_time=10,
                               title="Explain write-ahead logging", difficulty="medium")
    RubricPointFactory(question=question, position=0, weight=3, point="Changes are logged before pages are written",
                       phrases=["write ahead log", "wal", "log first", "before the data page"])
    RubricPointFactory(question=question, position=1, weight=2, point="Recovery replays the log after a crash",
                       phrases=["replay", "redo", "crash recovery", "checkpoint"])
    RubricPointFactory(question=question, position=2, weight=1, point="Sequential log writes are cheap",
                       phrases=["sequential", "append only", "fsync"])
    for i in range(follow_ups):
        FollowUpFactory(question=question, position=i, text=f"How does a checkpoint bound recovery time? ({i})")
    return question


def pin_plan(session_id: str, question: Question) -> None:
    """Make `question` the session's only planned question (before anything is presented)."""
    plan = SessionQuestion.objects.filter(session__public_id=session_id)
    plan.exclude(position=1).delete()
    plan.update(question=question)
