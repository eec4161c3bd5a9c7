"""Feedback shapes on the wire (docs/api.md, "Feedback and analytics"): the report, the completed session, the
history, the analytics and the export. REST, the socket's `session_completed` and the pages serialize with these,
and the OpenAPI components are generated from them."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cloudinterview.api.schema import stored_json
from cloudinterview.choices import Difficulty, Language, Mode
from cloudinterview.choices import QuestionType as QuestionTypeChoices
from interviews.models import AnswerStatus, InterviewSession, PlanStatus, SessionStatus
from interviews.selectors import elapsed_minutes
from interviews.serializers import SENTIMENTS, EvaluatorOutput, ScoresOutput, TestResultsOutput

from .measures import LEVELS, TRENDS
from .models import FeedbackStatus

RECOMMENDATION_TYPES = ["start", "practice", "review", "challenge", "habit"]  # feedback.analytics makes them
PRIORITIES = ["high", "medium", "low"]

# --- The report -----------------------------------------------------------------------------------------------


class SkillOutput(serializers.Serializer):
    skill = serializers.CharField()
    score = serializers.FloatField()
    level = serializers.ChoiceField(choices=LEVELS)
    confidence = serializers.FloatField()
    evidence = serializers.ListField(child=serializers.CharField())
    growthTrajectory = serializers.ChoiceField(choices=TRENDS)


class BenchmarkOutput(serializers.Serializer):
    role = serializers.CharField()
    categoryAverage = serializers.FloatField(allow_null=True)
    topQuartile = serializers.FloatField(allow_null=True)
    difference = serializers.FloatField(allow_null=True)
    sampleSize = serializers.IntegerField()


class FeedbackSummaryOutput(serializers.Serializer):
    """The `feedback` object of the complete response; summary and scores are null while it is generating."""

    openapi_description = "A feedback report's summary: its text and scores are null while it is `generating`."

    feedbackId = serializers.CharField(source="public_id")
    status = serializers.ChoiceField(choices=FeedbackStatus.choices)
    summary = serializers.SerializerMethodField()
    overallScore = serializers.FloatField(source="overall_score", allow_null=True)
    strengths = serializers.ListField(child=serializers.CharField())
    improvementAreas = serializers.ListField(source="improvement_areas", child=serializers.CharField())
    recommendations = serializers.ListField(child=serializers.CharField())
    percentileRank = serializers.FloatField(source="percentile_rank", allow_null=True)
    generatedAt = serializers.DateTimeField(source="generated_at", allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_summary(self, feedback: Any) -> str | None:
        return feedback.summary or None


class FeedbackOutput(FeedbackSummaryOutput):
    """`GET /feedback/{id}`: the whole report."""

    openapi_description = "A feedback report: its text and scores are null while it is `generating`."

    sessionId = serializers.CharField(source="session.public_id")
    technicalSkills = stored_json(SkillOutput(allow_null=True), source="technical_skills")
    communication = stored_json(SkillOutput(allow_null=True))
    benchmarkComparison = stored_json(BenchmarkOutput(allow_null=True), source="benchmark")


class CompletedSessionRefOutput(serializers.Serializer):
    sessionId = serializers.CharField()
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    overallScore = serializers.FloatField(allow_null=True)


class FeedbackRefOutput(serializers.Serializer):
    feedbackId = serializers.CharField()
    status = serializers.ChoiceField(choices=FeedbackStatus.choices)


class SessionCompletedEventOutput(serializers.Serializer):
    """The socket's `session_completed` data, from the session's feedback record."""

    session = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    @extend_schema_field(CompletedSessionRefOutput)
    def get_session(self, feedback: Any) -> dict[str, Any]:
        session = feedback.session
        return {"sessionId": session.public_id, "status": session.status, "overallScore": session.overall_score}

    @extend_schema_field(FeedbackRefOutput)
    def get_feedback(self, feedback: Any) -> dict[str, Any]:
        return {"feedbackId": feedback.public_id, "status": feedback.status}


# --- Completing a session -------------------------------------------------------------------------------------


class CompletedSessionOutput(serializers.Serializer):
    """The session in the complete response (expects interviews.selectors.session_with_plan)."""

    sessionId = serializers.CharField(source="public_id")
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    completedAt = serializers.DateTimeField(source="completed_at", allow_null=True)
    duration = serializers.IntegerField(source="actual_duration", allow_null=True)
    overallScore = serializers.FloatField(source="overall_score", allow_null=True)
    questionCount = serializers.SerializerMethodField()
    accuracy = serializers.FloatField(allow_null=True)
    communicationScore = serializers.FloatField(source="communication_score", allow_null=True)
    problemSolvingScore = serializers.FloatField(source="problem_solving_score", allow_null=True)

    def get_questionCount(self, session: InterviewSession) -> int:  # noqa: N802
        return len(session.plan.all())


class TranscriptOutput(serializers.Serializer):
    """Absolute links, built from the request in the serializer's context; the share link is null until the owner
    creates one."""

    openapi_description = "Links to the transcript PDF and to the public report (null until the owner shares it)."

    downloadUrl = serializers.SerializerMethodField()
    shareableLink = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_downloadUrl(self, completion: dict[str, Any]) -> str:  # noqa: N802
        path = reverse("session-transcript-pdf", kwargs={"session_id": completion["session"].public_id})
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_shareableLink(self, completion: dict[str, Any]) -> str | None:  # noqa: N802
        return share_link(self.context["request"], completion["share_token"])


class CompleteOutput(serializers.Serializer):
    """`POST …/complete`, from {"session", "feedback", "share_token"}."""

    session = CompletedSessionOutput()
    feedback = FeedbackSummaryOutput()
    transcript = TranscriptOutput(source="*")


def share_link(request: Any, token: str | None) -> str | None:
    """The public report page's absolute URL (`<origin>/share/<token>`), or None without a token."""
    return request.build_absolute_uri(reverse("share-page", kwargs={"token": token})) if token else None


