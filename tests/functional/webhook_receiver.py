"""A webhook receiver for the tests: a real HTTP server in a thread, on loopback.

It checks every signature with its own Standard Webhooks verifier (written from the
specification, sharing no code with the sender), records what it received, and answers from
a script: a list of statuses taken one per request, then 200s.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"
# How far a webhook-timestamp may stray from the receiver's clock (the specification's 5 min).
TOLERANCE_SECONDS = 300


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Tell whether a request carries a valid Standard Webhooks v1 signature under ``secret``."""
    message_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    if not message_id or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    assert secret.startswith("whsec_")
    key = base64.b64decode(secret[len("whsec_") :])
    content = message_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest())
    for candidate in headers.get("webhook-signature", "").split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return True
    return False


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes
    answered: int
    started: float
    finished: float

    @property
    def message(self) -> dict[str, Any]:
        """Return the parsed JSON body."""
        return json.loads(self.body)


class Receiver:
    """A loopback HTTP server recording webhook requests and answering from a script.

    :param script: statuses to answer, one per request, in order; 200 once they run out.
        A 3xx answer carries ``Location: /elsewhere``.
    :param delay: seconds to wait before answering each request.
    """

    def __init__(self, script: list[int] | None = None, delay: float = 0.0):
        self.script = list(script or [])
        self.delay = delay
        self.received: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server interface
                started = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                with receiver.lock:
                    status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                with receiver.lock:
                    receiver.received.append(
                        Received(
                            self.path,
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                            status,
                            started,
                            time.monotonic(),
                        )
                    )

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook") -> str:
        """Return the URL of ``path`` on this receiver."""
        return f"http://{HOST}:{self.server.server_address[1]}{path}"

    def at(self, path: str) -> list[Received]:
        """Return what arrived at ``path``, in arrival order."""
        with self.lock:
            return [r for r in self.received if r.path == path]
