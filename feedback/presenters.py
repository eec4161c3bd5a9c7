"""The seed's feedback, history and export shapes."""

from typing import Any

from django.http import HttpRequest

from cloudinterview.api.times import iso
from interviews.models import Answer, InterviewSession, SessionQuestion
from interviews.presenters import elapsed_minutes

from .models import Feedback, FeedbackStatus, ShareLink


def feedback_summary(feedback: Feedback) -> dict[str, Any]:
    """The `feedback` object of the complete response."""
    return {
        "feedbackId": feedback.public_id, "status": feedback.status, "summary": feedback.summary or None,
        "overallScore": feedback.overall_score, "strengths": feedback.strengths,
        "improvementAreas": feedback.improvement_areas, "recommendations": feedback.recommendations,
        "percentileRank": feedback.percentile_rank, "generatedAt": iso(feedback.generated_at),
    }


def feedback_detail(feedback: Feedback) -> dict[str, Any]:
    """GET /feedback/{id}: the full report."""
    return {
        "feedbackId": feedback.public_id, "sessionId": feedback.session.public_id, "status": feedback.status,
        "overallScore": feedback.overall_score, "summary": feedback.summary or None,
        "technicalSkills": feedback.technical_skills, "communication": feedback.communication,
        "strengths": feedback.strengths, "improvementAreas": feedback.improvement_areas,
        "recommendations": feedback.recommendations, "percentileRank": feedback.percentile_rank,
        "benchmarkComparison": feedback.benchmark, "generatedAt": iso(feedback.generated_at),
    }


def history_item(session: InterviewSession) -> dict[str, Any]:
    """One row of GET /users/me/sessions (expects session_list_for_user's annotations)."""
    return {
        "sessionId": session.public_id, "mode": session.mode, "jobType": session.job_type,
        "difficulty": session.difficulty, "status": session.status, "createdAt": iso(session.created_at),
        "completedAt": iso(session.completed_at), "duration": elapsed_minutes(session),
        "overallScore": session.overall_score, "questionCount": session.question_count or 0,
        "feedbackAvailable": session.feedback_status == FeedbackStatus.READY,
    }


def _answer_export(answer: Answer) -> dict[str, Any]:
    response = getattr(answer, "response", None)
    return {
        "answerId": answer.public_id, "isFollowUp": answer.is_follow_up, "prompt": answer.prompt or None,
        "answerText": answer.text, "codeSubmission": {"language": answer.language, "code": answer.code,
                                                      "approachExplanation": answer.approach} if answer.code else None,
        "responseTime": answer.response_time, "status": answer.status, "scores": answer.scores,
        "testResults": answer.test_results, "evaluator": answer.evaluator, "submittedAt": iso(answer.submitted_at),
        "evaluatedAt": iso(answer.evaluated_at),
        "aiResponse": {"content": response.content, "sentiment": response.sentiment,
                       "followUpQuestion": response.follow_up_question or None} if response else None,
    }


def _question_export(slot: SessionQuestion) -> dict[str, Any]:
    question = slot.question
    return {
        "position": slot.position, "questionId": question.public_id, "type": question.type,
        "category": question.category, "difficulty": question.difficulty, "title": question.title,
        "text": question.description, "status": slot.status, "presentedAt": iso(slot.presented_at),
        "answeredAt": iso(slot.answered_at), "followUpQuestion": slot.follow_up_text or None,
        "scores": None if slot.score is None else {"completeness": slot.completeness,
                                                   "correctness": slot.correctness,
                                                   "communication": slot.communication},
        "answers": [_answer_export(a) for a in slot.answers.all()],
    }


def session_export(session: InterviewSession, *, origin: str) -> dict[str, Any]:
    """One session of the export: its fields, every question with its answers, and its feedback
    (expects feedback.selectors.session_report_related's joins)."""
    feedback = getattr(session, "feedback", None)
    share = getattr(session, "share", None)
    return {
        "sessionId": session.public_id, "mode": session.mode, "jobType": session.job_type,
        "difficulty": session.difficulty, "language": session.language, "topics": session.topics,
        "status": session.status, "createdAt": iso(session.created_at), "startedAt": iso(session.started_at),
        "completedAt": iso(session.completed_at), "duration": elapsed_minutes(session),
        "overallScore": session.overall_score, "accuracy": session.accuracy,
        "communicationScore": session.communication_score, "problemSolvingScore": session.problem_solving_score,
        "questions": [_question_export(slot) for slot in session.plan.all()],
        "feedback": feedback_detail(feedback) if feedback else None,
        "shareableLink": f"{origin}/share/{share.token}" if share else None,
    }


def share_url(request: HttpRequest, session: InterviewSession) -> str | None:
    """The session's current public link (`<origin>/share/<token>`), or None until the owner creates one."""
    link = ShareLink.objects.filter(session=session).values_list("token", flat=True).first()
    return request.build_absolute_uri(f"/share/{link}") if link else None
