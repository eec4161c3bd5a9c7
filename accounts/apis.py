"""Auth and profile endpoints: thin doors onto accounts.services."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from cloudinterview.api.clientip import client_ip
from cloudinterview.api.responses import envelope, validated
from cloudinterview.api.schema import envelope_schema, errors
from cloudinterview.api.throttling import AuthThrottle, SessionsThrottle, user_ident
from domain.errors import InvalidToken

from . import serializers as s
from .authentication import bearer_token
from .services import password_change, user_authenticate, user_delete, user_register, user_update
from .tokens import login_start, logins_revoke, tokens_refresh

AuthResponse = envelope_schema("AuthResponse", user=s.UserOutput(), tokens=s.TokensOutput())
TokensResponse = envelope_schema("TokensResponse", tokens=s.TokensOutput())
UserResponse = envelope_schema("UserResponse", user=s.UserOutput())
OkResponse = envelope_schema("OkResponse")


def _client(request: Request) -> dict[str, str]:
    return {"user_agent": request.META.get("HTTP_USER_AGENT", ""), "ip_address": client_ip(request.META)}


class RegisterApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema(request=s.RegisterInput, responses={201: AuthResponse, **errors(400, 409, 413, 429)},
                   auth=[], tags=["auth"])
    def post(self, request: Request) -> Response:
        data = validated(s.RegisterInput, request.data)
        user = user_register(**data)
        tokens = login_start(user=user, **_client(request))
        return envelope(status=201, user=s.UserOutput(user).data, tokens=tokens)


class LoginApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema(request=s.LoginInput, responses={200: AuthResponse, **errors(400, 401, 429)}, auth=[],
                   tags=["auth"])
    def post(self, request: Request) -> Response:
        data = validated(s.LoginInput, request.data)
        user = user_authenticate(**data)
        tokens = login_start(user=user, **_client(request))
        return envelope(user=s.UserOutput(user).data, tokens=tokens)


def _presented_refresh(request: Request) -> str | None:
    body = request.data if isinstance(request.data, dict) else {}
    raw = body.get("refreshToken")
    return raw if isinstance(raw, str) and raw else bearer_token(request)


class RefreshThrottle(SessionsThrottle):
    """Refresh counts under the sessions scope per user (CONTRACT section 12): the user is the one the
    presented token was signed for; an unverifiable token counts against the client's IP instead."""

    def ident(self, request: Request) -> str:
        try:
            token = RefreshToken(_presented_refresh(request) or "")
        except (TokenError, InvalidToken):
            return super().ident(request)
        return user_ident(token.get(settings.SIMPLE_JWT["USER_ID_CLAIM"]))


class RefreshApi(APIView):
    """The refresh token comes as `Authorization: Bearer` (the seed's form) or in the body."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [RefreshThrottle]

    @extend_schema(request=s.RefreshInput, responses={200: TokensResponse, **errors(400, 401, 429)}, auth=[],
                   tags=["auth"])
    def post(self, request: Request) -> Response:
        validated(s.RefreshInput, request.data or {})
        raw = _presented_refresh(request)
        if not raw:
            raise InvalidToken("A refresh token is required.")
        return envelope(tokens=tokens_refresh(raw_refresh=raw))


class LogoutApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=s.LogoutInput, responses={200: OkResponse, **errors(400, 401, 429)}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = validated(s.LogoutInput, request.data or {})
        logins_revoke(user=request.user, sid=request.auth.get("sid"), all_devices=data["all_devices"])
        return envelope()


class PasswordApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(request=s.PasswordChangeInput, responses={200: TokensResponse, **errors(400, 401, 429)},
                   tags=["auth"])
    def post(self, request: Request) -> Response:
        data = validated(s.PasswordChangeInput, request.data)
        tokens = password_change(user=request.user, **data, **_client(request))
        return envelope(tokens=tokens)


class MeApi(APIView):
    throttle_classes = [SessionsThrottle]

    @extend_schema(responses={200: UserResponse, **errors(401, 429)}, tags=["users"])
    def get(self, request: Request) -> Response:
        return envelope(user=s.UserOutput(request.user).data)

    @extend_schema(request=s.UserUpdateInput, responses={200: UserResponse, **errors(400, 401, 429)},
                   tags=["users"])
    def put(self, request: Request) -> Response:
        data = validated(s.UserUpdateInput, request.data)
        user = user_update(user=request.user, **data)
        return envelope(user=s.UserOutput(user).data)

    @extend_schema(request=s.UserUpdateInput, responses={200: UserResponse, **errors(400, 401, 429)},
                   tags=["users"])
    def patch(self, request: Request) -> Response:
        return self.put(request)

    @extend_schema(request=s.UserDeleteInput, responses={204: OpenApiResponse(description="Deleted"),
                                                        **errors(400, 401, 429)}, tags=["users"])
    def delete(self, request: Request) -> Response:
        data = validated(s.UserDeleteInput, request.data)
        user_delete(user=request.user, **data)
        return Response(status=204)
