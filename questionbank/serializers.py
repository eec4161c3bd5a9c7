"""Candidate-facing question shapes, with nothing hidden in them (no hidden cases, solutions or rubrics)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cloudinterview.api.schema import JsonValueField
from cloudinterview.choices import Difficulty
from cloudinterview.choices import QuestionType as QuestionTypeChoices
from domain.questions import QuestionType

from .models import Question


class RandomQuery(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=20, default=5)


class ExampleOutput(serializers.Serializer):
    input = JsonValueField(help_text="the arguments")
    expected = JsonValueField()


def coding_fields(question: Question) -> dict[str, Any]:
    """functionName, starterCode and the visible examples; expects question_related's prefetches."""
    if question.type != QuestionType.CODING:
        return {"functionName": None, "starterCode": None, "examples": []}
    signatures = list(question.signatures.all())
    return {
        "functionName": {s.language: s.function_name for s in signatures},
        "starterCode": {s.language: s.starter_code for s in signatures},
        "examples": [{"input": c.args, "expected": c.expected} for c in question.visible_cases],
    }


class CodingFieldsOutput(serializers.Serializer):
    """Shared by the question detail and every presented question (REST and socket)."""

    functionName = serializers.SerializerMethodField()
    starterCode = serializers.SerializerMethodField()
    examples = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=serializers.CharField(), allow_null=True))
    def get_functionName(self, question: Question) -> dict[str, str] | None:  # noqa: N802
        return coding_fields(question)["functionName"]

    @extend_schema_field(serializers.DictField(child=serializers.CharField(), allow_null=True))
    def get_starterCode(self, question: Question) -> dict[str, str] | None:  # noqa: N802
        return coding_fields(question)["starterCode"]

    @extend_schema_field(ExampleOutput(many=True))
    def get_examples(self, question: Question) -> list[dict[str, Any]]:
        return coding_fields(question)["examples"]


class QuestionListItemOutput(serializers.Serializer):
    questionId = serializers.CharField(source="public_id")
    type = serializers.ChoiceField(choices=QuestionTypeChoices.choices)
    category = serializers.CharField()
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    title = serializers.CharField()
    estimatedTime = serializers.IntegerField(source="estimated_time")
    tags = serializers.ListField(child=serializers.CharField())
    solvedCount = serializers.IntegerField(source="solved_count")
    successRate = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_successRate(self, question: Question) -> float:  # noqa: N802
        return round(question.success_rate, 1)


class QuestionDetailOutput(QuestionListItemOutput, CodingFieldsOutput):
    description = serializers.CharField()
    hints = serializers.SerializerMethodField()
    followUpQuestions = serializers.SerializerMethodField()
    similarQuestions = serializers.SerializerMethodField()
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_hints(self, question: Question) -> list[str]:
        return [h.text for h in question.hints.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_followUpQuestions(self, question: Question) -> list[str]:  # noqa: N802
        return [f.text for f in question.follow_ups.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_similarQuestions(self, question: Question) -> list[str]:  # noqa: N802
        return self.context.get("similar", [])


class QuestionRandomItemOutput(serializers.Serializer):
    questionId = serializers.CharField(source="public_id")
    type = serializers.ChoiceField(choices=QuestionTypeChoices.choices)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    title = serializers.CharField()
    estimatedTime = serializers.IntegerField(source="estimated_time")


class FacetsOutput(serializers.Serializer):
    types = serializers.ListField(child=serializers.ChoiceField(choices=QuestionTypeChoices.choices))
    difficulties = serializers.ListField(child=serializers.ChoiceField(choices=Difficulty.choices))
    categories = serializers.ListField(child=serializers.CharField())
    topics = serializers.ListField(child=serializers.CharField())
