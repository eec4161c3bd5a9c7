"""OpenAPI descriptions of the session shapes built in presenters.py (documentation only).

tests/interviews/test_schemas.py validates real responses against these, so the two cannot drift.
"""

from rest_framework import serializers

from cloudinterview.api.schema import envelope_schema
from feedback.models import FeedbackStatus
from questionbank.serializers import ExampleOutput

from .models import AnswerStatus, SessionStatus

NULLABLE_INT = {"allow_null": True, "required": False}


class InterviewerSchema(serializers.Serializer):
    name = serializers.CharField()
    personality = serializers.CharField()
    experience = serializers.CharField()


class NextActionSchema(serializers.Serializer):
    type = serializers.ChoiceField(choices=["intro", "next_question", "follow_up", "await_evaluation", "complete"])
    message = serializers.CharField(required=False)
    estimatedTime = serializers.IntegerField(required=False)
    maxResponseTime = serializers.IntegerField(required=False)


class SessionCoreSchema(serializers.Serializer):
    """What every session shape carries (presenters.session_core)."""

    sessionId = serializers.CharField()
    mode = serializers.CharField()
    jobType = serializers.CharField()
    difficulty = serializers.CharField()
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    language = serializers.CharField()
    includeCoding = serializers.BooleanField()
    topics = serializers.ListField(child=serializers.CharField())
    createdAt = serializers.DateTimeField()
    estimatedDuration = serializers.IntegerField()
    questionCount = serializers.IntegerField()
    aiInterviewer = InterviewerSchema()


class SessionCreatedSchema(SessionCoreSchema):
    pass


class PlanItemSchema(serializers.Serializer):
    questionId = serializers.CharField()
    type = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=["presented", "answered", "skipped"])
    presentedAt = serializers.DateTimeField(allow_null=True)
    answeredAt = serializers.DateTimeField(allow_null=True)
    responseTime = serializers.IntegerField(allow_null=True)


class CodingChallengeSchema(serializers.Serializer):
    challengeId = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    difficulty = serializers.CharField()
    status = serializers.CharField()
    startedAt = serializers.DateTimeField(allow_null=True)
    timeSpent = serializers.IntegerField()


class SessionDetailSchema(SessionCoreSchema):
    startedAt = serializers.DateTimeField(allow_null=True)
    completedAt = serializers.DateTimeField(allow_null=True)
    currentQuestionIndex = serializers.IntegerField()
    duration = serializers.IntegerField()
    overallScore = serializers.FloatField(allow_null=True)
    questions = PlanItemSchema(many=True)
    codingChallenge = CodingChallengeSchema(allow_null=True)


class PresentedQuestionSchema(serializers.Serializer):
    questionId = serializers.CharField()
    type = serializers.CharField()
    category = serializers.CharField()
    difficulty = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    estimatedTime = serializers.IntegerField()
    hints = serializers.ListField(child=serializers.CharField())
    followUpQuestions = serializers.ListField(child=serializers.CharField())
    functionName = serializers.DictField(child=serializers.CharField(), allow_null=True)
    starterCode = serializers.DictField(child=serializers.CharField(), allow_null=True)
    examples = ExampleOutput(many=True)


class ProgressSchema(serializers.Serializer):
    currentQuestionIndex = serializers.IntegerField()
    remainingQuestions = serializers.IntegerField()
    estimatedTimeRemaining = serializers.IntegerField()


class ScoresSchema(serializers.Serializer):
    completeness = serializers.IntegerField(min_value=0, max_value=100)
    correctness = serializers.IntegerField(min_value=0, max_value=100)
    communication = serializers.IntegerField(min_value=0, max_value=100)


class TestCaseResultSchema(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["passed", "failed", "error", "timeout"])
    timeMs = serializers.FloatField(allow_null=True, help_text="milliseconds, measured inside the sandbox")
    hidden = serializers.BooleanField()
    input = serializers.JSONField(required=False, help_text="visible cases only")
    expected = serializers.JSONField(required=False, help_text="visible cases only")
    actual = serializers.JSONField(required=False, help_text="visible cases only")
    error = serializers.CharField(required=False)


