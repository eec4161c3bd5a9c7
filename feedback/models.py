"""The feedback report of a completed session."""

from django.db import models

from cloudinterview.api.ids import PublicIdField


class FeedbackStatus(models.TextChoices):
    GENERATING = "generating"
    READY = "ready"


class Feedback(models.Model):
    public_id = PublicIdField(prefix="feedback")
    session = models.OneToOneField("interviews.InterviewSession", on_delete=models.CASCADE, related_name="feedback")
    status = models.CharField(max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.GENERATING)
    summary = models.TextField(blank=True)
    overall_score = models.FloatField(null=True, blank=True)
    technical_skills = models.JSONField(null=True, blank=True)
    communication = models.JSONField(null=True, blank=True)
    strengths = models.JSONField(default=list, blank=True)
    improvement_areas = models.JSONField(default=list, blank=True)
    recommendations = models.JSONField(default=list, blank=True)
    percentile_rank = models.FloatField(null=True, blank=True)
    benchmark = models.JSONField(null=True, blank=True)
    evaluator = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.public_id


class ShareLink(models.Model):
    """A session's public read-only report link. The token is random (never derived from the session id);
    rotating replaces it, revoking deletes the row, and deleting the account deletes it with the session."""

    session = models.OneToOneField("interviews.InterviewSession", on_delete=models.CASCADE, related_name="share")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"share of {self.session_id}"
