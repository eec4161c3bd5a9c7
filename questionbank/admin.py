"""Curation in Django admin: filters, inlines, bulk status, import/export, reference checks."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone

from domain.questions import QuestionType

from .bankfile import BankFileError, parse_text
from .models import (
    FollowUp,
    Hint,
    Misconception,
    Question,
    QuestionStatus,
    RedFlag,
    RubricPoint,
    Signature,
    TestCase,
)
from .services import bank_changed, questions_export, questions_import, questions_set_status
from .tasks import reference_check_queue

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class HintInline(admin.TabularInline):
    model = Hint
    extra = 0


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


class RubricPointInline(admin.StackedInline):
    """Stacked: each point's claims are a list of sentences, too wide for a table row."""

    model = RubricPoint
    extra = 0
    fields = (("position", "weight", "aspect"), "point", "phrases", "claims")


class MisconceptionInline(admin.TabularInline):
    model = Misconception
    extra = 0


class RedFlagInline(admin.TabularInline):
    model = RedFlag
    extra = 0


class SignatureInline(admin.StackedInline):
    model = Signature
    extra = 0


class TestCaseInline(admin.TabularInline):
    model = TestCase
    extra = 0


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A YAML file in the bank format (questionbank/bank/FORMAT.md).")


READONLY = ("public_id", "rubric_version", "solved_count", "attempt_count", "success_rate", "reference_check",
            "curated_by", "created_at", "updated_at")
# Changes to these parts change how answers are scored, so they bump the rubric version.
KNOWLEDGE_INLINES = (RubricPoint, Misconception, RedFlag)
KNOWLEDGE_FIELDS = ("reference_answer", "complexity_time", "complexity_space")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "category", "difficulty", "status", "solved_count", "success_rate",
                    "reference_check_summary", "updated_at")
    list_filter = ("status", "type", "difficulty", "category")
    search_fields = ("title", "slug", "public_id", "description")
    ordering = ("type", "title")
    sortable_by = ("title", "type", "category", "difficulty", "status", "solved_count", "success_rate",
                   "updated_at")
    readonly_fields = READONLY
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("slug", "type", "category", "difficulty", "title", "description", "estimated_time",
                           "tags", "status")}),
        ("What the evaluator judges with", {"fields": ("reference_answer", ("complexity_time", "complexity_space"))}),
        ("Record", {"fields": READONLY}),
    )
    inlines = (HintInline, FollowUpInline, RubricPointInline, MisconceptionInline, RedFlagInline, SignatureInline,
               TestCaseInline)
    actions = ("publish", "archive", "export_yaml", "check_reference_solutions")
    change_list_template = "admin/questionbank/question/change_list.html"

    @admin.display(description="reference check")
    def reference_check_summary(self, question: Question) -> str:
        check = question.reference_check or {}
        if not check:
            return "-"
        return ", ".join(f"{lang}: {r.get('verdict', '?')}" for lang, r in sorted(check.get("results", {}).items()))

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        obj.curated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        knowledge_changed = any(f in form.changed_data for f in KNOWLEDGE_FIELDS) or any(
            fs.model in KNOWLEDGE_INLINES and fs.has_changed() for fs in formsets)
        if change and knowledge_changed:
            Question.objects.filter(pk=form.instance.pk).update(rubric_version=F("rubric_version") + 1)
        bank_changed()

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        changed = questions_set_status(queryset=queryset, status=QuestionStatus.PUBLISHED)
        self.message_user(request, f"{changed} question(s) published.")

    @admin.action(description="Archive selected questions", permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        changed = questions_set_status(queryset=queryset, status=QuestionStatus.ARCHIVED)
        self.message_user(request, f"{changed} question(s) archived.")

    @admin.action(description="Export selected questions (YAML)")
    def export_yaml(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse:
        response = HttpResponse(questions_export(queryset=queryset), content_type="application/x-yaml")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="questions-{stamp}.yaml"'
        return response

    @admin.action(description="Run reference solutions against the test cases (sandbox queue)",
                  permissions=["change"])
    def check_reference_solutions(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        coding = queryset.filter(type=QuestionType.CODING).values_list("id", flat=True)
        count = reference_check_queue(question_ids=list(coding))
        self.message_user(request, f"Queued reference checks for {count} coding question(s); results appear in "
                                   "the 'reference check' column.")

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="questionbank_question_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a bank file: every defect is listed per question, and nothing is imported unless all pass."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:questionbank_question_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                problems = [f"{upload.name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB"]
            else:
                try:
                    parsed = parse_text(upload.read().decode("utf-8"), upload.name)
                except UnicodeDecodeError:
                    problems = [f"{upload.name}: not UTF-8 text"]
                except BankFileError as exc:
                    problems = exc.problems
                else:
                    report = questions_import(questions=parsed, curated_by=request.user)
                    messages.success(request, f"Imported {upload.name}: {report.summary()}")
                    return redirect("admin:questionbank_question_changelist")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "problems": problems, "title": "Import questions"}
        return render(request, "admin/questionbank/question/import.html", context)
