"""Webhook shapes on the wire: strict camelCase inputs, and the one output shape of endpoints and deliveries
(shared by the API and the settings page)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cloudinterview.api.pagination import PageQuery
from cloudinterview.api.responses import StrictSerializer

from .addresses import MAX_URL_LENGTH
from .models import SUBSCRIBABLE, DeliveryStatus, EventType, WebhookDelivery

SUBSCRIBABLE_EVENTS = [(e.value, e.label) for e in SUBSCRIBABLE]
ATTEMPT_OUTCOMES = ["succeeded", "failed"]


class EventListField(serializers.ListField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(child=serializers.ChoiceField(choices=SUBSCRIBABLE_EVENTS),
                         min_length=1, max_length=len(SUBSCRIBABLE), **kwargs)


class WebhookCreateInput(StrictSerializer):
    url = serializers.CharField(max_length=MAX_URL_LENGTH)
    events = EventListField(required=False,
                            help_text="Default: session.completed and feedback.ready; answer.evaluated is opt-in")
    description = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class WebhookUpdateInput(StrictSerializer):
    url = serializers.CharField(max_length=MAX_URL_LENGTH, required=False)
    events = EventListField(required=False)
    description = serializers.CharField(max_length=200, allow_blank=True, required=False)
    enabled = serializers.BooleanField(required=False, help_text="true re-enables a disabled webhook")


class DeliveryListQuery(PageQuery):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)


class WebhookOutput(serializers.Serializer):
    webhookId = serializers.CharField(source="public_id")
    url = serializers.CharField()
    description = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=SUBSCRIBABLE_EVENTS))
    enabled = serializers.BooleanField()
    disabledAt = serializers.DateTimeField(source="disabled_at", allow_null=True)
    disabledReason = serializers.CharField(source="disabled_reason", allow_null=True,
                                           help_text="Why sending stopped; null while enabled")
    failingSince = serializers.DateTimeField(source="failing_since", allow_null=True,
                                             help_text="First failed attempt since the last success")
    previousSecretExpiresAt = serializers.DateTimeField(
        source="previous_secret_expires_at", allow_null=True,
        help_text="After a rotation, the old secret also signs until then")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    def to_representation(self, instance: object) -> dict:
        data = super().to_representation(instance)
        data["disabledReason"] = data["disabledReason"] or None
        return data


class AttemptOutput(serializers.Serializer):
    attempt = serializers.IntegerField(source="number")
    status = serializers.ChoiceField(source="outcome", choices=ATTEMPT_OUTCOMES)
    responseCode = serializers.IntegerField(source="response_code", allow_null=True)
    responseExcerpt = serializers.CharField(source="response_excerpt", help_text="The first 1,000 characters")
    error = serializers.CharField(allow_null=True, help_text="Timeout, connection error or refusal; null otherwise")
    latencyMs = serializers.IntegerField(source="latency_ms", allow_null=True)
    startedAt = serializers.DateTimeField(source="started_at")

    def to_representation(self, instance: object) -> dict:
        data = super().to_representation(instance)
        data["error"] = data["error"] or None
        return data


class DeliveryOutput(serializers.Serializer):
    deliveryId = serializers.CharField(source="public_id")
    eventId = serializers.CharField(source="event.public_id", help_text="The webhook-id header")
    eventType = serializers.ChoiceField(source="event.type", choices=EventType.choices)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempt = serializers.IntegerField(source="attempts", help_text="Attempts made in the current round")
    responseCode = serializers.SerializerMethodField()
    responseExcerpt = serializers.SerializerMethodField()
    latencyMs = serializers.SerializerMethodField()
    createdAt = serializers.DateTimeField(source="created_at")
    lastAttemptAt = serializers.DateTimeField(source="last_attempt_at", allow_null=True)
    nextAttemptAt = serializers.DateTimeField(source="next_attempt_at", allow_null=True)
    succeededAt = serializers.DateTimeField(source="succeeded_at", allow_null=True)
    attempts = AttemptOutput(source="attempt_log", many=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="Of the latest attempt"))
    def get_responseCode(self, delivery: WebhookDelivery) -> int | None:  # noqa: N802 - the wire name
        return delivery.last_attempt.response_code if delivery.last_attempt else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Of the latest attempt"))
    def get_responseExcerpt(self, delivery: WebhookDelivery) -> str | None:  # noqa: N802
        return delivery.last_attempt.response_excerpt if delivery.last_attempt else None

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="Of the latest attempt"))
    def get_latencyMs(self, delivery: WebhookDelivery) -> int | None:  # noqa: N802
        return delivery.last_attempt.latency_ms if delivery.last_attempt else None
