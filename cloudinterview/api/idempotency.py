"""Idempotency keys on every POST under /v1 (docs/api.md, "Idempotency"), with Stripe's semantics.

A client that may retry a POST sends `Idempotency-Key: <unique value>`. The first request with a key runs; its
response (status, body and headers) is remembered for IDEMPOTENCY_TTL_SECONDS (24 h). The same key again, from the
same user (or, on routes without a user, the same client IP), on the same path with the same body, replays that
response with `Idempotent-Replayed: true` and runs nothing. The same key with another body or path is a 422; while
the first request is still running, a retry is a 409 with Retry-After.

Only what the endpoint did is remembered: a success (2xx), or a 409 (the state refused the action: remembered, so
a retry cannot act later, when the state has moved on). Any other error (bad input, 401/403, 404, 413, 415, 429,
5xx) leaves the key free, so the corrected or later retry runs, as with Stripe.

Storage is the shared cache, not the database: `add` is one atomic SET NX on Redis (the claim that makes two
concurrent retries run once), keys expire by themselves after 24 h with no table to sweep and no migration,
and it is the store the rate limits already depend on across processes. A cache that loses a key (eviction,
a restart) only loses the replay, never an answer: answers are still guarded by the session's row lock and the
optional `questionId` (interviews.services.flow.answer_submit).

One mechanism for every route: a middleware, because the decision must be taken before any view runs. It finds the
caller with DRF's own authenticators (a second token check, only for requests that carry a key).
"""

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from domain.errors import ApplicationError

from . import strictjson
from .clientip import client_ip
from .exceptions import error_body
from .middleware import API_PREFIX

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
KEY_FORMAT = re.compile(f"[\\x21-\\x7e]{{1,{KEY_MAX_LENGTH}}}")  # printable ASCII without spaces: UUIDs, ULIDs...
# Set per request by the outer middleware (cloudinterview.api.headers), never replayed from another request.
PER_REQUEST_HEADERS = {"x-request-id", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "set-cookie",
                       "date"}
IN_FLIGHT, DONE = "in_flight", "done"


def _refusal(status: int, code: str, message: str, retry_after: int | None = None) -> HttpResponse:
    body = error_body(code, message, {"field": HEADER, "issue": message})
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _fingerprint(request: HttpRequest, body: bytes) -> str:
    """What must match for a replay: method, path and body (JSON compared by value, so key order and spacing
    do not matter)."""
    try:
        canonical = json.dumps(strictjson.loads(body.decode()), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:  # not JSON (or JSON the parser will refuse): compared as bytes
        canonical = body
    digest = hashlib.sha256(f"{request.method} {request.path_info}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def caller_identity(request: HttpRequest) -> str:
    """`user:<id>` when the request carries a valid access token or session, else the client IP with whatever
    credential it sent. Authenticates with DRF's configured authenticators without leaving a trace on the request
    (the view authenticates again)."""
    saved = request.__dict__.get("user")
    drf_request = Request(request, authenticators=[auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES])
    try:
        user = drf_request.user
    except (APIException, ApplicationError):
        user = None
    finally:
        if saved is not None:
            request.user = saved
        else:
            request.__dict__.pop("user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.public_id}"
    # A credential that is not an access token (a refresh token) is part of who is calling: two callers behind one
    # address can never be replayed each other's tokens.
    credential = hashlib.sha256(request.headers.get("Authorization", "").encode()).hexdigest()[:32]
    return f"ip:{client_ip(request.META)}:{credential}"


@dataclass(frozen=True)
class Claim:
    """This request holds the key: it runs, and `finish` remembers (or frees) the key with its response."""

    cache_key: str
    fingerprint: str

    def finish(self, response: HttpResponse) -> None:
        if not (200 <= response.status_code < 300 or response.status_code == 409) or response.streaming:
            cache.delete(self.cache_key)
            return
        headers = [(name, value) for name, value in response.items() if name.lower() not in PER_REQUEST_HEADERS]
        cache.set(self.cache_key, {"state": DONE, "fingerprint": self.fingerprint, "status": response.status_code,
                                   "headers": headers, "body": response.content},
                  settings.IDEMPOTENCY_TTL_SECONDS)

    def abandon(self) -> None:
        cache.delete(self.cache_key)


def _replay(record: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(record["body"], status=record["status"])
    for name, value in record["headers"]:
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _outcome(record: dict[str, Any] | None, fingerprint: str) -> HttpResponse:
    """The answer to a request whose key is already taken."""
    if record is None:  # expired or freed between our `add` and `get`: the first request is just ending
        return _refusal(409, "CONFLICT", "A request with this Idempotency-Key has just finished; retry.", 1)
    if record["fingerprint"] != fingerprint:
        return _refusal(422, "VALIDATION_ERROR", "This Idempotency-Key was used with another request body or path; "
                                                 "use a new key for a different request.")
    if record["state"] == IN_FLIGHT:
        return _refusal(409, "CONFLICT", "A request with this Idempotency-Key is still being processed; retry "
                                         "when it has finished.", 1)
    return _replay(record)


def idempotency_begin(request: HttpRequest) -> HttpResponse | Claim | None:
    """None when the request is not subject to a key; a response to send instead of running it (a replay, or a
    refusal); or the Claim under which it runs."""
    if request.method != "POST" or not request.path_info.startswith(API_PREFIX):
        return None
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_FORMAT.fullmatch(key):
        return _refusal(400, "VALIDATION_ERROR", f"{HEADER} must be 1 to {KEY_MAX_LENGTH} printable ASCII "
                                                 "characters without spaces (a UUID is a good key).")
    try:
        body = request.body
    except RequestDataTooBig:
        return None  # the view refuses it with a 413, which is never remembered
    fingerprint = _fingerprint(request, body)
    scope = hashlib.sha256(f"{caller_identity(request)}\0{key}".encode()).hexdigest()
    cache_key = f"idem:{scope}"
    if cache.add(cache_key, {"state": IN_FLIGHT, "fingerprint": fingerprint}, settings.IDEMPOTENCY_LOCK_SECONDS):
        return Claim(cache_key, fingerprint)
    return _outcome(cache.get(cache_key), fingerprint)


class IdempotencyMiddleware:
    """The door: claim the key, run the view, remember its response. Sync and async capable like every middleware
    in the stack (cloudinterview.api.middleware); the cache and the token check run in Django's sync thread."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if iscoroutinefunction(self):
            return self.__acall__(request)
        claim = idempotency_begin(request)
        if isinstance(claim, HttpResponse):
            return claim
        if claim is None:
            return self.get_response(request)
        try:
            response = self.get_response(request)
        except BaseException:
            claim.abandon()
            raise
        claim.finish(response)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or HEADER not in request.headers:
            return await self.get_response(request)
        claim = await sync_to_async(idempotency_begin)(request)
        if isinstance(claim, HttpResponse):
            return claim
        if claim is None:
            return await self.get_response(request)
        try:
            response = await self.get_response(request)
        except BaseException:
            await sync_to_async(claim.abandon)()
            raise
        await sync_to_async(claim.finish)(response)
        return response
