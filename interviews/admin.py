"""Staff views of interviews (docs/curation.md).

The audit is read-only and for superusers (or staff given its view permissions): sessions with their
transcript, and each answer with the evaluator's record, so anyone can see why a candidate got a score.
"What questions teach" is for curators: statistics per question and answers under a pseudonym.
"""

import json
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .insights import (
    FLAGS,
    answer_for_review,
    question_answers,
    question_coverage,
    question_insights,
)
from .models import Answer, InterviewSession, QuestionInsight, SessionQuestion

ANSWERS_PAGE_SIZE = 20


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: looked at, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def evaluator_record(evaluator: dict[str, Any] | None) -> SafeString | str:
    """Who scored an answer or wrote a report, with what: provider, model, rubric version, prompt hash, fallback."""
    if not evaluator:
        return "-"
    return format_html(
        "<dl class='evaluator'><dt>Provider</dt><dd>{}</dd><dt>Model</dt><dd>{}</dd><dt>Rubric version</dt>"
        "<dd>{}</dd><dt>Prompt hash</dt><dd><code>{}</code></dd><dt>Fallback</dt><dd>{}</dd></dl>",
        evaluator.get("provider", "-"), evaluator.get("model", "-"), evaluator.get("rubricVersion", "-"),
        evaluator.get("promptHash", "-"), "yes" if evaluator.get("fallback") else "no")


def test_results_summary(results: dict[str, Any] | None) -> str:
    if not results:
        return "-"
    return f"{results.get('passed')} / {results.get('total')} passed · {results.get('verdict')}"


class FallbackFilter(admin.SimpleListFilter):
    title = "offline fallback"
    parameter_name = "fallback"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "yes"), ("no", "no")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(evaluator__fallback=True)
        if self.value() == "no":
            return queryset.exclude(evaluator__fallback=True)
        return queryset


class ProviderFilter(admin.SimpleListFilter):
    title = "evaluated by"
    parameter_name = "provider"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("offline", "offline"), ("anthropic", "anthropic")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(evaluator__provider=self.value()) if self.value() else queryset


