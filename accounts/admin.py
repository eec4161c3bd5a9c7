from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Login, User
from .throttles import AdminAuthenticationForm

admin.site.login_form = AdminAuthenticationForm  # the admin's log-in spends the same auth budget as the API


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("-created_at",)
    list_display = ("email", "name", "public_id", "experience_level", "is_staff", "created_at", "last_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "experience_level")
    search_fields = ("email", "name", "public_id")
    readonly_fields = ("public_id", "created_at", "last_active", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password", "name", "public_id")}),
        ("Profile", {"fields": ("job_titles", "experience_level", "primary_languages", "industries",
                                "resume_summary", "areas_of_interest")}),
        ("Preferences", {"fields": ("default_mode", "default_difficulty", "language_preferences", "feedback_style",
                                    "voice_input_enabled", "dark_mode")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("created_at", "last_active", "last_login")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Login)
class LoginAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "refreshed_at", "revoked_at", "ip_address")
    list_filter = ("revoked_at",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("sid", "refresh_jti")
