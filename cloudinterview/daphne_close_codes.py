"""Let the application close a WebSocket with the protocol's own codes under Daphne.

Daphne hands an application's close code to autobahn's `sendClose`, which accepts only 1000 and
3000-4999 (the codes a browser *script* may send) and raises on anything else; Daphne then fails the
connection with 1011. So the socket's 1009 for an oversized message reached clients as 1011 (an
internal error). RFC 6455 section 7.4.1 lets an endpoint send these codes, and autobahn's
`sendCloseFrame` sends them: Daphne's `serverClose` uses it for them (daphne issue 374).
"""

from daphne.ws_protocol import WebSocketProtocol

# Going away, protocol error, unacceptable data, invalid payload, policy violation, message too big,
# internal error, service restart, try again later, bad gateway.
ENDPOINT_CODES = frozenset({1001, 1002, 1003, 1007, 1008, 1009, 1011, 1012, 1013, 1014})

_daphne_server_close = WebSocketProtocol.serverClose


def _server_close(self: WebSocketProtocol, code: int | None = None) -> None:
    if code in ENDPOINT_CODES:
        self.sendCloseFrame(code=code)
    else:
        _daphne_server_close(self, code)


def install() -> None:
    """Idempotent; cloudinterview.asgi calls it when the application loads."""
    WebSocketProtocol.serverClose = _server_close
