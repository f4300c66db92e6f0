"""JSON log lines and request ids: one object per line, each naming the request it belongs to.

Every request gets an id (the caller's ``X-Request-ID`` when it is sane, else a new one), echoed
on the answer and written on every line the app logs while answering it, with the caller's key
name; the last of those lines is the access line, with the status and the latency.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# Printable ASCII only: an id is copied into logs and headers, where control characters and
# other encodings would forge or break lines. Longer than 200 is no id anyone needs.
VALID_REQUEST_ID = re.compile(r"[\x20-\x7e]{1,200}")
HANDLER_NAME = "skillpath-json"

log = logging.getLogger("skillpath")
access_log = logging.getLogger("skillpath.access")

# What every LogRecord carries; any other attribute came from ``extra=`` and is logged as a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object, with the fields of the request being answered."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a line of JSON; a traceback is a field, not more lines."""
        created = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, Any] = {
            "time": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry.update(request_fields())
        entry.update((k, v) for k, v in vars(record).items() if k not in _RECORD_ATTRIBUTES)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


def request_fields() -> dict[str, Any]:
    """Return what identifies the current request: its id, caller, method and path."""
    caller = g.get("caller")
    return {
        "request_id": g.get("request_id"),
        "key": caller.name if caller is not None else None,
        "method": request.method,
        "path": request.path,
        "remote_addr": request.remote_addr,
    }


def request_id_from(value: str | None) -> str:
    """Return the caller's request id if it is 1-200 printable ASCII characters, else a new one."""
    if value is not None and VALID_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def configure(level: str) -> None:
    """Log the app's records from ``level`` up as JSON lines on stderr.

    Like :func:`logging.basicConfig`, the handler goes on the root logger only when nobody has
    configured logging yet (a test runner or an embedding program may have), so library warnings
    come out as JSON too; gunicorn's own loggers do not propagate there.
    """
    log.setLevel(level.upper())
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.name = HANDLER_NAME
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)


def init_app(app: Flask) -> None:
    """Configure logging and give every request of ``app`` an id, echoed and logged."""
    configure(app.config["SKILLPATH_LOG_LEVEL"])
    # Registered before any other hook, so the id exists before anything can refuse the request
    # and the access line is written after every other hook has shaped the answer.
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.setdefault("request_id", request_id_from(None))
    started = g.get("request_started")
    latency_ms = None if started is None else round((time.perf_counter() - started) * 1000, 2)
    access_log.info(
        "%s %s -> %s",
        request.method,
        request.path,
        response.status_code,
        extra={"status": response.status_code, "latency_ms": latency_ms},
    )
    return response
