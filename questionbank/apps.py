from django.apps import AppConfig


class QuestionbankConfig(AppConfig):
    name = "questionbank"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the question and its parts with django-reversion before anything is saved.
        from . import history  # noqa: F401
