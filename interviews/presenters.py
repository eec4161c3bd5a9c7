"""The seed's JSON shapes for sessions, questions and answers, shared by REST and the socket so the
two doors cannot drift apart."""

from typing import Any

from django.db.models import Sum
from django.utils import timezone

from cloudinterview.api.times import iso
from questionbank.models import Question
from questionbank.selectors import question_related
from questionbank.serializers import coding_fields

from .models import Answer, AnswerStatus, InterviewSession, PlanStatus, SessionQuestion, SessionStatus

FOLLOW_UP_MAX_RESPONSE_SECONDS = 120


def question_payload(question: Question) -> dict[str, Any]:
    """A presented question (expects question_related's prefetches)."""
    return {
        "questionId": question.public_id,
        "type": question.type,
        "category": question.category,
        "difficulty": question.difficulty,
        "title": question.title,
        "text": question.description,
        "estimatedTime": question.estimated_time,
        "hints": [h.text for h in question.hints.all()],
        "followUpQuestions": [f.text for f in question.follow_ups.all()],
        **coding_fields(question),
    }


def presented_question(slot: SessionQuestion) -> dict[str, Any]:
    return question_payload(question_related(Question.objects.filter(pk=slot.question_id)).get())


def _progress(session: InterviewSession) -> dict[str, Any]:
    plan = SessionQuestion.objects.filter(session=session)
    count = plan.count()
    remaining_minutes = plan.filter(position__gte=max(1, session.current_index)).aggregate(
        m=Sum("question__estimated_time"))["m"] or 0
    return {"currentQuestionIndex": session.current_index, "questionCount": count,
            "remainingQuestions": max(0, count - session.current_index), "estimatedTimeRemaining": remaining_minutes}


def question_presented_event(session: InterviewSession, slot: SessionQuestion) -> dict[str, Any]:
    progress = _progress(session)
    return {"question": presented_question(slot),
            "session": {"currentQuestionIndex": progress["currentQuestionIndex"],
                        "totalQuestions": progress["questionCount"]}}


def questions_exhausted_event(session: InterviewSession) -> dict[str, Any]:
    """`question_presented` when the plan is used up: question null and nextAction complete, as REST's next."""
    body = next_body(session, None)
    progress = body["session"]
    return {"question": None,
            "session": {"currentQuestionIndex": progress["currentQuestionIndex"],
                        "totalQuestions": progress["currentQuestionIndex"] + progress["remainingQuestions"]},
            "nextAction": body["nextAction"]}


def next_body(session: InterviewSession, slot: SessionQuestion | None) -> dict[str, Any]:
    """`questions/next`: the question and progress, or question null with nextAction complete."""
    progress = _progress(session)
    body: dict[str, Any] = {
        "question": presented_question(slot) if slot else None,
        "session": {k: progress[k] for k in ("currentQuestionIndex", "remainingQuestions",
                                             "estimatedTimeRemaining")},
    }
    if slot is None:
        body["nextAction"] = {"type": "complete", "message": "That was the last question. Complete the session "
                                                             "to get your feedback report."}
    return body


def next_action(answer: Answer) -> dict[str, Any]:
    """What the candidate should do after this answer."""
    if answer.status == AnswerStatus.EVALUATING:
        return {"type": "await_evaluation"}
    response = getattr(answer, "response", None)
    if answer.status == AnswerStatus.FAILED:
        return {"type": "next_question", "message": "Your code could not be run: submit your answer again, or "
                                                    "move on to the next question."}
    if response is not None and response.follow_up_question:
        return {"type": "follow_up", "message": response.follow_up_question,
                "maxResponseTime": FOLLOW_UP_MAX_RESPONSE_SECONDS}
    remaining = SessionQuestion.objects.filter(session_id=answer.session_id, position__gt=answer.slot.position)
    if remaining.exists():
        return {"type": "next_question", "message": "Ready for the next question?"}
    return {"type": "complete", "message": "That was the last question. Complete the session to get your "
                                           "feedback report."}


