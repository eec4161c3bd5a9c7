from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The auth doors (accounts, upstream) answer with the user's stats, which are feedback's reads."""
        # Imported here: models cannot be imported while apps.py itself is being loaded.
        from accounts.stats import stats_provider_register

        from .analytics import user_stats

        stats_provider_register(user_stats)
