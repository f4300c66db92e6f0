"""``skillpath deliver`` as processes beside a live server: restarts and two senders at once.

The deliverers run as the operator runs them (``make run``, compose): separate processes
polling the database, here with a real receiver on loopback allowed through
``SKILLPATH_WEBHOOK_ALLOW_HOSTS``. Every request the receiver gets is checked against its
subscription's secret by the receiver's own verifier.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import DATABASES, report_figure
from tests.functional.webhook_receiver import Received, Receiver, verify
from tests.reliability.conftest import ROOT, LiveServer, serve

pytestmark = pytest.mark.reliability
SENDER = "from service.cli import cli; cli()"


@pytest.fixture(scope="module", params=DATABASES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A live server whose webhooks may reach loopback, retrying after a fraction of a second."""
    settings = {
        "SKILLPATH_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",
        "SKILLPATH_WEBHOOK_RETRY_SECONDS": "0.3",
        "SKILLPATH_WEBHOOK_TIMEOUT": "3",
        "SKILLPATH_LOG_LEVEL": "INFO",
    }
    with serve(request.param, tmp_path_factory.mktemp("hooks"), **settings) as server:
        yield server


@contextmanager
def sender(live: LiveServer, log: Path) -> Iterator[subprocess.Popen]:
    """Run ``skillpath deliver`` (this checkout's) against the live server's database."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", SENDER, "deliver", "--poll", "0.1"],
            cwd=ROOT,
            env=live.env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    """Wait until ``check()`` holds, failing the test after ``seconds``."""
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            pytest.fail("timed out waiting for deliveries")
        time.sleep(0.05)


def subscribe(live: LiveServer, url: str) -> dict:
    """Subscribe ``url`` to catalog changes; return the subscription with its secret."""
    answer = live.request("POST", "/v1/webhooks", body={"url": url, "events": ["catalog.changed"]})
    assert answer.status == 201, answer.body
    return answer.body


def write_skills(live: LiveServer, prefix: str, count: int) -> None:
    """Create ``count`` skills, one write (one catalog.changed event) each."""
    for n in range(count):
        ident = f"{prefix}-{n:03d}"
        answer = live.request("PUT", f"/v1/skills/{ident}", body={"name": ident})
        assert answer.status == 201, answer.body


def created(requests: list[Received]) -> list[str]:
    """Return the skill each request told of, in arrival order."""
    return [r.message["data"]["created"][0] for r in requests]


def test_events_written_while_the_sender_is_down_arrive_after_it_starts(live, tmp_path):
    with Receiver([500]) as receiver:
        hook = subscribe(live, receiver.url("/restart"))
        with sender(live, tmp_path / "first.log"):
            write_skills(live, "up", 3)
            # The first answer is a 500: that delivery is retried, the others wait behind it.
            wait_for(lambda: len(receiver.at("/restart")) == 4)
        write_skills(live, "down", 4)
        time.sleep(1)
        assert len(receiver.at("/restart")) == 4
        with sender(live, tmp_path / "second.log"):
            wait_for(lambda: len(receiver.at("/restart")) == 8)
        requests = receiver.at("/restart")
    assert created(requests) == ["up-000"] * 2 + ["up-001", "up-002"] + [
        f"down-{n:03d}" for n in range(4)
    ]
    assert [r.answered for r in requests] == [500] + [200] * 7
    assert all(verify(hook["secret"], r.headers, r.body) for r in requests)
    assert len({r.headers["webhook-id"] for r in requests}) == 7


def _overlaps(requests: list[Received]) -> int:
    """Count the requests that started before the previous one to the same URL had ended."""
    ordered = sorted(requests, key=lambda r: r.started)
    return sum(1 for a, b in pairwise(ordered) if b.started < a.finished)


def test_two_senders_at_once_keep_each_subscription_serial_and_in_order(live, tmp_path, request):
    paths = ("/a", "/b", "/c")
    per_path = 12
    # Slow answers keep both senders busy at once for several seconds.
    with Receiver(delay=0.15) as receiver:
        hooks = {path: subscribe(live, receiver.url(path)) for path in paths}
        write_skills(live, "pair", per_path)
        logs = [tmp_path / "one.log", tmp_path / "two.log"]
        with sender(live, logs[0]), sender(live, logs[1]):
            wait_for(lambda: len(receiver.received) >= per_path * len(paths), seconds=120)
            time.sleep(1)  # time for a duplicate, if one were coming
        received = list(receiver.received)
    expected = [f"pair-{n:03d}" for n in range(per_path)]
    for path in paths:
        mine = receiver.at(path)
        assert created(mine) == expected, path
        assert _overlaps(mine) == 0, path
        assert all(verify(hooks[path]["secret"], r.headers, r.body) for r in mine)
    assert len(received) == per_path * len(paths)
    sent = [_delivered_lines(log) for log in logs]
    report_figure(
        request.config,
        f"webhooks, two senders on {live.database.split(':')[0]}: "
        f"{sent[0]} and {sent[1]} deliveries each, no overlap within a subscription",
    )
    assert all(count > 0 for count in sent), sent


def _delivered_lines(log: Path) -> int:
    """Count the deliveries one sender's log reports."""
    count = 0
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") == "skillpath.webhooks" and entry["message"].endswith("delivered"):
            count += 1
    return count
