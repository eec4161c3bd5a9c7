"""The client's address: the socket peer, or X-Forwarded-For only when the peer is a trusted proxy."""

import ipaddress
from typing import Any

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_ip(meta: dict[str, Any]) -> str:
    """Walk X-Forwarded-For from the right, skipping trusted proxies; a client cannot forge its way in."""
    peer = meta.get("REMOTE_ADDR") or "unknown"
    if not _trusted(peer):
        return peer
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _trusted(address):
            return address
    return forwarded[0] if forwarded else peer
