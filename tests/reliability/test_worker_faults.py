"""A worker that dies of a fatal signal says where, in the error log, before gunicorn restarts it.

A fault in a C extension kills a worker with nothing but gunicorn's "worker exited on signal"
otherwise, which names neither the request nor the code; ``gunicorn.conf.py`` enables Python's
faulthandler in every worker, whatever the environment says.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import serve

pytestmark = pytest.mark.reliability


def test_a_worker_killed_by_a_segfault_leaves_its_stack_in_the_log(tmp_path):
    # Without PYTHONFAULTHANDLER (which the other live servers set): the server's own setting.
    with serve("sqlite", tmp_path, PYTHONFAULTHANDLER="") as live:
        assert live.request("GET", "/health").status == 200
        # A worker still loading the app has no handler yet: wait (a while) until each one has
        # opened the log for it; gunicorn's own handler holds it open once already.
        ready_by = time.monotonic() + 20
        while time.monotonic() < ready_by and not all(
            _opened(pid, live.error_log) >= 2 for pid in live.worker_pids()
        ):
            time.sleep(0.1)
        victim = live.worker_pids()[0]
        os.kill(victim, signal.SIGSEGV)
        end = time.monotonic() + 30
        while "Fatal Python error: Segmentation fault" not in live.error_text():
            assert time.monotonic() < end, live.error_text()[-3000:]
            time.sleep(0.1)
        log = live.error_text()
        assert "Current thread" in log or "Thread 0x" in log  # the stack follows
        # gunicorn puts a new worker in its place, and the server goes on answering.
        while victim in live.worker_pids() or len(live.worker_pids()) < 2:
            assert time.monotonic() < end + 30, "no worker replaced the one that died"
            time.sleep(0.1)
        assert live.request("GET", "/health").status == 200


def _opened(pid: int, path: Path) -> int:
    """Return how many of the process's file descriptors are open on ``path``."""
    try:
        return sum(
            os.path.realpath(fd) == str(path.resolve())
            for fd in (f"/proc/{pid}/fd/{name}" for name in os.listdir(f"/proc/{pid}/fd"))
        )
    except OSError:  # the process is gone, or a descriptor closed under us
        return 0
