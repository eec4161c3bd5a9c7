"""Auth endpoints: one ViewSet whose actions validate, call one accounts service and serialize. The user's own
resource (`/users/me`) is served by feedback/apis.py, which computes its stats."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from cloudinterview.api.clientip import client_ip
from cloudinterview.api.responses import envelope, validated
from cloudinterview.api.schema import envelope_schema, errors
from cloudinterview.api.throttling import AuthThrottle, SessionsThrottle, user_ident
from domain.errors import InvalidToken

from . import schema  # noqa: F401  (registers the OpenAPI description of our token authentication)
from . import serializers as s
from .authentication import bearer_token
from .services import password_change, user_authenticate, user_register
from .stats import EMPTY_STATS, user_stats_for
from .tokens import login_start, logins_revoke, tokens_refresh

AuthResponse = envelope_schema("AuthResponse", user=s.UserWithStatsOutput(), tokens=s.TokensOutput())
TokensResponse = envelope_schema("TokensResponse", tokens=s.TokensOutput())
OkResponse = envelope_schema("OkResponse")
AUTH_TAGS = ["auth"]
PUBLIC = {"authentication_classes": [], "permission_classes": [AllowAny]}


def _client(request: Request) -> dict[str, str]:
    return {"user_agent": request.META.get("HTTP_USER_AGENT", ""), "ip_address": client_ip(request.META)}


def _presented_refresh(request: Request) -> str | None:
    body = request.data if isinstance(request.data, dict) else {}
    raw = body.get("refreshToken")
    return raw if isinstance(raw, str) and raw else bearer_token(request)


class RefreshThrottle(SessionsThrottle):
    """Refresh counts under the sessions scope per user (docs/api.md, "Rate limits"): the user is the one the
    presented token was signed for; an unverifiable token counts against the client's IP instead."""

    def ident(self, request: Request) -> str:
        try:
            token = RefreshToken(_presented_refresh(request) or "")
        except (TokenError, InvalidToken):
            return super().ident(request)
        return user_ident(token.get(settings.SIMPLE_JWT["USER_ID_CLAIM"]))


class AuthViewSet(viewsets.ViewSet):
    """`/auth/...`. Sign-up and log-in return the account with its `stats`, as `GET /users/me` does: a new
    account's are empty (no query), a log-in's come from feedback's analytics through accounts.stats."""

    throttle_classes = [SessionsThrottle]

    @extend_schema(request=s.RegisterInput, responses={201: AuthResponse, **errors(400, 409, 413, 429)}, auth=[],
                   tags=AUTH_TAGS, summary="Create an account",
                   description="Creates an account and signs it in: the new user (with empty stats) and a pair of "
                               "tokens. An email already registered is a 409 CONFLICT.")
    @action(detail=False, methods=["post"], throttle_classes=[AuthThrottle], **PUBLIC)
    def register(self, request: Request) -> Response:
        user = user_register(**validated(s.RegisterInput, request.data))
        tokens = login_start(user=user, **_client(request))
        user_data = s.UserWithStatsOutput(user, context={"stats": EMPTY_STATS}).data
        return envelope(status=201, user=user_data, tokens=tokens)

    @extend_schema(request=s.LoginInput, responses={200: AuthResponse, **errors(400, 401, 429)}, auth=[],
                   tags=AUTH_TAGS, summary="Log in",
                   description="Exchanges an email and password for the user (with the stats of their sessions) "
                               "and a pair of tokens: a short-lived access token for `Authorization: Bearer`, and "
                               "a refresh token. Wrong credentials are a 401 INVALID_CREDENTIALS.")
    @action(detail=False, methods=["post"], throttle_classes=[AuthThrottle], **PUBLIC)
    def login(self, request: Request) -> Response:
        user = user_authenticate(**validated(s.LoginInput, request.data))
        tokens = login_start(user=user, **_client(request))
        return envelope(user=s.UserWithStatsOutput(user, context={"stats": user_stats_for(user=user)}).data,
                        tokens=tokens)

    @extend_schema(request=s.RefreshInput, responses={200: TokensResponse, **errors(400, 401, 429)}, auth=[],
                   tags=AUTH_TAGS, summary="Refresh the tokens",
                   description="Exchanges a refresh token for a new pair (the old refresh token stops working). The "
                               "refresh token comes as `Authorization: Bearer` or in the body's `refreshToken`.")
    @action(detail=False, methods=["post"], throttle_classes=[RefreshThrottle], **PUBLIC)
    def refresh(self, request: Request) -> Response:
        validated(s.RefreshInput, request.data or {})
        raw = _presented_refresh(request)
        if not raw:
            raise InvalidToken("A refresh token is required.")
        return envelope(tokens=tokens_refresh(raw_refresh=raw))

    @extend_schema(request=s.LogoutInput, responses={200: OkResponse, **errors(400, 401, 429)}, tags=AUTH_TAGS,
                   summary="Log out",
                   description="Ends this login (its refresh token stops working), or every login of the user "
                               "with `allDevices: true`.")
    @action(detail=False, methods=["post"])
    def logout(self, request: Request) -> Response:
        data = validated(s.LogoutInput, request.data or {})
        logins_revoke(user=request.user, sid=request.auth.get("sid"), all_devices=data["all_devices"])
        return envelope()

    @extend_schema(request=s.PasswordChangeInput, responses={200: TokensResponse, **errors(400, 401, 429)},
                   tags=AUTH_TAGS, summary="Change the password",
                   description="Changes the password given the current one; every other login ends, and this "
                               "one gets a new pair of tokens.")
    @action(detail=False, methods=["post"])
    def password(self, request: Request) -> Response:
        tokens = password_change(user=request.user, **validated(s.PasswordChangeInput, request.data),
                                 **_client(request))
        return envelope(tokens=tokens)
