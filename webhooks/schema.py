"""OpenAPI descriptions of the events we POST to users' endpoints (the document's `webhooks` section) and of
the webhook API's envelopes. webhooks/payloads.py builds the bodies described here."""

from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema
from rest_framework import serializers

from cloudinterview.api.schema import PaginationSchema, envelope_schema
from cloudinterview.choices import Difficulty, Mode
from domain.verdicts import VERDICTS

from .serializers import DeliveryOutput, WebhookOutput

WebhookResponse = envelope_schema("WebhookResponse", webhook=WebhookOutput())
WebhookSecretResponse = envelope_schema(
    "WebhookSecretResponse", webhook=WebhookOutput(),
    secret=serializers.CharField(help_text="whsec_ + base64: shown this once, keep it to verify signatures"))
WebhookListResponse = envelope_schema("WebhookListResponse", webhooks=WebhookOutput(many=True),
                                      pagination=PaginationSchema())
DeliveryResponse = envelope_schema("WebhookDeliveryResponse", delivery=DeliveryOutput())
DeliveryListResponse = envelope_schema("WebhookDeliveryListResponse", deliveries=DeliveryOutput(many=True),
                                       pagination=PaginationSchema())


class WebhookSessionRef(serializers.Serializer):
    sessionId = serializers.CharField()
    userId = serializers.CharField()


class WebhookCompletedSession(WebhookSessionRef):
    mode = serializers.ChoiceField(choices=Mode.choices)
    jobType = serializers.CharField()
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    status = serializers.ChoiceField(choices=["completed"])
    createdAt = serializers.DateTimeField()
    startedAt = serializers.DateTimeField(allow_null=True)
    completedAt = serializers.DateTimeField()
    duration = serializers.IntegerField(help_text="Actual minutes")
    questionCount = serializers.IntegerField()
    overallScore = serializers.FloatField()
    accuracy = serializers.FloatField()
    communicationScore = serializers.FloatField()
    problemSolvingScore = serializers.FloatField()


class WebhookFeedbackRef(serializers.Serializer):
    feedbackId = serializers.CharField()
    status = serializers.ChoiceField(choices=["generating", "ready"])


class SessionCompletedEventData(serializers.Serializer):
    session = WebhookCompletedSession()
    feedback = WebhookFeedbackRef(help_text="The report being written; feedback.ready follows")


class WebhookReadyFeedback(WebhookFeedbackRef):
    overallScore = serializers.FloatField()
    summary = serializers.CharField()
    strengths = serializers.ListField(child=serializers.CharField())
    improvementAreas = serializers.ListField(child=serializers.CharField())
    recommendations = serializers.ListField(child=serializers.CharField())
    percentileRank = serializers.FloatField(allow_null=True)
    generatedAt = serializers.DateTimeField()


class FeedbackReadyEventData(serializers.Serializer):
    session = WebhookSessionRef()
    feedback = WebhookReadyFeedback()


class WebhookTestSummary(serializers.Serializer):
    passed = serializers.IntegerField()
    total = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=VERDICTS)


class WebhookEvaluatedAnswer(serializers.Serializer):
    answerId = serializers.CharField()
    questionId = serializers.CharField()
    isFollowUp = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["evaluated"])
    scores = serializers.DictField(child=serializers.FloatField(),
                                   help_text="completeness, correctness, communication: 0..100")
    testResults = WebhookTestSummary(allow_null=True, help_text="For code that was run; null otherwise")
    submittedAt = serializers.DateTimeField()
    evaluatedAt = serializers.DateTimeField()


class AnswerEvaluatedEventData(serializers.Serializer):
    session = WebhookSessionRef()
    answer = WebhookEvaluatedAnswer()


class PingEventData(serializers.Serializer):
    webhookId = serializers.CharField()
    message = serializers.CharField()


HEADERS = (
    "Sent as a POST with `Content-Type: application/json` and the Standard Webhooks headers: `webhook-id` (the "
    "event's id, the same on every retry: use it to drop repeats), `webhook-timestamp` (Unix seconds of this "
    "attempt) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` "
    "keyed with the base64-decoded part of your `whsec_` secret; two space-separated signatures for 24 hours "
    "after a rotation). Any 2xx acknowledges it; anything else, a redirect or no answer within the timeout is "
    "retried with the same id. 410 Gone disables the webhook. See docs/webhooks.md."
)

ACK = {200: OpenApiResponse(description="Any 2xx status acknowledges the event; the body is ignored")}


def _event(name: str, data: serializers.Serializer, component: str, description: str) -> OpenApiWebhook:
    body = type(component, (serializers.Serializer,), {
        "type": serializers.ChoiceField(choices=[name]),
        "version": serializers.ChoiceField(choices=[1], help_text="The payload's version; a change is a new one"),
        "timestamp": serializers.DateTimeField(help_text="When the event happened"),
        "data": data,
    })
    return OpenApiWebhook(name=name, decorator=extend_schema(
        operation_id=f"webhook_{name.replace('.', '_')}", summary=description,
        description=f"{description}\n\n{HEADERS}", request=body, responses=ACK,
        tags=["webhooks"]))


OPENAPI_WEBHOOKS = [
    _event("session.completed", SessionCompletedEventData(), "SessionCompletedEvent",
           "A session was completed: its scores (the report follows in feedback.ready)."),
    _event("feedback.ready", FeedbackReadyEventData(), "FeedbackReadyEvent", "A session's feedback report is written."),
    _event("answer.evaluated", AnswerEvaluatedEventData(), "AnswerEvaluatedEvent",
           "An answer was evaluated (opt-in: subscribe to it explicitly)."),
    _event("ping", PingEventData(), "PingEvent", "A test event, sent by POST /v1/api/webhooks/{webhookId}/test."),
]
