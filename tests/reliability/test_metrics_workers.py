"""/metrics under gunicorn adds up every worker, including workers that have since exited."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.reliability.conftest import ROOT, LiveServer, serve

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SENT = 40
HEALTH = {"method": "GET", "endpoint": "health.health", "status": "200"}


def _health_count(server: LiveServer, name: str) -> float:
    answer = server.request("GET", "/metrics")
    assert answer.status == 200
    for family in text_string_to_metric_families(answer.body.decode()):
        for sample in family.samples:
            if sample.name == name and sample.labels.items() >= HEALTH.items():
                if "le" not in sample.labels or sample.labels["le"] == "+Inf":
                    return sample.value
    return 0.0


def _send(server: LiveServer, count: int) -> None:
    # Several at once, so both sync workers answer some of them.
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda _: server.request("GET", "/health").status, range(count)))
    assert statuses == [200] * count


def _replace_workers(server: LiveServer) -> None:
    """Reload gunicorn (HUP) and wait until new workers have replaced every old one."""
    old = set(server.worker_pids())
    os.kill(server.process.pid, signal.SIGHUP)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pids = set(server.worker_pids())
        if len(pids) == 2 and not pids & old:
            return
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not replace its workers {sorted(old)}")


def test_totals_count_every_request_whichever_worker_answered(tmp_path):
    # The `skillpath` console script must migrate with this checkout's code, as gunicorn runs
    # it, even when the environment's editable install points at another checkout.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    with serve("sqlite", tmp_path, PYTHONPATH=path) as server:
        counted = {
            name: _health_count(server, name)
            for name in (
                "skillpath_http_requests_total",
                "skillpath_http_request_duration_seconds_count",
                "skillpath_http_request_duration_seconds_bucket",
            )
        }
        _send(server, SENT)
        for name, before in counted.items():
            assert _health_count(server, name) == before + SENT, name

        # Workers that answered and exited still count: the scrape below is answered by a
        # worker that served none of the requests above.
        _replace_workers(server)
        _send(server, SENT)
        for name, before in counted.items():
            assert _health_count(server, name) == before + 2 * SENT, name
