"""Staff views of reports and share links: read-only, since reports are written by the feedback task."""

from typing import Any

from django.contrib import admin
from django.utils.safestring import SafeString

from interviews.admin import ReadOnlyAdmin, evaluator_record

from .models import Feedback, ShareLink


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """A session's report with the record of what wrote it (the audit: docs/curation.md)."""

    list_display = ("public_id", "session", "candidate", "status", "overall_score", "percentile_rank",
                    "written_by", "generated_at")
    list_filter = ("status",)
    search_fields = ("public_id", "session__public_id", "session__user__email", "session__user__name")
    list_select_related = ("session__user",)
    exclude = ("evaluator",)
    readonly_fields = [*(f.name for f in Feedback._meta.fields if f.name != "evaluator"), "evaluator_display"]

    @admin.display(description="candidate", ordering="session__user__email")
    def candidate(self, feedback: Feedback) -> str:
        return feedback.session.user.email

    @admin.display(description="written by")
    def written_by(self, feedback: Feedback) -> str:
        evaluator: dict[str, Any] = feedback.evaluator or {}
        return f"{evaluator.get('provider', '-')}{' (fallback)' if evaluator.get('fallback') else ''}"

    @admin.display(description="evaluator")
    def evaluator_display(self, feedback: Feedback) -> SafeString | str:
        return evaluator_record(feedback.evaluator)


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Staff may revoke a link (delete) but never read or mint tokens."""

    list_display = ("session", "created_at")
    list_select_related = ("session",)
    exclude = ("token",)
    readonly_fields = ("session", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