@admin.register(InterviewSession)
class InterviewSessionAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "candidate", "mode", "difficulty", "status", "overall_score", "created_at")
    list_filter = ("status", "mode", "difficulty")
    search_fields = ("public_id", "user__email", "user__name")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    fields = ("public_id", "user", "mode", "job_type", "difficulty", "language", "include_coding", "topics",
              "status", "planned_duration", "actual_duration", "created_at", "started_at", "completed_at",
              "overall_score", "accuracy", "communication_score", "problem_solving_score", "interviewer",
              "transcript")
    readonly_fields = fields

    @admin.display(description="candidate", ordering="user__email")
    def candidate(self, session: InterviewSession) -> str:
        return session.user.email

    @admin.display(description="transcript")
    def transcript(self, session: InterviewSession) -> str:
        """Every planned question, each answer with its scores, evaluator record and test results, and the
        interviewer's reply, in order (a fixed number of queries)."""
        plan = (SessionQuestion.objects.filter(session=session).select_related("question")
                .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("response")
                                           .order_by("submitted_at", "id"))))
        rows = [{"slot": slot, "answers": [{"answer": a, "evaluator": evaluator_record(a.evaluator),
                                            "tests": test_results_summary(a.test_results),
                                            "admin_url": reverse("admin:interviews_answer_change", args=[a.pk])}
                                           for a in slot.answers.all()]} for slot in plan]
        return render_to_string("admin/interviews/transcript.html", {"plan": rows})


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "candidate", "question", "is_follow_up", "status", "provider", "model",
                    "rubric_version", "fallback", "evaluated_at")
    list_filter = ("status", "is_follow_up", ProviderFilter, FallbackFilter)
    search_fields = ("public_id", "session__public_id", "session__user__email", "session__user__name")
    list_select_related = ("session__user", "slot__question")
    fields = ("public_id", "session", "question", "is_follow_up", "prompt", "text", "code", "language", "approach",
              "response_time", "status", "scores_display", "covered", "missed", "evaluator_display",
              "test_results_display", "interviewer_reply", "submitted_at", "evaluated_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Answer]:
        return super().get_queryset(request).select_related("response")

    @admin.display(description="candidate", ordering="session__user__email")
    def candidate(self, answer: Answer) -> str:
        return answer.session.user.email

    @admin.display(description="question")
    def question(self, answer: Answer) -> str:
        return answer.slot.question.title

    def _evaluator(self, answer: Answer, key: str) -> Any:
        return (answer.evaluator or {}).get(key, "-")

    @admin.display(description="provider")
    def provider(self, answer: Answer) -> Any:
        return self._evaluator(answer, "provider")

    @admin.display(description="model")
    def model(self, answer: Answer) -> Any:
        return self._evaluator(answer, "model")

    @admin.display(description="rubric")
    def rubric_version(self, answer: Answer) -> Any:
        return self._evaluator(answer, "rubricVersion")

    @admin.display(description="fallback", boolean=True)
    def fallback(self, answer: Answer) -> bool | None:
        return (answer.evaluator or {}).get("fallback") if answer.evaluator else None

    @admin.display(description="scores")
    def scores_display(self, answer: Answer) -> str:
        return ", ".join(f"{k}: {v}" for k, v in (answer.scores or {}).items()) or "-"

    @admin.display(description="evaluator")
    def evaluator_display(self, answer: Answer) -> SafeString | str:
        return evaluator_record(answer.evaluator)

    @admin.display(description="test results")
    def test_results_display(self, answer: Answer) -> SafeString | str:
        results = answer.test_results
        if not results:
            return "-"
        return format_html("<p>{}</p><pre class='test-cases'>{}</pre>", test_results_summary(results),
                           json.dumps(results.get("cases", []), indent=1))

    @admin.display(description="interviewer's reply")
    def interviewer_reply(self, answer: Answer) -> str:
        response = getattr(answer, "response", None)
        return response.content if response is not None else "-"


class FlagFilter(admin.SimpleListFilter):
    title = "against its difficulty"
    parameter_name = "flag"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(FLAGS.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(flag=self.value()) if self.value() else queryset


@admin.register(QuestionInsight)
class QuestionInsightAdmin(ReadOnlyAdmin):
    """Per question: attempts, solved share against the stated difficulty, mean and spread of scores; open one
    for its rubric coverage and its answers (a fixed number of queries for the list and for each page)."""

    list_display = ("title", "type", "difficulty", "status", "attempts_display", "solved_share_display",
                    "mean_score_display", "score_spread_display", "flag_display")
    list_filter = (FlagFilter, "type", "difficulty", "status", "category")
    search_fields = ("title", "slug", "topic_index")
    ordering = ("-attempt_count", "title")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return question_insights(super().get_queryset(request))

    @admin.display(description="attempts", ordering="attempts")
    def attempts_display(self, question: Any) -> int:
        return question.attempts

    @admin.display(description="solved", ordering="solved_share")
    def solved_share_display(self, question: Any) -> str:
        return f"{question.solved_share:.0f}%" if question.attempts else "-"

    @admin.display(description="mean score", ordering="mean_score")
    def mean_score_display(self, question: Any) -> str:
        return "-" if question.mean_score is None else f"{question.mean_score:.1f}"

    @admin.display(description="spread", ordering="score_spread")
    def score_spread_display(self, question: Any) -> str:
        return "-" if question.score_spread is None else f"±{question.score_spread:.1f}"

    @admin.display(description="against its difficulty", ordering="flag")
    def flag_display(self, question: Any) -> str:
        return FLAGS[question.flag]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """One question: its numbers, how often answers covered each rubric point, and the answers."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        question = get_object_or_404(self.get_queryset(request), pk=object_id)
        filters = _answer_filters(request, question.rubric_version)
        page = Paginator(question_answers(question=question, **filters), ANSWERS_PAGE_SIZE).get_page(
            request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": question,
            "title": f"What “{question.title}” teaches", "question": question, "flag": FLAGS[question.flag],
            "coverage": question_coverage(question=question, rubric_version=filters["rubric_version"]),
            "filters": filters, "page": page, "answers": [answer_for_review(a) for a in page.object_list],
            "change_url": reverse("admin:questionbank_question_change", args=[question.pk]),
        }
        return render(request, "admin/interviews/questioninsight/detail.html", context)


def _number(request: HttpRequest, name: str) -> float | None:
    try:
        return float(request.GET[name])
    except (KeyError, ValueError):
        return None


def _answer_filters(request: HttpRequest, current_version: int) -> dict[str, Any]:
    """The answer list's filters from the query string; bad values are ignored, not errors."""
    version = _number(request, "rubric_version")
    return {"min_score": _number(request, "min_score"), "max_score": _number(request, "max_score"),
            "rubric_version": int(version) if version is not None else current_version}
