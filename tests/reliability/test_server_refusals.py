"""What gunicorn refuses before the app sees a request is problem+json too.

A request line or headers over gunicorn's limits, or a request line that is no HTTP, never
reach Flask; gunicorn answers them itself, by default with an HTML page no client of this API
can read. ``gunicorn.conf.py`` makes those answers problems like every other one.
"""

from __future__ import annotations

import json
import socket

import pytest

from tests.reliability.conftest import HOST, LiveServer

pytestmark = pytest.mark.reliability


def raw_exchange(live: LiveServer, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are and return the status, headers and body of the answer."""
    with socket.create_connection((HOST, live.port), timeout=30) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    ("label", "request_bytes", "status"),
    [
        (
            "a request line over the limit",
            b"GET /v1/skills?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            414,
        ),
        (
            "a header over the limit",
            b"GET /v1/skills HTTP/1.1\r\nHost: x\r\nX-Long: " + b"x" * 9000 + b"\r\n\r\n",
            431,
        ),
        (
            "too many headers",
            b"GET /v1/skills HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-H%d: 1\r\n" % n for n in range(150))
            + b"\r\n",
            431,
        ),
        ("a request line that is no HTTP", b"HELLO\r\n\r\n", 400),
    ],
)
def test_refusals_before_the_app_are_problems(live: LiveServer, label, request_bytes, status):
    answer_status, headers, body = raw_exchange(live, request_bytes)
    assert answer_status == status, (label, answer_status, body[:200])
    assert headers["content-type"] == "application/problem+json", (label, headers)
    assert headers["x-content-type-options"] == "nosniff"
    assert int(headers["content-length"]) == len(body)
    problem = json.loads(body)
    assert problem["status"] == status and problem["title"] and problem["detail"], problem
    assert "<html" not in body.decode()
