"""Logs are JSON lines naming the request: its id, the caller's key, the status and latency."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from service import logs

Lines = Callable[[], list[dict]]


@pytest.fixture
def config(config):
    """Log from INFO up, whatever the environment running the tests says."""
    return {**config, "SKILLPATH_LOG_LEVEL": "INFO"}


@pytest.fixture
def lines() -> Iterator[Lines]:
    """Capture what the JSON formatter writes for the app's loggers; return a reader of it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("skillpath")
    logger.addHandler(handler)

    def read() -> list[dict]:
        # Every line must be one JSON object, or log shippers would split or drop it.
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    logger.removeHandler(handler)


def _access(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["logger"] == "skillpath.access"]


def test_each_request_writes_one_access_line_with_its_id_key_status_and_latency(
    client, new_key, lines
):
    headers = new_key("recommend", name="lxp")
    answer = client.get("/v1/skills", headers={**headers, "X-Request-ID": "lxp-42"})
    assert answer.status_code == 200
    (line,) = [e for e in _access(lines()) if e["request_id"] == "lxp-42"]
    assert line["request_id"] == answer.headers["X-Request-ID"]
    assert line["key"] == "lxp"
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/v1/skills", 200)
    assert isinstance(line["latency_ms"], float) and line["latency_ms"] >= 0
    assert line["time"].endswith("Z")
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0


def test_a_generated_id_is_the_one_logged(client, admin, lines):
    answer = client.get("/v1/skills", headers=admin)
    (line,) = _access(lines())
    assert line["request_id"] == answer.headers["X-Request-ID"]
    assert line["key"] == "bootstrap admin"


def test_a_refused_request_logs_a_warning_and_the_access_line_under_one_id(client, lines):
    answer = client.get("/v1/skills", headers={"X-Request-ID": "no-key"})
    assert answer.status_code == 401
    entries = lines()
    assert {e["request_id"] for e in entries} == {"no-key"}
    warning, access = entries
    assert (warning["level"], warning["logger"], warning["status"]) == ("WARNING", "skillpath", 401)
    assert access["status"] == 401 and access["key"] is None
    assert "latency_ms" in access


def test_a_failure_logs_its_traceback_as_a_field(app, admin, lines):
    def explode():
        raise RuntimeError("the disk is on fire")

    app.add_url_rule("/v1/explode", "explode", explode)
    answer = app.test_client().get("/v1/explode", headers={**admin, "X-Request-ID": "boom"})
    assert answer.status_code == 500
    (error,) = [e for e in lines() if e["level"] == "ERROR"]
    assert error["request_id"] == "boom" and error["status"] == 500
    assert error["key"] == "bootstrap admin"
    assert "Traceback" in error["traceback"] and "the disk is on fire" in error["traceback"]
    assert "Traceback" not in error["message"]


def test_the_log_level_setting_takes_effect(make_app, admin, lines):
    quiet = make_app(SKILLPATH_LOG_LEVEL="WARNING").test_client()
    assert quiet.get("/v1/skills", headers=admin).status_code == 200
    assert quiet.get("/v1/nowhere", headers=admin).status_code == 404
    assert [e["status"] for e in lines()] == [404]  # the warning; no access lines
    assert logging.getLogger("skillpath").getEffectiveLevel() == logging.WARNING


def test_lines_outside_a_request_have_no_request_fields():
    record = logging.makeLogRecord({"name": "skillpath", "levelname": "INFO", "msg": "hi %s"})
    record.args = ("there",)
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["message"] == "hi there"
    assert "request_id" not in entry


def test_configure_installs_one_json_handler_on_an_unconfigured_root(monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(logging.getLogger("skillpath"), "level", logging.NOTSET)
    logs.configure("debug")
    logs.configure("debug")  # every app the process creates calls it again
    (handler,) = root.handlers
    assert isinstance(handler.formatter, logs.JsonFormatter)
    assert logging.getLogger("skillpath").level == logging.DEBUG


def test_configure_leaves_a_configured_root_alone(monkeypatch):
    root = logging.getLogger()
    theirs = logging.NullHandler()
    monkeypatch.setattr(root, "handlers", [theirs])
    logs.configure("INFO")
    assert root.handlers == [theirs]
