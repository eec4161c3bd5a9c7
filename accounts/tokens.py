"""JWT pairs bound to a Login row: rotation, reuse detection and revocation (docs/api.md, "Accounts")."""

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from cloudinterview.api.strictjson import storable
from domain.errors import InvalidToken

from .models import Login, User


def _pair(login: Login) -> dict[str, Any]:
    """Mint a pair for `login` and record the refresh token's jti as the only live one; caller saves."""
    refresh = RefreshToken.for_user(login.user)
    refresh["sid"] = login.sid
    login.refresh_jti = refresh["jti"]
    return {
        "accessToken": str(refresh.access_token),
        "refreshToken": str(refresh),
        "tokenType": "Bearer",
        "expiresIn": int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()),
    }


def login_start(*, user: User, user_agent: str = "", ip_address: str = "") -> dict[str, Any]:
    """Open a new login for `user` and return its first token pair."""
    # A header is the client's text: a NUL in it would fail the insert on PostgreSQL (docs/security.md).
    login = Login(user=user, sid=secrets.token_hex(16), user_agent=storable(user_agent[:200]),
                  ip_address=ip_address[:64])
    tokens = _pair(login)
    login.save()
    user.last_active = login.created_at
    User.objects.filter(pk=user.pk).update(last_active=login.created_at)
    return tokens


def tokens_refresh(*, raw_refresh: str) -> dict[str, Any]:
    """Rotate: the presented refresh token dies and a new pair is issued.

    Locks the login row so two concurrent refreshes cannot both succeed. A token that is
    valid but no longer current was already rotated: someone replayed it, so the whole
    login is revoked (the revocation commits before the error is raised).
    """
    try:
        token = RefreshToken(raw_refresh)
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    reused = False
    with transaction.atomic():
        login = (
            Login.objects.select_for_update()
            .select_related("user")
            .filter(sid=token.get("sid"), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if login is None:
            raise InvalidToken("This login has ended.")
        if login.refresh_jti != token.get("jti"):
            login.revoked_at = timezone.now()
            login.save(update_fields=["revoked_at"])
            reused = True
        else:
            tokens = _pair(login)
            login.refreshed_at = timezone.now()
            login.save(update_fields=["refresh_jti", "refreshed_at"])
    if reused:
        raise InvalidToken("This refresh token was already used; the login has been ended.")
    return tokens


def access_token_login(raw_access: str) -> tuple[Login, AccessToken]:
    """The live login behind an access token, with its user, in one query; InvalidToken otherwise."""
    try:
        token = AccessToken(raw_access)
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    login = (
        Login.objects.select_related("user")
        .filter(sid=token.get("sid"), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if login is None or login.user.public_id != token.get(settings.SIMPLE_JWT["USER_ID_CLAIM"]):
        raise InvalidToken("This login has ended.")
    return login, token


def logins_revoke(*, user: User, sid: str | None = None, all_devices: bool = False) -> int:
    """End one login (by sid) or all of the user's; returns how many were ended."""
    logins = Login.objects.filter(user=user, revoked_at__isnull=True)
    if not all_devices:
        logins = logins.filter(sid=sid)
    return logins.update(revoked_at=timezone.now())