class ShareOutput(serializers.Serializer):
    shareableLink = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_shareableLink(self, link: Any) -> str:  # noqa: N802
        return share_link(self.context["request"], link.token)


# --- History --------------------------------------------------------------------------------------------------


class HistoryItemOutput(serializers.Serializer):
    """One row of `GET /users/me/sessions` (expects feedback.selectors.session_list_for_user's annotations)."""

    sessionId = serializers.CharField(source="public_id")
    mode = serializers.ChoiceField(choices=Mode.choices)
    jobType = serializers.CharField(source="job_type")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    createdAt = serializers.DateTimeField(source="created_at")
    completedAt = serializers.DateTimeField(source="completed_at", allow_null=True)
    duration = serializers.SerializerMethodField(help_text="Minutes: planned, elapsed while running, actual once "
                                                           "completed")
    overallScore = serializers.FloatField(source="overall_score", allow_null=True)
    questionCount = serializers.SerializerMethodField()
    feedbackAvailable = serializers.SerializerMethodField()

    def get_duration(self, session: InterviewSession) -> int:
        return elapsed_minutes(session)

    def get_questionCount(self, session: InterviewSession) -> int:  # noqa: N802
        return session.question_count or 0

    def get_feedbackAvailable(self, session: InterviewSession) -> bool:  # noqa: N802
        return session.feedback_status == FeedbackStatus.READY


# --- Analytics (feedback.analytics.user_analytics's read model) -------------------------------------------------


class OverviewOutput(serializers.Serializer):
    totalSessions = serializers.IntegerField()
    averageScore = serializers.FloatField()
    completionRate = serializers.FloatField()
    streakDays = serializers.IntegerField()
    totalHours = serializers.FloatField()


class CategoryOutput(serializers.Serializer):
    category = serializers.CharField()
    averageScore = serializers.FloatField()
    sessionCount = serializers.IntegerField()
    trend = serializers.ChoiceField(choices=TRENDS)


class SkillProgressOutput(serializers.Serializer):
    skill = serializers.CharField()
    currentLevel = serializers.ChoiceField(choices=LEVELS)
    progress = serializers.FloatField()
    nextMilestone = serializers.CharField(allow_null=True)


class ActivityOutput(serializers.Serializer):
    date = serializers.DateField()
    sessions = serializers.IntegerField()
    averageScore = serializers.FloatField(allow_null=True)


class RecommendationOutput(serializers.Serializer):
    type = serializers.ChoiceField(choices=RECOMMENDATION_TYPES)
    content = serializers.CharField()
    priority = serializers.ChoiceField(choices=PRIORITIES)


class AnalyticsOutput(serializers.Serializer):
    overview = OverviewOutput()
    performanceByCategory = CategoryOutput(many=True)
    skillProgress = SkillProgressOutput(many=True)
    recentActivity = ActivityOutput(many=True)
    recommendations = RecommendationOutput(many=True)


