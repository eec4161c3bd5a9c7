"""The question bank: questions with their hints, follow-ups, rubric, signatures and test cases."""

import re
from typing import Any

from django.conf import settings
from django.db import models

from cloudinterview.api.ids import stable_public_id
from cloudinterview.choices import Difficulty, QuestionType, text_choices
from domain import questions

QuestionStatus = text_choices(questions.QuestionStatus)
CompareMode = text_choices(questions.CompareMode)


class ReferenceStatus(models.TextChoices):
    """Where the reference solutions stand against the question's current code and tests."""

    UNCHECKED = "", "not checked"
    CHECKING = "checking"
    PASSING = "passing"
    FAILING = "failing"


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
    solved_count = models.PositiveIntegerField(default=0, editable=False)
    attempt_count = models.PositiveIntegerField(default=0, editable=False)
    success_rate = models.FloatField(default=0.0, editable=False)
    # The last reference check: per-language results and the fingerprint of the code and tests it ran
    # (questionbank/checks.py); dropped whenever that code or those tests change.
    reference_check = models.JSONField(null=True, blank=True, editable=False)
    reference_status = models.CharField(max_length=8, choices=ReferenceStatus.choices, blank=True, default="",
                                        editable=False)
    # The evaluator's knowledge (bank/FORMAT.md, "What the evaluator needs to judge truth"); never shown to
    # candidates.
    reference_answer = models.TextField(blank=True, help_text="What a strong candidate says, 60 to 250 words")
    complexity_time = models.CharField(max_length=60, blank=True, help_text='Coding: optimal time bound, "O(n)"')
    complexity_space = models.CharField(max_length=60, blank=True, help_text='Coding: optimal space bound, "O(1)"')
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
        # Always the hash of the slug, so a file that names the slug names this question (docs/curation.md,
        # "Slugs"): the admin refuses to change the slug of a question candidates have seen.
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


class Aspect(models.TextChoices):
    """What a coding or behavioral rubric point covers."""

    APPROACH = "approach"
    COMPLEXITY = "complexity"
    EDGE_CASES = "edge_cases", "edge cases"
    SITUATION = "situation"
    ACTION = "action"
    RESULT = "result"
    REFLECTION = "reflection"


class RubricPoint(models.Model):
    """A key point of a strong answer: its phrases, and the claims that state it (matched by meaning)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rubric_points")
    position = models.PositiveSmallIntegerField(default=0)
    point = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(default=1)
    phrases = models.JSONField(default=list)
    claims = models.JSONField(default=list, blank=True, help_text="2 to 5 sentences that state the point")
    aspect = models.CharField(max_length=12, choices=Aspect.choices, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.point[:60]


class Misconception(models.Model):
    """A confident wrong claim and its parallel correction; `point` (1-based) is the rubric point it cancels."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="misconceptions")
    position = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=500)
    correction = models.CharField(max_length=500)
    point = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.claim[:60]


class RedFlag(models.Model):
    """Conduct in a behavioral story that counts against it, as the candidate would say it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="red_flags")
    position = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=500)
    why = models.CharField(max_length=300)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.claim[:60]


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
    edge_case = models.BooleanField(default=False, help_text="A boundary input; typical cases weigh more")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def sandbox_case(self) -> dict[str, Any]:
        """The case as the sandbox's plain data (it never imports our models)."""
        return {"name": self.name, "args": self.args, "expected": self.expected, "hidden": self.hidden,
                "compare": self.compare, "tolerance": self.tolerance}
