"""DRF authentication by access token, refusing tokens whose login was revoked."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from domain.errors import InvalidToken

from .models import User
from .tokens import access_token_login

LAST_ACTIVE_RESOLUTION = timedelta(minutes=5)


def touch_last_active(user: User) -> None:
    """Record activity, at most one write per user every few minutes."""
    now = timezone.now()
    if user.last_active is None or now - user.last_active > LAST_ACTIVE_RESOLUTION:
        User.objects.filter(pk=user.pk).update(last_active=now)
        user.last_active = now


def bearer_token(request: Request) -> str | None:
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != b"bearer":
        return None
    if len(parts) != 2:
        raise InvalidToken("The Authorization header must be 'Bearer <token>'.")
    return parts[1].decode("latin-1")


class LoginTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, object] | None:
        raw = bearer_token(request)
        if raw is None:
            return None
        login, token = access_token_login(raw)
        touch_last_active(login.user)
        return login.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