# --- Export ---------------------------------------------------------------------------------------------------


class CodeSubmissionOutput(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    code = serializers.CharField()
    approachExplanation = serializers.CharField(source="approach")


class ExportAiResponseOutput(serializers.Serializer):
    content = serializers.CharField()
    sentiment = serializers.ChoiceField(choices=SENTIMENTS)
    followUpQuestion = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_followUpQuestion(self, response: Any) -> str | None:  # noqa: N802
        return response.follow_up_question or None


class ExportAnswerOutput(serializers.Serializer):
    answerId = serializers.CharField(source="public_id")
    isFollowUp = serializers.BooleanField(source="is_follow_up")
    prompt = serializers.SerializerMethodField()
    answerText = serializers.CharField(source="text")
    codeSubmission = serializers.SerializerMethodField()
    responseTime = serializers.IntegerField(source="response_time", allow_null=True)
    status = serializers.ChoiceField(choices=AnswerStatus.choices)
    scores = stored_json(ScoresOutput(allow_null=True))
    testResults = stored_json(TestResultsOutput(allow_null=True), source="test_results")
    evaluator = stored_json(EvaluatorOutput(allow_null=True))
    submittedAt = serializers.DateTimeField(source="submitted_at")
    evaluatedAt = serializers.DateTimeField(source="evaluated_at", allow_null=True)
    aiResponse = ExportAiResponseOutput(source="response", allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_prompt(self, answer: Any) -> str | None:
        return answer.prompt or None

    @extend_schema_field(CodeSubmissionOutput(allow_null=True))
    def get_codeSubmission(self, answer: Any) -> dict[str, Any] | None:  # noqa: N802
        return CodeSubmissionOutput(answer).data if answer.code else None


class QuestionScoresOutput(serializers.Serializer):
    completeness = serializers.FloatField()
    correctness = serializers.FloatField()
    communication = serializers.FloatField()


class ExportQuestionOutput(serializers.Serializer):
    position = serializers.IntegerField()
    questionId = serializers.CharField(source="question.public_id")
    type = serializers.ChoiceField(source="question.type", choices=QuestionTypeChoices.choices)
    category = serializers.CharField(source="question.category")
    difficulty = serializers.ChoiceField(source="question.difficulty", choices=Difficulty.choices)
    title = serializers.CharField(source="question.title")
    text = serializers.CharField(source="question.description")
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    presentedAt = serializers.DateTimeField(source="presented_at", allow_null=True)
    answeredAt = serializers.DateTimeField(source="answered_at", allow_null=True)
    followUpQuestion = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    answers = ExportAnswerOutput(many=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_followUpQuestion(self, slot: Any) -> str | None:  # noqa: N802
        return slot.follow_up_text or None

    @extend_schema_field(QuestionScoresOutput(allow_null=True))
    def get_scores(self, slot: Any) -> dict[str, Any] | None:
        return None if slot.score is None else QuestionScoresOutput(slot).data


class ExportSessionOutput(serializers.Serializer):
    """One session of the export with its questions, answers and feedback (expects session_report_related)."""

    sessionId = serializers.CharField(source="public_id")
    mode = serializers.ChoiceField(choices=Mode.choices)
    jobType = serializers.CharField(source="job_type")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    language = serializers.ChoiceField(choices=Language.choices)
    topics = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    createdAt = serializers.DateTimeField(source="created_at")
    startedAt = serializers.DateTimeField(source="started_at", allow_null=True)
    completedAt = serializers.DateTimeField(source="completed_at", allow_null=True)
    duration = serializers.SerializerMethodField()
    overallScore = serializers.FloatField(source="overall_score", allow_null=True)
    accuracy = serializers.FloatField(allow_null=True)
    communicationScore = serializers.FloatField(source="communication_score", allow_null=True)
    problemSolvingScore = serializers.FloatField(source="problem_solving_score", allow_null=True)
    questions = ExportQuestionOutput(source="plan.all", many=True)
    feedback = FeedbackOutput(allow_null=True)
    shareableLink = serializers.SerializerMethodField()

    def get_duration(self, session: InterviewSession) -> int:
        return elapsed_minutes(session)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_shareableLink(self, session: InterviewSession) -> str | None:  # noqa: N802
        link = getattr(session, "share", None)
        return share_link(self.context["request"], link.token if link else None)
