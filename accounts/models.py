"""Users (email is the login) with their interview profile and preferences, and their logins."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from cloudinterview.api.ids import PublicIdField
from cloudinterview.choices import Difficulty, ExperienceLevel, FeedbackStyle, Mode


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email.strip().lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=(username or "").strip().lower())


class User(AbstractBaseUser, PermissionsMixin):
    public_id = PublicIdField(prefix="user")
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_active = models.DateTimeField(null=True, blank=True)

    job_titles = models.JSONField(default=list, blank=True)
    experience_level = models.CharField(max_length=16, choices=ExperienceLevel.choices, default=ExperienceLevel.MID)
    primary_languages = models.JSONField(default=list, blank=True)
    industries = models.JSONField(default=list, blank=True)
    resume_summary = models.TextField(max_length=5000, blank=True)
    areas_of_interest = models.JSONField(default=list, blank=True)

    default_mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.TECHNICAL)
    default_difficulty = models.CharField(max_length=8, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    language_preferences = models.JSONField(default=list, blank=True)
    feedback_style = models.CharField(max_length=16, choices=FeedbackStyle.choices, default=FeedbackStyle.DETAILED)
    voice_input_enabled = models.BooleanField(default=False)
    dark_mode = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


class Login(models.Model):
    """One sign-in: its tokens carry `sid`; revoking the row ends the access and refresh tokens alike.

    `refresh_jti` is the only refresh token of the chain still accepted (rotation); presenting an
    older one revokes the login (reuse detection).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="logins")
    sid = models.CharField(max_length=40, unique=True)
    refresh_jti = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    ip_address = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.sid}"
