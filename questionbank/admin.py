"""Curation in Django admin: the bank's checks on every form, reference checks that gate publishing, preview,
import with a dry run, version history with revert (docs/curation.md)."""

import json
import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .bankfile import BankFileError, parse_text
from .checks import check_summary
from .entries import CHILDREN, question_bank_data
from .forms import (
    ImportForm,
    InlineRowForm,
    QuestionAdminForm,
    RubricPointForm,
    SignatureForm,
    TestCaseForm,
    row_forms,
)
from .history import history_entries
from .markdown import render_markdown
from .models import (
    FollowUp,
    Hint,
    Misconception,
    Question,
    QuestionStatus,
    RedFlag,
    ReferenceStatus,
    RubricPoint,
    Signature,
    TestCase,
)
from .selectors import question_references
from .services import (
    question_revert,
    question_saved,
    questions_export,
    questions_import,
    questions_import_plan,
    questions_set_status,
)
from .tasks import reference_check_queue

MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_TTL_SECONDS = 3600
LEVELS = {"easy": 0, "medium": 1, "hard": 2}


class OrderedInline:
    """Rows are dragged into order (the script rewrites their hidden positions) and saved as shown."""

    form = InlineRowForm
    extra = 0
    classes = ("orderable",)


class TextRowInline(OrderedInline, admin.TabularInline):
    """A hint or a follow-up: one or two lines of text each."""

    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}}


class HintInline(TextRowInline):
    model = Hint


class FollowUpInline(TextRowInline):
    model = FollowUp


class RubricPointInline(OrderedInline, admin.StackedInline):
    """Stacked: each point's claims are a list of sentences, too wide for a table row."""

    model = RubricPoint
    form = RubricPointForm
    fields = ("position", ("weight", "aspect"), "point", "phrases", "claims")


class MisconceptionInline(OrderedInline, admin.TabularInline):
    model = Misconception


class RedFlagInline(OrderedInline, admin.TabularInline):
    model = RedFlag


class SignatureInline(admin.StackedInline):
    model = Signature
    form = SignatureForm
    extra = 0


class TestCaseInline(OrderedInline, admin.TabularInline):
    model = TestCase
    form = TestCaseForm


