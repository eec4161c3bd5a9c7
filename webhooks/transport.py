"""One signed POST to a checked address, with a timeout, following no redirect, reading only a bounded
excerpt of the answer. Never raises for the receiver's faults: every outcome is a `SendResult`."""

import time
from dataclasses import dataclass

import httpx

from .addresses import UrlRefused, target_for

EXCERPT_CHARS = 1000
EXCERPT_READ_BYTES = 4096
USER_AGENT = "CloudInterview-Webhooks/1"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    latency_ms: int | None = None
    retry_after: float | None = None

    @property
    def succeeded(self) -> bool:
        """The specification's rule: any 2xx is a success, anything else (3xx included) a failure."""
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        """410 Gone: the receiver asks us to stop sending (the endpoint is disabled)."""
        return self.status_code == 410


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: ignored, the backoff schedule applies


def _read_excerpt(response: httpx.Response, deadline: float) -> str:
    received = b""
    for chunk in response.iter_bytes():
        received += chunk
        if len(received) >= EXCERPT_READ_BYTES or time.monotonic() > deadline:
            break
    return received[:EXCERPT_READ_BYTES].decode("utf-8", errors="replace")[:EXCERPT_CHARS]


def post_signed(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendResult:
    """POST `body` to `url` with `headers`, connecting to the address `target_for` checked.

    TLS still verifies the certificate against the URL's host name (sent as SNI); proxies from the
    environment are ignored so the connection goes where it was checked to go.
    """
    try:
        target = target_for(url)
    except UrlRefused as exc:
        return SendResult(error=f"Refused: {exc}")
    request_headers = {"Host": target.host_header, "Content-Type": "application/json", "User-Agent": USER_AGENT,
                       **headers}
    extensions = {} if target.host_is_address else {"sni_hostname": target.host}
    started = time.monotonic()
    deadline = started + timeout
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False) as client:
            request = client.build_request("POST", target.connect_url, content=body, headers=request_headers,
                                           extensions=extensions)
            response = client.send(request, stream=True)
            try:
                latency = round((time.monotonic() - started) * 1000)
                excerpt = _read_excerpt(response, deadline)
            finally:
                response.close()
    except httpx.TimeoutException:
        return SendResult(error=f"Timed out after {timeout:g} s.",
                          latency_ms=round((time.monotonic() - started) * 1000))
    except httpx.HTTPError as exc:
        return SendResult(error=f"{type(exc).__name__}: {exc}"[:300],
                          latency_ms=round((time.monotonic() - started) * 1000))
    return SendResult(status_code=response.status_code, excerpt=excerpt, latency_ms=latency,
                      retry_after=_retry_after(response.headers.get("retry-after")))
