"""Enumerations the contract fixes, shared by every app (CONTRACT sections 5 and 12)."""

from django.db import models


class Mode(models.TextChoices):
    TECHNICAL = "technical"
    BEHAVIORAL = "behavioral"
    SYSTEM_DESIGN = "system_design"
    MIXED = "mixed"


class Difficulty(models.TextChoices):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class QuestionType(models.TextChoices):
    CODING = "coding"
    THEORY = "theory"
    BEHAVIORAL = "behavioral"
    SYSTEM_DESIGN = "system_design"


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


class Language(models.TextChoices):
    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    JAVA = "java"
    GO = "go"
    CPP = "cpp"
    CSHARP = "csharp"
    RUST = "rust"
    RUBY = "ruby"
    KOTLIN = "kotlin"
    SWIFT = "swift"


RUNNABLE_LANGUAGES = (Language.PYTHON.value, Language.JAVASCRIPT.value)
