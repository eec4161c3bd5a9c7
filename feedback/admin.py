"""Staff views of reports and share links: read-only, since reports are written by the feedback task."""

from django.contrib import admin

from .models import Feedback, ShareLink


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("public_id", "session", "status", "overall_score", "percentile_rank", "generated_at")
    list_filter = ("status",)
    search_fields = ("public_id", "session__public_id")
    list_select_related = ("session",)
    readonly_fields = [f.name for f in Feedback._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


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
