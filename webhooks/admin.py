"""Staff views of webhooks: endpoints (secrets never shown), and the delivery log with a "redeliver" action."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .services.delivery import delivery_redeliver


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("public_id", "user", "url", "enabled", "failing_since", "disabled_at", "created_at")
    list_filter = ("enabled",)
    search_fields = ("public_id", "url", "user__email")
    list_select_related = ("user",)
    exclude = ("secret", "previous_secret")
    readonly_fields = ("public_id", "user", "previous_secret_expires_at", "disabled_at", "disabled_reason",
                       "failing_since", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a secret is shown once, to its owner: endpoints are made by their users


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "outcome", "response_code", "latency_ms", "error", "response_excerpt", "started_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("public_id", "event_id_", "event_type", "endpoint", "status", "attempts", "next_attempt_at",
                    "created_at")
    list_filter = ("status", "event__type")
    search_fields = ("public_id", "event__public_id", "endpoint__public_id", "endpoint__user__email")
    list_select_related = ("event", "endpoint")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields if f.name != "lease_token"]
    exclude = ("lease_token",)
    inlines = [AttemptInline]
    actions = ["redeliver"]

    @admin.display(description="webhook-id")
    def event_id_(self, delivery: WebhookDelivery) -> str:
        return delivery.event.public_id

    @admin.display(description="event")
    def event_type(self, delivery: WebhookDelivery) -> str:
        return delivery.event.type

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Redeliver the selected deliveries (same webhook-id, attempts from 1)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        sent = skipped = 0
        for delivery in queryset:
            if delivery_redeliver(delivery=delivery):
                sent += 1
            else:
                skipped += 1
        self.message_user(request, f"Queued {sent} deliveries again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"Skipped {skipped} whose webhook is disabled; enable it first.",
                              messages.WARNING)
