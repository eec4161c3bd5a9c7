"""Account writes: registration, sign-in, profile updates, password change, deletion."""

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from domain.errors import AlreadyExists, InvalidCredentials, InvalidInput, WrongPassword

from .models import User
from .tokens import login_start, logins_revoke

PROFILE_FIELDS = ("job_titles", "experience_level", "primary_languages", "industries", "resume_summary",
                  "areas_of_interest")
PREFERENCE_FIELDS = ("default_mode", "default_difficulty", "language_preferences", "feedback_style",
                     "voice_input_enabled", "dark_mode")


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc


def user_register(
    *,
    email: str,
    password: str,
    name: str = "",
    preferred_languages: list[str] | None = None,
    experience_level: str | None = None,
) -> User:
    """Create an account; a second account for the same email (any case) is a 409 CONFLICT."""
    email = email.strip().lower()
    user = User(email=email, name=name.strip())
    if experience_level:
        user.experience_level = experience_level
    if preferred_languages:
        user.primary_languages = list(preferred_languages)
        user.language_preferences = list(preferred_languages)
    _check_password(password, user)
    user.set_password(password)
    taken = AlreadyExists("An account with this email already exists.", field="email", issue="already registered")
    try:
        with transaction.atomic():  # the unique constraint decides, so two concurrent sign-ups cannot both win
            user.save()
    except IntegrityError as exc:
        raise taken from exc
    return user


def user_authenticate(*, email: str, password: str) -> User:
    """The user with these credentials; unknown email and wrong password fail alike, in like time."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        User().set_password(password)  # spend the hashing time anyway: no timing oracle for emails
        raise InvalidCredentials()
    if not user.check_password(password):
        raise InvalidCredentials()
    return user


def user_update(*, user: User, name: str | None = None, profile: dict[str, Any] | None = None,
                preferences: dict[str, Any] | None = None) -> User:
    """Apply a partial update of name, profile and preferences; absent keys keep their values."""
    changed: list[str] = []
    if name is not None:
        user.name = name.strip()
        changed.append("name")
    for section, allowed in ((profile or {}, PROFILE_FIELDS), (preferences or {}, PREFERENCE_FIELDS)):
        for field, value in section.items():
            if field in allowed:
                setattr(user, field, value)
                changed.append(field)
    if changed:
        user.save(update_fields=changed)
    return user


def password_change(*, user: User, current_password: str, new_password: str, user_agent: str = "",
                    ip_address: str = "", new_login: bool = True) -> dict[str, Any] | None:
    """Set a new password and end every API login; with `new_login`, open a fresh one for the caller
    (the API's caller needs tokens; a page keeps its session cookie instead)."""
    if not user.check_password(current_password):
        raise WrongPassword("The current password is incorrect.", field="currentPassword")
    try:
        password_validation.validate_password(new_password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="newPassword") from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        logins_revoke(user=user, all_devices=True)
        return login_start(user=user, user_agent=user_agent, ip_address=ip_address) if new_login else None


def user_delete(*, user: User, password: str) -> None:
    """Delete the account and everything it owns (cascades); its tokens die with its logins."""
    if not user.check_password(password):
        raise WrongPassword("The password is incorrect.", field="password")
    user.delete()