class ReferenceCheckFilter(admin.SimpleListFilter):
    title = "reference check"
    parameter_name = "reference"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("failing", "failing"), ("passing", "passing"), ("checking", "checking"),
                ("unchecked", "not checked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
        value = self.value()
        if value is None:
            return queryset
        status = ReferenceStatus.UNCHECKED if value == "unchecked" else value
        return queryset.filter(type="coding", reference_status=status)


READONLY = ("public_id", "rubric_version", "solved_count", "attempt_count", "success_rate",
            "reference_check_details", "curated_by", "created_at", "updated_at")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ("title", "type", "category", "difficulty_level", "status", "solved_count", "success_rate",
                    "reference_check_summary", "updated_at")
    list_filter = ("status", "type", "difficulty", "category", ReferenceCheckFilter)
    # topic_index holds the category and every tag, normalised: searching it searches tags.
    search_fields = ("title", "slug", "public_id", "description", "topic_index")
    ordering = ("type", "title")
    sortable_by = ("title", "type", "category", "difficulty_level", "status", "solved_count", "success_rate",
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
    delete_confirmation_template = "admin/questionbank/question/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/questionbank/question/delete_selected_confirmation.html"

    class Media:
        css = {"all": ("questionbank/admin/curation.css",)}
        js = ("questionbank/admin/curation.js",)

    @admin.display(description="difficulty", ordering=Case(
        *(When(difficulty=level, then=Value(rank)) for level, rank in LEVELS.items()), output_field=IntegerField()))
    def difficulty_level(self, question: Question) -> str:
        return question.get_difficulty_display()

    @admin.display(description="reference check")
    def reference_check_summary(self, question: Question) -> str:
        return check_summary(question)

    @admin.display(description="reference check")
    def reference_check_details(self, question: Question) -> str:
        """Every failing case with what it expected and what came back."""
        lines = [check_summary(question)]
        for language, result in sorted(((question.reference_check or {}).get("results") or {}).items()):
            for case in result.get("failed") or []:
                lines.append(f"{language} · {case['name']}: {case['status']}, expected {json.dumps(case['expected'])}"
                             f", got {json.dumps(case['actual'])}" + (f" ({case['error']})" if case["error"] else ""))
        return "\n".join(lines)

    def view_on_site(self, question: Question) -> str:
        """The candidate page; staff see drafts and archived questions there too, under a banner."""
        return reverse("pages:question_detail", args=[question.public_id])

    # --- The form: the bank's checks over the question and its inlines ---------------------------------

    def _create_formsets(self, request: HttpRequest, obj: Question, change: bool) -> Any:
        """The form checks the whole question, inlines included, so it is handed the inlines' formsets (Django
        builds them after the form, around the same instance, and validates them separately)."""
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        obj.admin_formsets = formsets
        return formsets, inline_instances

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        form.saved_before = (question_bank_data(Question.objects.prefetch_related(*CHILDREN).get(pk=obj.pk))
                             if change else None)
        obj.curated_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Saved in the order shown: positions 0..n-1 follow the rows as they stand."""
        rows = row_forms(formset)
        formset.save()
        if "position" in formset.form.base_fields:
            for position, row in enumerate(rows):
                row.instance.position = position
            formset.model.objects.bulk_update([row.instance for row in rows], ["position"])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        message = self.construct_change_message(request, form, formsets, not change)
        question_saved(question=form.instance, before=form.saved_before, user=request.user,
                       comment=LogEntry(change_message=json.dumps(message)).get_change_message() or "Saved.")

    # --- Bulk actions -------------------------------------------------------------------------------

    def _report_status(self, request: HttpRequest, verb: str, queryset: QuerySet[Question], status: str) -> None:
        change = questions_set_status(queryset=queryset, status=status, user=request.user)
        self.message_user(request, f"{len(change.changed)} question(s) {verb}" +
                          (f": {', '.join(change.changed)}." if change.changed else "."))
        for slug, problem in change.refused.items():
            self.message_user(request, f"Not published, {slug}: {problem}", messages.WARNING)

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self._report_status(request, "published", queryset, QuestionStatus.PUBLISHED)

    @admin.action(description="Archive selected questions", permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self._report_status(request, "archived", queryset, QuestionStatus.ARCHIVED)

    @admin.action(description="Export selected questions (YAML)")
    def export_yaml(self, request: HttpRequest, queryset: QuerySet[Question]) -> HttpResponse:
        response = HttpResponse(questions_export(queryset=queryset), content_type="application/x-yaml")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="questions-{stamp}.yaml"'
        return response

    @admin.action(description="Run reference solutions against the test cases (sandbox queue)",
                  permissions=["change"])
    def check_reference_solutions(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        report = reference_check_queue(question_ids=list(queryset.values_list("id", flat=True)))
        for slug, outcome in report.items():
            self.message_user(request, f"Reference check, {slug}: {outcome}")

    # --- Delete: a question a session asked is archived instead -------------------------------------

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, Any, list[str]]:
        """A question used in sessions cannot be deleted (sessions keep what they asked): the page says so
        with the number of sessions and offers to archive it, instead of listing plan rows."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = [f"{question.title}: used in {n} interview session{'s' if n != 1 else ''}"
                         for question in objs if (n := question_references(question=question))]
        return deleted, counts, perms_needed, protected

    # --- Extra pages --------------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="questionbank_question_import"),
            path("preview/", view(self.preview_view), name="questionbank_question_preview"),
            path("<int:object_id>/history/<int:version_id>/revert/", view(self.revert_view),
                 name="questionbank_question_revert"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The description as candidates will see it (sanitised Markdown), for the live preview."""
        if request.method != "POST" or not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return HttpResponse(render_markdown(request.POST.get("text", "")))

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
                     ) -> HttpResponse:
        """Every revision (admin edits, imports, bulk actions, reverts) with its diff and a revert button."""
        question = get_object_or_404(Question, pk=object_id)
        if not self.has_view_or_change_permission(request, question):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": question,
                   "title": f"History: {question.title}", "entries": history_entries(question=question),
                   "can_revert": self.has_change_permission(request, question), **(extra_context or {})}
        return render(request, "admin/questionbank/question/object_history.html", context)

    @staticmethod
    def _history_url(object_id: int) -> str:
        return reverse("admin:questionbank_question_history", args=[object_id])

    def revert_view(self, request: HttpRequest, object_id: int, version_id: int) -> HttpResponseBase:
        question = get_object_or_404(Question, pk=object_id)
        if not self.has_change_permission(request, question):
            raise PermissionDenied
        return _revert(request, question, version_id, self._history_url(object_id))

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a bank file, see what it would do to each slug, then confirm: all of it or nothing."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "Import questions",
                   "form": ImportForm(), "problems": [], "plan": None, "token": None, "name": None}
        if request.method == "POST" and request.POST.get("confirm"):
            return _import_confirm(request, context)
        if request.method == "POST":
            context["form"] = form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                context |= _import_preview(request, form.cleaned_data["file"])
        return render(request, "admin/questionbank/question/import.html", context)


def _import_key(request: HttpRequest, token: str) -> str:
    return f"questionbank:import:{request.user.pk}:{token}"


def _read_upload(upload: Any) -> tuple[str | None, list[str]]:
    if upload.size > MAX_IMPORT_BYTES:
        return None, [f"{upload.name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB"]
    try:
        return upload.read().decode("utf-8"), []
    except UnicodeDecodeError:
        return None, [f"{upload.name}: not UTF-8 text"]


def _import_preview(request: HttpRequest, upload: Any) -> dict[str, Any]:
    """The dry run: the file is checked and compared with the bank; kept (for this user, an hour) to confirm."""
    text, problems = _read_upload(upload)
    if text is None:
        return {"problems": problems}
    try:
        plan = questions_import_plan(questions=parse_text(text, upload.name))
    except BankFileError as exc:
        return {"problems": exc.problems}
    if plan.problems:
        return {"problems": plan.problems, "plan": plan}
    token = secrets.token_urlsafe(16)
    cache.set(_import_key(request, token), {"name": upload.name, "text": text}, IMPORT_TTL_SECONDS)
    return {"plan": plan, "token": token, "name": upload.name}


def _import_confirm(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """Import what was previewed; the file is checked again against the bank as it is now."""
    token = request.POST.get("token", "")
    upload = cache.get(_import_key(request, token))
    if upload is None:
        messages.error(request, "That preview has expired: upload the file again.")
        return redirect("admin:questionbank_question_import")
    try:
        report = questions_import(questions=parse_text(upload["text"], upload["name"]), curated_by=request.user,
                                  comment=f"Imported {upload['name']}", check_publishing=True)
    except BankFileError as exc:
        context |= {"problems": exc.problems}
        return render(request, "admin/questionbank/question/import.html", context)
    cache.delete(_import_key(request, token))
    messages.success(request, f"Imported {upload['name']}: {report.details()}")
    return redirect("admin:questionbank_question_changelist")


@require_POST
def _revert(request: HttpRequest, question: Question, version_id: int, history_url: str) -> HttpResponseBase:
    try:
        outcome = question_revert(question=question, version_id=version_id, user=request.user)
    except BankFileError as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(request, outcome)
    return redirect(history_url)
