"""A live service for the reliability tests: gunicorn with two sync workers on loopback.

Each test module gets its own server on a fresh database: a SQLite file always, and a
PostgreSQL database of its own when ``SKILLPATH_TEST_DATABASE_URL`` names a server. Requests
go over real sockets, so races between workers and processes are real races.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gunicorn
import pytest

from catalog import migrate
from tests.conftest import DATABASES, postgres_database

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
ADMIN_KEY = "reliability-admin-key-0123456789"
WORKERS = 2
# gunicorn 25.1 and later listen on one control socket per user ($HOME/.gunicorn/gunicorn.ctl):
# servers started side by side (these, another checkout's, `make run`) would take it in turns.
NO_CONTROL_SOCKET = ["--no-control-socket"] if gunicorn.version_info >= (25, 1) else []


def executable(name: str) -> str:
    """Return a console script installed beside this Python."""
    return str(Path(sys.executable).with_name(name))


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, headers (lower-case names) and the body parsed if JSON."""

    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class LiveServer:
    """A running gunicorn serving the app, and a small client for it."""

    port: int
    process: subprocess.Popen
    env: dict[str, str]
    error_log: Path
    database: str
    admin: dict[str, str] = field(default_factory=lambda: {"Authorization": f"Bearer {ADMIN_KEY}"})

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Answer:
        """Send one request on a new connection and return the answer."""
        sent = dict(self.admin)
        if body is not None:
            raw = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=raw, headers=sent)
            response = conn.getresponse()
            data = response.read()
            names = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        parsed: Any = data
        if "json" in names.get("content-type", ""):
            parsed = json.loads(data) if data else None
        return Answer(response.status, names, parsed)

    def worker_pids(self) -> list[int]:
        """Return the pids of the gunicorn workers (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def error_text(self) -> str:
        """Return what gunicorn and the app wrote to the error log."""
        return self.error_log.read_text(errors="replace")


def race(calls) -> list[Answer]:
    """Run the calls at once (released together by a barrier) and return their answers."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _wait_until_up(server: LiveServer, deadline: float = 60) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{server.error_text()[-3000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if server.request("GET", "/health", timeout=5).status == 200:
                return
        time.sleep(0.2)
    pytest.fail("gunicorn did not answer /health within 60 s")


@contextlib.contextmanager
def _database(kind: str, tmp: Path) -> Iterator[str]:
    """Yield the URL of a fresh, empty database of ``kind``; drop it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'live.db'}"
        return
    with postgres_database(f"skillpath_live_{uuid.uuid4().hex[:12]}") as url:
        yield url


@contextlib.contextmanager
def serve(kind: str, tmp: Path, **settings: str) -> Iterator[LiveServer]:
    """Run gunicorn on a fresh ``kind`` database until the block ends."""
    with _database(kind, tmp) as url:
        env = {
            **os.environ,
            "SKILLPATH_DATABASE_URL": url,
            "SKILLPATH_ADMIN_KEY": ADMIN_KEY,
            "SKILLPATH_LOG_LEVEL": "WARNING",
            "PYTHONFAULTHANDLER": "1",
            # These tests race and hammer on purpose; rate limits have tests of their own.
            "SKILLPATH_RATELIMIT": "100000/minute",
            "SKILLPATH_INDEX_DIR": str(tmp / "index"),
            **settings,
        }
        # This checkout's migrations (not those of whichever one the environment installed),
        # run here rather than in a fresh interpreter that would import them all again.
        migrate.upgrade(url)
        port = free_port()
        error_log = tmp / f"gunicorn-{port}.log"
        command = [
            executable("gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"{HOST}:{port}",
            "--workers", str(WORKERS), "--access-logfile", "/dev/null",
            "--error-logfile", str(error_log), *NO_CONTROL_SOCKET, "wsgi:app",
        ]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        server = LiveServer(port, process, env, error_log, url)
        try:
            _wait_until_up(server)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


@pytest.fixture(scope="module", params=DATABASES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A live server on a fresh database, shared by the tests of one module."""
    with serve(request.param, tmp_path_factory.mktemp("live")) as server:
        yield server
