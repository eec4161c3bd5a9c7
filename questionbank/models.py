"""The question bank: questions with their hints, follow-ups, rubric, signatures and test cases."""

import re

from django.conf import settings
from django.db import models

from cloudinterview.api.ids import stable_public_id
from cloudinterview.choices import Difficulty, QuestionType, text_choices
from domain import questions

QuestionStatus = text_choices(questions.QuestionStatus)
CompareMode = text_choices(questions.CompareMode)


def topic_key(text: str) -> str:
    """Topics match case-insensitively with spaces and hyphens alike (docs/api.md, "Lists")."""
    return re.sub(r"[\s_-]+", "-", text.strip().lower())


class Question(models.Model):
    public_id = models.CharField(max_length=40, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    type = models.CharField(max_length=16, choices=QuestionType.choices)
    category = models.CharField(max_length=60)
    difficulty = models.CharField(max_length=8, choices=Difficulty.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="Markdown")
    estimated_time = models.PositiveSmallIntegerField(help_text="Minutes")
    tags = models.JSONField(default=list, blank=True)
    # "|category|tag-a|tag-b|" with topic_key applied: one portable LIKE filter for `topics`.
    topic_index = models.CharField(max_length=2000, editable=False, default="")
    status = models.CharField(max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT)
    rubric_version = models.PositiveIntegerField(default=1, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    solved_count = models.PositiveIntegerField(default=0, editable=False)
    attempt_count = models.PositiveIntegerField(default=0, editable=False)
    success_rate = models.FloatField(default=0.0, editable=False)
    reference_check = models.JSONField(null=True, blank=True, editable=False)
    curated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="curated_questions")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "type", "difficulty"]),
            models.Index(fields=["status", "category"]),
            models.Index(fields=["success_rate"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.type}, {self.difficulty})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.public_id:
            self.public_id = stable_public_id("q", self.slug)
        self.topic_index = "|" + "|".join(topic_key(t) for t in [self.category, *self.tags]) + "|"
        super().save(*args, **kwargs)


class OrderedText(models.Model):
    """An ordered piece of a question's text (hints go gentlest first, follow-ups in asking order)."""

    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(max_length=1000)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Hint(OrderedText):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="hints")


class FollowUp(OrderedText):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follow_ups")


class RubricPoint(models.Model):
    """A key point of a strong answer; the offline evaluator looks for its phrases."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rubric_points")
    position = models.PositiveSmallIntegerField(default=0)
    point = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(default=1)
    phrases = models.JSONField(default=list)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.point[:60]


class Signature(models.Model):
    """How a coding question is called in one language: the harness calls `function_name`."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="signatures")
    language = models.CharField(max_length=16)
    function_name = models.CharField(max_length=64)
    starter_code = models.TextField()
    solution = models.TextField()

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["question", "language"], name="one_signature_per_language")]

    def __str__(self) -> str:
        return f"{self.language}: {self.function_name}"


class TestCase(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="test_cases")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    args = models.JSONField(help_text="Positional arguments, as a JSON list")
    expected = models.JSONField(null=True)
    hidden = models.BooleanField(default=False)
    compare = models.CharField(max_length=10, choices=CompareMode.choices, default=CompareMode.EXACT)
    tolerance = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
