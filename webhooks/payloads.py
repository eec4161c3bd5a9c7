"""The versioned bodies of webhook events (docs/webhooks.md lists them, webhooks/schema.py documents them in
OpenAPI). A body is built once, when the event happens, and stored: every attempt sends the same bytes.

Bodies are thin enough to stay far below the specification's 20 kB advice: scores and ids, never the
candidate's answers or the interviewer's prose beyond the report's summary lists.
"""

import json
from datetime import datetime
from typing import Any

from django.utils import timezone

from cloudinterview.api.times import iso
from cloudinterview.domain_events import DomainEvent
from feedback.models import Feedback
from interviews.models import Answer, InterviewSession

from .models import EventType, WebhookEndpoint

VERSION = 1


def body(*, event_type: str, occurred_at: datetime, data: dict[str, Any]) -> str:
    """The JSON sent: `{"type", "version", "timestamp", "data"}`, compact, fixed key order."""
    return json.dumps({"type": event_type, "version": VERSION, "timestamp": iso(occurred_at), "data": data},
                      separators=(",", ":"), ensure_ascii=False)


def _session_completed(session_pk: int, user_public_id: str) -> tuple[datetime, dict[str, Any]]:
    session = InterviewSession.objects.select_related("feedback").get(pk=session_pk)
    feedback = getattr(session, "feedback", None)
    return session.completed_at or timezone.now(), {
        "session": {
            "sessionId": session.public_id, "userId": user_public_id, "mode": session.mode,
            "jobType": session.job_type, "difficulty": session.difficulty, "status": session.status,
            "createdAt": iso(session.created_at), "startedAt": iso(session.started_at),
            "completedAt": iso(session.completed_at), "duration": session.actual_duration,
            "questionCount": session.plan.count(), "overallScore": session.overall_score,
            "accuracy": session.accuracy, "communicationScore": session.communication_score,
            "problemSolvingScore": session.problem_solving_score,
        },
        "feedback": {"feedbackId": feedback.public_id, "status": feedback.status} if feedback else None,
    }


def _feedback_ready(feedback_pk: int, user_public_id: str) -> tuple[datetime, dict[str, Any]]:
    feedback = Feedback.objects.select_related("session").get(pk=feedback_pk)
    return feedback.generated_at or timezone.now(), {
        "session": {"sessionId": feedback.session.public_id, "userId": user_public_id},
        "feedback": {
            "feedbackId": feedback.public_id, "status": feedback.status, "overallScore": feedback.overall_score,
            "summary": feedback.summary, "strengths": feedback.strengths,
            "improvementAreas": feedback.improvement_areas, "recommendations": feedback.recommendations,
            "percentileRank": feedback.percentile_rank, "generatedAt": iso(feedback.generated_at),
        },
    }


def _answer_evaluated(answer_pk: int, user_public_id: str) -> tuple[datetime, dict[str, Any]]:
    answer = Answer.objects.select_related("session", "slot__question").get(pk=answer_pk)
    results = answer.test_results
    return answer.evaluated_at or timezone.now(), {
        "session": {"sessionId": answer.session.public_id, "userId": user_public_id},
        "answer": {
            "answerId": answer.public_id, "questionId": answer.slot.question.public_id,
            "isFollowUp": answer.is_follow_up, "status": answer.status, "scores": answer.scores,
            "testResults": ({"passed": results.get("passed"), "total": results.get("total"),
                             "verdict": results.get("verdict")} if results else None),
            "submittedAt": iso(answer.submitted_at), "evaluatedAt": iso(answer.evaluated_at),
        },
    }


BUILDERS = {
    EventType.SESSION_COMPLETED: _session_completed,
    EventType.FEEDBACK_READY: _feedback_ready,
    EventType.ANSWER_EVALUATED: _answer_evaluated,
}


def domain_event_body(event: DomainEvent, *, user_public_id: str) -> tuple[datetime, str]:
    """When the event happened and its body, read from the rows of the emitting transaction."""
    occurred_at, data = BUILDERS[EventType(event.type)](event.subject_id, user_public_id)
    return occurred_at, body(event_type=event.type, occurred_at=occurred_at, data=data)


def ping_body(*, endpoint: WebhookEndpoint, at: datetime) -> str:
    return body(event_type=EventType.PING, occurred_at=at,
                data={"webhookId": endpoint.public_id, "message": "A test event from CloudInterview."})