class TestResultsSchema(serializers.Serializer):
    passed = serializers.IntegerField()
    total = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=[
        "accepted", "wrong_answer", "time_limit_exceeded", "memory_limit_exceeded", "output_limit_exceeded",
        "runtime_error", "compile_error", "internal_error"])
    cases = TestCaseResultSchema(many=True)
    message = serializers.CharField(required=False)


class EvaluatorSchema(serializers.Serializer):
    provider = serializers.ChoiceField(choices=["offline", "anthropic"])
    model = serializers.CharField()
    rubricVersion = serializers.IntegerField()
    promptHash = serializers.CharField()
    fallback = serializers.BooleanField()


class AnswerSchema(serializers.Serializer):
    answerId = serializers.CharField()
    questionId = serializers.CharField()
    status = serializers.ChoiceField(choices=AnswerStatus.choices)
    submittedAt = serializers.DateTimeField()
    responseTime = serializers.IntegerField(allow_null=True, required=False)
    isFollowUp = serializers.BooleanField(required=False)
    scores = ScoresSchema(allow_null=True, required=False)
    testResults = TestResultsSchema(allow_null=True, required=False)
    evaluator = EvaluatorSchema(allow_null=True, required=False)
    evaluatedAt = serializers.DateTimeField(allow_null=True, required=False)


class AiResponseSchema(serializers.Serializer):
    responseId = serializers.CharField()
    content = serializers.CharField()
    sentiment = serializers.ChoiceField(choices=["positive", "neutral", "negative"])
    followUp = serializers.BooleanField()
    followUpQuestion = serializers.CharField(allow_null=True)


class CompletedSessionSchema(serializers.Serializer):
    sessionId = serializers.CharField()
    status = serializers.CharField()
    completedAt = serializers.DateTimeField(allow_null=True)
    duration = serializers.IntegerField(allow_null=True)
    overallScore = serializers.FloatField(allow_null=True)
    questionCount = serializers.IntegerField()
    accuracy = serializers.FloatField(allow_null=True)
    communicationScore = serializers.FloatField(allow_null=True)
    problemSolvingScore = serializers.FloatField(allow_null=True)


class FeedbackSummarySchema(serializers.Serializer):
    feedbackId = serializers.CharField()
    status = serializers.ChoiceField(choices=FeedbackStatus.choices)
    summary = serializers.CharField(allow_null=True)
    overallScore = serializers.FloatField(allow_null=True)
    strengths = serializers.ListField(child=serializers.CharField())
    improvementAreas = serializers.ListField(child=serializers.CharField())
    recommendations = serializers.ListField(child=serializers.CharField())
    percentileRank = serializers.FloatField(allow_null=True)
    generatedAt = serializers.DateTimeField(allow_null=True)


class TranscriptSchema(serializers.Serializer):
    downloadUrl = serializers.URLField()
    shareableLink = serializers.URLField(allow_null=True)


SessionCreatedResponse = envelope_schema("SessionCreatedResponse", session=SessionCreatedSchema(),
                                         nextAction=NextActionSchema())
SessionDetailResponse = envelope_schema("SessionDetailResponse", session=SessionDetailSchema())
NextQuestionResponse = envelope_schema("NextQuestionResponse", question=PresentedQuestionSchema(allow_null=True),
                                       session=ProgressSchema(), nextAction=NextActionSchema(required=False))
AnswerResponse = envelope_schema("AnswerResponse", answer=AnswerSchema(),
                                 aiResponse=AiResponseSchema(allow_null=True, required=False),
                                 nextAction=NextActionSchema())
RunResponse = envelope_schema("RunResponse", testResults=TestResultsSchema())
CompleteResponse = envelope_schema("CompleteResponse", session=CompletedSessionSchema(),
                                   feedback=FeedbackSummarySchema(), transcript=TranscriptSchema())
