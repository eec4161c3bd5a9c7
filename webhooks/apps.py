from django.apps import AppConfig

from cloudinterview.domain_events import register_sink


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Listen to the domain events of interviews and feedback (cloudinterview/domain_events.py)."""
        # Models cannot be imported before the app registry is ready, and the sink writes them: Django's one
        # place for this is ready(), so the sink's module is imported here.
        from .services.outbox import event_record

        register_sink(event_record)
