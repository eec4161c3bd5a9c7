"""The seed's feedback shapes."""

from typing import Any

from cloudinterview.api.times import iso

from .models import Feedback


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
