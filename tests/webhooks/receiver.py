"""A real webhook consumer on a loopback address, started by the tests: it records every request, answers as
scripted (a status, or a delay past the sender's timeout), and applies each event once by its `webhook-id`,
the way the specification asks receivers to (docs/webhooks.md)."""

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    def verify(self, secret: str) -> dict[str, Any]:
        """The standardwebhooks package's verification, independent of our signing code."""
        return Webhook(secret).verify(self.body, self.headers)


@dataclass
class Receiver:
    host: str = "127.0.0.1"
    requests: list[Received] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)  # webhook-ids whose effect ran, once each
    # One step per request: ("status", code), ("status", code, {header: value}), ("sleep", seconds) then 200,
    # or ("redirect", location).
    script: deque = field(default_factory=deque)
    server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hooks") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def answer(self, *steps: tuple[str, Any]) -> None:
        """Script the next answers in order; afterwards every request gets 200."""
        self.script.extend(steps)

    def events(self) -> list[dict[str, Any]]:
        return [r.event for r in self.requests]

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.requests)

    def start(self) -> "Receiver":
        receiver = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with lock:
                    receiver.requests.append(Received(self.path, headers, body))
                    step = receiver.script.popleft() if receiver.script else ("status", 200)
                kind, value, extra_headers = (*step, {})[:3]
                if kind == "sleep":
                    time.sleep(value)
                    status = 200
                elif kind == "redirect":
                    self.send_response(302)
                    self.send_header("Location", value)
                    self.end_headers()
                    return
                else:
                    status = value
                if 200 <= status < 300:
                    with lock:
                        if headers["webhook-id"] not in receiver.applied:
                            receiver.applied.append(headers["webhook-id"])
                self.send_response(status)
                for name, header_value in extra_headers.items():
                    self.send_header(name, header_value)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(f"answered {status} ".encode() + b"x" * 5000)

            def log_message(self, *args: object) -> None:
                return

        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server_class = type("LoopbackServer", (ThreadingHTTPServer,), {"address_family": family,
                                                                      "daemon_threads": True})
        self.server = server_class((self.host, 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
