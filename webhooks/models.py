"""Users' webhook endpoints, the events sent to them, one delivery per event and endpoint, and each
delivery's attempts (the delivery log). The design is in docs/webhooks.md."""

from django.conf import settings
from django.db import models

from cloudinterview.api.ids import PublicIdField


class EventType(models.TextChoices):
    SESSION_COMPLETED = "session.completed"
    FEEDBACK_READY = "feedback.ready"
    ANSWER_EVALUATED = "answer.evaluated"
    PING = "ping"


# What an endpoint may subscribe to (`ping` is sent by the test action only), and what it gets by default:
# `answer.evaluated` comes once per answer, so it is opt-in.
SUBSCRIBABLE = (EventType.SESSION_COMPLETED, EventType.FEEDBACK_READY, EventType.ANSWER_EVALUATED)
DEFAULT_EVENTS = (EventType.SESSION_COMPLETED, EventType.FEEDBACK_READY)


class WebhookEndpoint(models.Model):
    public_id = PublicIdField(prefix="wh")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    url = models.CharField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    # The signing secret (`whsec_` + base64) is needed in clear to sign; it is shown to the user only when
    # it is made (creation, rotation). After a rotation the previous one keeps signing until it expires.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True, help_text="First failure since the last success")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.public_id} {self.url}"


class WebhookStream(models.Model):
    """The event counter of one interview session. Emitting takes this row's lock until the emitting
    transaction commits, so sequence numbers follow commit order (docs/webhooks.md, "Ordering")."""

    key = models.CharField(max_length=60, unique=True)
    last_sequence = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}@{self.last_sequence}"


class WebhookEvent(models.Model):
    """One event, as sent: `body` is the exact JSON signed and posted on every attempt."""

    public_id = PublicIdField(prefix="msg")  # the `webhook-id` header, the receivers' idempotency key
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_events")
    type = models.CharField(max_length=40, choices=EventType.choices)
    stream = models.CharField(max_length=60, blank=True, help_text="The session it belongs to; blank for ping")
    sequence = models.PositiveBigIntegerField(default=0)
    body = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.public_id} {self.type}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"  # not tried yet, or waiting for an earlier event of its session
    RETRYING = "retrying"  # failed at least once; tried again at next_attempt_at
    SUCCEEDED = "succeeded"
    ABANDONED = "abandoned"  # attempts used up, or its endpoint was disabled


OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class WebhookDelivery(models.Model):
    """An event on its way to one endpoint. `stream` and `sequence` are copied from the event so the
    ordering check is one indexed lookup."""

    public_id = PublicIdField(prefix="delivery")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    stream = models.CharField(max_length=60, blank=True)
    sequence = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Attempts in the current round")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When a task was last queued for it")
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, help_text="An attempt is in flight until then")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="one_delivery_per_endpoint_event")]
        indexes = [
            models.Index(fields=["endpoint", "stream", "sequence"]),
            models.Index(fields=["endpoint", "-created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.status})"

    @property
    def last_attempt(self) -> "WebhookAttempt | None":
        """The latest attempt, from the log the selectors prefetch (webhooks/selectors.py)."""
        attempts = list(self.attempt_log.all())
        return attempts[-1] if attempts else None


class AttemptOutcome(models.TextChoices):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WebhookAttempt(models.Model):
    """One POST (or a refusal to make it): the delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=300, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number} {self.outcome}"
