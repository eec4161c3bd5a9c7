"""Liveness and readiness probes, outside the API envelope (README.md, "Health")."""

import secrets
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from cloudinterview.celery import app
from sandbox import detect_isolation

READY_TIMEOUT_SECONDS = 2.0


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = f"readyz:{secrets.token_hex(4)}"
    cache.set(key, "1", 5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value it stored")
    cache.delete(key)


async def _channel_round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "readyz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "readyz.ping":
        raise RuntimeError("channel layer returned a different message")


def _channel_layer() -> None:
    async_to_sync(_channel_round_trip)()


def _broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # tasks run in this process: there is no broker to reach
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=READY_TIMEOUT_SECONDS)


def _sandbox() -> dict[str, Any]:
    isolation = detect_isolation()
    return {"isolation": isolation["level"], "missing": list(isolation["missing"])}


CHECKS = {"database": _database, "cache": _cache, "channelLayer": _channel_layer, "broker": _broker}


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every dependency answers; 503 naming the failing ones (and a required-but-weak sandbox)."""
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is reported by name, never raised
            checks[name] = f"{type(exc).__name__}: {exc}"[:300]
    sandbox = _sandbox()
    ready = all(v == "ok" for v in checks.values())
    if sandbox["isolation"] != "full" and settings.SANDBOX_REQUIRE_STRONG:
        ready = False
    body = {"status": "ok" if ready else "unavailable", "checks": checks, "sandbox": sandbox}
    return JsonResponse(body, status=200 if ready else 503)
