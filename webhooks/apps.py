from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Listen to the domain events of interviews and feedback (cloudinterview/domain_events.py)."""
        from cloudinterview.domain_events import register_sink

        from .services.outbox import event_record

        register_sink(event_record)
