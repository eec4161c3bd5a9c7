"""Standard Webhooks signatures (docs/webhooks.md): HMAC-SHA256 over `id.timestamp.body`, sent as
`v1,<base64>`; several space-separated while a rotated secret still signs beside the new one."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence

SECRET_PREFIX = "whsec_"  # noqa: S105 - the serialisation prefix, not a secret
SECRET_BYTES = 32  # the specification asks for 24 to 64 random bytes
SIGNATURE_VERSION = "v1"


def secret_new() -> str:
    """A fresh signing secret in the specification's serialisation: `whsec_` + base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64 HMAC-SHA256>` over `msg_id.timestamp.body`, exactly the bytes sent."""
    digest = hmac.new(_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signed_headers(*, secrets_in_use: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three `webhook-*` headers; one signature per secret in use, newest first."""
    signatures = " ".join(signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_in_use)
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signatures}
