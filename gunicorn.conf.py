"""gunicorn settings for Skillpath: sync workers, one per core, each opening its own engine."""

import glob
import json
import os
import shutil
import tempfile

import gunicorn.http.wsgi
import gunicorn.util

# gunicorn names itself and its version in every answer's Server header, which tells an
# attacker what to try; the response object reads this module global when it is built.
gunicorn.http.wsgi.SERVER = "skillpath"

# What gunicorn says when it refuses a request before the app sees it (a request line or
# headers over its limits, a malformed request line): by default an HTML page, which clients
# of this API cannot read. Every answer of the API is problem+json, these included.
LIMITS_ADVICE = {
    414: " Send long filters in fewer or shorter query parameters.",
    431: " Send fewer or shorter headers.",
}


def write_problem(sock, status_int, reason, mesg):
    """Write gunicorn's refusal of a request as an RFC 9457 problem and close."""
    detail = f"{mesg.rstrip('.')}.{LIMITS_ADVICE.get(status_int, '')}"
    body = json.dumps(
        {"type": "about:blank", "title": reason, "status": status_int, "detail": detail}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Cache-Control: no-store\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + body)


gunicorn.util.write_error = write_problem

# Each worker is single-threaded; BLAS threads would only fight each other for the cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

# Metrics of every worker are written to files in this folder and summed at each scrape.
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _workers(value: str | None) -> int:
    if not value:
        # The cores this process may run on: a container limited with --cpuset-cpus sees its own.
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise SystemExit(f"SKILLPATH_WORKERS must be a whole number from 1, not {value!r}")
    return count


bind = os.environ.get("SKILLPATH_BIND") or "127.0.0.1:8000"
workers = _workers(os.environ.get("SKILLPATH_WORKERS"))
worker_class = "sync"
timeout = 60
# No preload: the app, and so its database engine, is created after the fork in each worker.
preload_app = False
# The app writes a JSON access line for every request, with its id, key name and latency;
# gunicorn's own would say less, twice. Its error log stays on stderr.
accesslog = None
errorlog = "-"


def on_starting(server):
    """Give the workers an empty metrics folder before the first fork."""
    path = os.environ.get(METRICS_DIR_ENV)
    if path:
        # The operator's folder: samples a previous run left there would be counted again.
        os.makedirs(path, exist_ok=True)
        for stale in glob.glob(os.path.join(path, "*.db")):
            os.remove(stale)
    else:
        path = tempfile.mkdtemp(prefix="skillpath-metrics-")
        os.environ[METRICS_DIR_ENV] = path
        # Kept on the arbiter, which outlives a reload (HUP re-reads this file, not its state).
        server.skillpath_metrics_tmpdir = path


def post_worker_init(worker):
    """Keep the worker's libraries and app out of its garbage collections (catalog/db.py).

    A worker that dies of a fatal signal (a fault in a C extension) writes the Python stack
    of each of its threads to the error log first; otherwise gunicorn would say only which
    signal it was.
    """
    import faulthandler
    import sys

    from catalog.db import freeze_loaded_objects

    log = worker.cfg.errorlog
    # faulthandler writes to a file descriptor at the fault: the log's file, kept open.
    worker.fault_log = sys.stderr if log in (None, "-") else open(log, "a", encoding="utf-8")  # noqa: SIM115
    faulthandler.enable(file=worker.fault_log, all_threads=True)
    freeze_loaded_objects()


def child_exit(server, worker):
    """Let the metrics of a worker that exited stay counted, without its live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder if ``on_starting`` made it."""
    path = getattr(server, "skillpath_metrics_tmpdir", None)
    if path:
        shutil.rmtree(path, ignore_errors=True)
