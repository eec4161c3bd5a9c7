"""Who is on a WebSocket: an access token, as `Authorization: Bearer <accessToken>` (non-browser clients; browsers
cannot set headers on a WebSocket) or `?token=<accessToken>`, from any origin; or the page's session cookie from an
allowed origin (docs/api.md, "Live interview").

A token is a credential the client chose to send, so it is accepted from anywhere. A cookie is sent by
the browser on its own, so a cookie socket opened by another site's page (cross-site WebSocket
hijacking) is refused at the handshake (HTTP 403). Without valid credentials (no token and no session
cookie, whatever the Origin) the handshake goes on with an anonymous user and the consumer closes with
4401, so clients see the code.
"""

from typing import Any
from urllib.parse import parse_qs, urlsplit

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import parse_cookie
from django.http.request import split_domain_port, validate_host

from accounts.tokens import access_token_login
from cloudinterview.handshake import off_sync_thread
from domain.errors import InvalidToken

Scope = dict[str, Any]


def query_token(scope: Scope) -> str | None:
    """The `token` query parameter; an empty one still counts (and fails), it never falls back to cookies."""
    params = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    values = params.get("token")
    return values[0] if values else None


def bearer_token(scope: Scope) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; anything else in that header counts as a token that
    fails (a malformed credential is refused, never passed over for the cookie)."""
    value = _header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _header(scope: Scope, name: bytes) -> str | None:
    values = [value for key, value in scope.get("headers", []) if key.lower() == name]
    return values[0].decode("latin-1").strip() if len(values) == 1 else None


def origin_allowed(scope: Scope) -> bool:
    """The page's origin is the host itself (and that host is allowed) or listed in CORS_ALLOWED_ORIGINS.

    A missing, repeated or `null` Origin is refused: every browser sends exactly one.
    """
    origin = (_header(scope, b"origin") or "").lower().rstrip("/")
    parsed = urlsplit(origin)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return False
    if origin in {allowed.lower().rstrip("/") for allowed in settings.CORS_ALLOWED_ORIGINS}:
        return True
    host = (_header(scope, b"host") or "").lower()
    domain, _ = split_domain_port(host)
    return parsed.netloc == host and bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def has_session_cookie(scope: Scope) -> bool:
    """Only a session cookie makes a socket's Origin matter: without one there is nothing to hijack."""
    cookies = [value for key, value in scope.get("headers", []) if key.lower() == b"cookie"]
    return any(settings.SESSION_COOKIE_NAME in parse_cookie(value.decode("latin-1")) for value in cookies)


def _token_login(raw: str) -> tuple[Any, str | None]:
    """The user behind a live access token and its login's sid; anonymous when it is expired, malformed or
    revoked (logout). The sid lets the consumer notice a logout that happens while the socket is open."""
    try:
        login, _ = access_token_login(raw)
    except InvalidToken:
        return AnonymousUser(), None
    return login.user, login.sid


token_login = off_sync_thread(_token_login)


class WebSocketAuthMiddleware:
    """Sets `scope["user"]` (and `scope["auth"]`: "token", "cookie" or None without credentials, and
    `scope["login_sid"]` for tokens)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.cookie_auth = AuthMiddlewareStack(inner)
        self.deny = WebsocketDenier.as_asgi()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        token = query_token(scope)
        if token is None:
            token = bearer_token(scope)
        if token is not None:
            user, sid = await token_login(token)
            return await self.inner({**scope, "user": user, "auth": "token", "login_sid": sid}, receive, send)
        if not has_session_cookie(scope):
            return await self.inner({**scope, "user": AnonymousUser(), "auth": None}, receive, send)
        if not origin_allowed(scope):
            return await self.deny(scope, receive, send)
        return await self.cookie_auth({**scope, "auth": "cookie"}, receive, send)
