"""Interview sessions, their fixed plan of questions, the candidate's answers and the interviewer's replies."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cloudinterview.api.ids import PublicIdField
from cloudinterview.choices import Difficulty, Language, Mode
from questionbank.models import Question


class SessionStatus(models.TextChoices):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class PlanStatus(models.TextChoices):
    PENDING = "pending"
    PRESENTED = "presented"
    ANSWERED = "answered"
    SKIPPED = "skipped"


class AnswerStatus(models.TextChoices):
    EVALUATING = "evaluating"
    EVALUATED = "evaluated"
    FAILED = "failed"


class InterviewSession(models.Model):
    public_id = PublicIdField(prefix="session")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_sessions")
    mode = models.CharField(max_length=16, choices=Mode.choices)
    job_type = models.CharField(max_length=150)
    difficulty = models.CharField(max_length=8, choices=Difficulty.choices)
    planned_duration = models.PositiveSmallIntegerField(help_text="Minutes")
    language = models.CharField(max_length=16, choices=Language.choices)
    include_coding = models.BooleanField(default=True)
    topics = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=SessionStatus.choices, default=SessionStatus.PENDING)
    interviewer = models.JSONField(default=dict)
    current_index = models.PositiveSmallIntegerField(default=0, help_text="1-based; 0 before the first question")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    actual_duration = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes, once completed")
    overall_score = models.FloatField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    communication_score = models.FloatField(null=True, blank=True)
    problem_solving_score = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["status", "job_type", "overall_score"]),
            models.Index(fields=["status", "overall_score"]),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.mode}, {self.status})"


class SessionQuestion(models.Model):
    """One slot of a session's plan. The plan is fixed at creation; `position` is 1-based."""

    public_id = PublicIdField(prefix="challenge")
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="plan")
    question = models.ForeignKey("questionbank.Question", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.PENDING)
    presented_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    response_time = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds")
    follow_up_text = models.TextField(blank=True, help_text="The follow-up asked, if any (at most one)")
    follow_up_answered = models.BooleanField(default=False)
    follow_up_asked_at = models.DateTimeField(null=True, blank=True, help_text="When the follow-up was asked: its "
                                              "answering time starts then (docs/api.md, \"Time limits\")")
    # The question's final scores (docs/api.md, "Scores"), stored when the session's scores are, so that
    # analytics aggregates rows instead of recomputing every answer; null until then.
    completeness = models.FloatField(null=True, blank=True)
    correctness = models.FloatField(null=True, blank=True)
    communication = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="Mean of the three dimensions")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="one_question_per_position"),
            models.UniqueConstraint(fields=["session", "question"], name="question_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.position}"


class Answer(models.Model):
    public_id = PublicIdField(prefix="answer")
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="answers")
    slot = models.ForeignKey(SessionQuestion, on_delete=models.CASCADE, related_name="answers")
    is_follow_up = models.BooleanField(default=False)
    prompt = models.TextField(blank=True, help_text="The follow-up question answered, for follow-up answers")
    text = models.TextField(blank=True)
    code = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    approach = models.TextField(blank=True)
    response_time = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds")
    late = models.BooleanField(default=False, help_text="Submitted after its prompt's time limit (docs/api.md, "
                                                        "\"Time limits\")")
    request_id = models.CharField(max_length=128, blank=True, help_text="The socket message's requestId: a "
                                                                        "resent submit_answer replays this answer")
    status = models.CharField(max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.EVALUATING)
    scores = models.JSONField(null=True, blank=True)
    test_results = models.JSONField(null=True, blank=True)
    evaluator = models.JSONField(null=True, blank=True)
    covered = models.JSONField(default=list, blank=True)
    missed = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            # One live answer per prompt: a failed one (code that could not run) may be answered again.
            models.UniqueConstraint(fields=["slot", "is_follow_up"], condition=~Q(status="failed"),
                                    name="one_live_answer_per_prompt"),
            models.UniqueConstraint(fields=["session", "request_id"], condition=~Q(request_id=""),
                                    name="one_answer_per_request_id"),
        ]
        # The stalled-evaluation sweep's scan (services/evaluation.py): only answers still being evaluated.
        indexes = [models.Index(fields=["submitted_at"], condition=Q(status="evaluating"), name="answer_evaluating")]

    def __str__(self) -> str:
        return self.public_id


class InterviewerResponse(models.Model):
    public_id = PublicIdField(prefix="response")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="response")
    content = models.TextField()
    sentiment = models.CharField(max_length=10)
    follow_up_question = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.public_id


class QuestionInsight(Question):
    """A question seen through its answers (interviews/insights.py): what curators learn from how candidates
    did. A proxy, so its own permission lets curators read it without the audit's personal data."""

    class Meta:
        proxy = True
        verbose_name = "what a question teaches"
        verbose_name_plural = "what questions teach"