def answer_body(answer: Answer) -> dict[str, Any]:
    """The body of a 201 answer (and of GET answers/{id}); the 202 form while it is being evaluated."""
    base = {"answerId": answer.public_id, "questionId": answer.slot.question.public_id,
            "status": answer.status, "submittedAt": iso(answer.submitted_at)}
    if answer.status == AnswerStatus.EVALUATING:
        return {"answer": base, "nextAction": {"type": "await_evaluation"}}
    response = getattr(answer, "response", None)
    body_answer = {
        **base, "responseTime": answer.response_time, "isFollowUp": answer.is_follow_up,
        "scores": answer.scores, "testResults": answer.test_results, "evaluator": answer.evaluator,
        "evaluatedAt": iso(answer.evaluated_at),
    }
    ai = None
    if response is not None:
        ai = {"responseId": response.public_id, "content": response.content, "sentiment": response.sentiment,
              "followUp": bool(response.follow_up_question),
              "followUpQuestion": response.follow_up_question or None}
    return {"answer": body_answer, "aiResponse": ai, "nextAction": next_action(answer)}


def answer_evaluated_event(answer: Answer) -> dict[str, Any]:
    """`answer_evaluated` data (and session_state's lastEvaluation): the 201 answer body without `success`."""
    body = answer_body(answer)
    return {k: body[k] for k in ("answer", "aiResponse", "nextAction")}


def interviewer_payload(session: InterviewSession) -> dict[str, Any]:
    return dict(session.interviewer)


def elapsed_minutes(session: InterviewSession) -> int:
    """CONTRACT section 12: planned minutes before starting, elapsed while running, actual once completed."""
    if session.status == SessionStatus.COMPLETED and session.actual_duration is not None:
        return session.actual_duration
    if session.started_at is None:
        return session.planned_duration
    end = session.last_activity_at if session.status == SessionStatus.ABANDONED else timezone.now()
    return int((end - session.started_at).total_seconds() // 60)


def _coding_challenge(slot: SessionQuestion | None) -> dict[str, Any] | None:
    if slot is None:
        return None
    status = {"presented": "in_progress", "answered": "submitted", "skipped": "skipped"}.get(slot.status, slot.status)
    end = slot.answered_at or timezone.now()
    return {"challengeId": slot.public_id, "title": slot.question.title, "description": slot.question.description,
            "difficulty": slot.question.difficulty, "status": status, "startedAt": iso(slot.presented_at),
            "timeSpent": int((end - slot.presented_at).total_seconds()) if slot.presented_at else 0}


def session_core(session: InterviewSession, question_count: int) -> dict[str, Any]:
    """The fields every session shape carries (creation, detail, session_state)."""
    return {
        "sessionId": session.public_id, "mode": session.mode, "jobType": session.job_type,
        "difficulty": session.difficulty, "status": session.status, "language": session.language,
        "includeCoding": session.include_coding, "topics": session.topics, "createdAt": iso(session.created_at),
        "estimatedDuration": session.planned_duration, "questionCount": question_count,
        "aiInterviewer": interviewer_payload(session),
    }


def session_detail(session: InterviewSession) -> dict[str, Any]:
    """GET /sessions/{id}: only questions presented so far, never the upcoming ones."""
    plan = list(SessionQuestion.objects.filter(session=session).select_related("question").order_by("position"))
    shown = [s for s in plan if s.status != PlanStatus.PENDING]
    coding = [s for s in shown if s.question.type == "coding"]
    return {
        **session_core(session, len(plan)),
        "startedAt": iso(session.started_at), "completedAt": iso(session.completed_at),
        "currentQuestionIndex": session.current_index, "duration": elapsed_minutes(session),
        "overallScore": session.overall_score,
        "questions": [
            {"questionId": s.question.public_id, "type": s.question.type, "title": s.question.title,
             "text": s.question.description, "status": s.status, "presentedAt": iso(s.presented_at),
             "answeredAt": iso(s.answered_at), "responseTime": s.response_time}
            for s in shown
        ],
        "codingChallenge": _coding_challenge(coding[-1] if coding else None),
    }



def session_state(session: InterviewSession, follow_up: str | None) -> dict[str, Any]:
    """The socket's snapshot on connect: enough for a reconnecting client to carry on.

    `currentQuestion` is the question being worked on while the session runs (answered or not: the
    detail's `questions` says which); `pendingFollowUp` is the follow-up awaiting an answer, if any;
    `lastEvaluation` is the newest finished evaluation.
    """
    current = None
    if session.status == SessionStatus.IN_PROGRESS and session.current_index:
        current = SessionQuestion.objects.filter(session=session, position=session.current_index).first()
    last = (Answer.objects.select_related("session", "slot__question", "response")
            .filter(session=session).exclude(status=AnswerStatus.EVALUATING).order_by("-submitted_at", "-pk").first())
    return {
        "session": session_detail(session),
        "currentQuestion": presented_question(current) if current else None,
        "pendingFollowUp": follow_up,
        "lastEvaluation": answer_evaluated_event(last) if last else None,
    }
