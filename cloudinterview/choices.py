"""Django's choices for model fields, forms and serializers.

The words the sandbox and the bank validator share (languages, question types, difficulties) are defined once
in `domain/` and adapted here; the ones only Django uses are defined here.
"""

from enum import StrEnum

from django.db import models

from domain import languages, questions


def text_choices(words: type[StrEnum]) -> type[models.TextChoices]:
    """The same members as Django TextChoices, with Django's labels derived from the names as usual."""
    return models.TextChoices(words.__name__, [(word.name, word.value) for word in words])


Language = text_choices(languages.Language)
QuestionType = text_choices(questions.QuestionType)
Difficulty = text_choices(questions.Difficulty)
RUNNABLE_LANGUAGES = languages.RUNNABLE_LANGUAGES


class Mode(models.TextChoices):
    TECHNICAL = "technical"
    BEHAVIORAL = "behavioral"
    SYSTEM_DESIGN = "system_design"
    MIXED = "mixed"


class ExperienceLevel(models.TextChoices):
    ENTRY = "entry"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"
    PRINCIPAL = "principal"


class FeedbackStyle(models.TextChoices):
    DETAILED = "detailed"
    ACTIONABLE = "actionable"
    CONCISE = "concise"
    ENCOURAGING = "encouraging"
