"""Every answer carries X-Request-ID: the caller's when it is sane, else a new one."""

from __future__ import annotations

import re

import pytest

from tests.functional.support import assert_problem

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize(
    "sent",
    ["lxp-7f3a9c", "0b7e2a1c-5d3f-4e8a-9c1b-2f6d8e4a7b90", "a b/c:d=e", "x" * 200],
)
def test_the_callers_id_is_echoed(client, admin, sent):
    answer = client.get("/v1/skills", headers={**admin, "X-Request-ID": sent})
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == sent


def test_a_request_without_one_gets_a_new_id_each_time(client, admin):
    ids = [client.get("/v1/skills", headers=admin).headers["X-Request-ID"] for _ in range(2)]
    assert all(GENERATED.fullmatch(i) for i in ids)
    assert ids[0] != ids[1]


@pytest.mark.parametrize(
    "sent",
    ["", "x" * 201, "caf\u00e9", "tab\there", "bell\x07"],
    ids=["empty", "too-long", "not-ascii", "tab", "control"],
)
def test_an_invalid_id_is_replaced(client, admin, sent):
    answer = client.get("/v1/skills", headers={**admin, "X-Request-ID": sent})
    assert answer.status_code == 200
    assert GENERATED.fullmatch(answer.headers["X-Request-ID"])


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/skills", 401),  # no key
        ("GET", "/v1/nowhere", 404),
        ("DELETE", "/v1/skills", 405),
        ("GET", "/health", 200),  # no key needed
    ],
)
def test_answers_without_a_key_and_errors_carry_it(client, method, path, status):
    answer = client.open(path, method=method, headers={"X-Request-ID": "trace-1"})
    assert answer.status_code == status
    assert answer.headers["X-Request-ID"] == "trace-1"


def test_problems_of_an_authenticated_caller_carry_it(client, admin):
    answer = client.post(
        "/v1/skills", json={"id": "bad id"}, headers={**admin, "X-Request-ID": "trace-2"}
    )
    assert_problem(answer, 422)
    assert answer.headers["X-Request-ID"] == "trace-2"


def test_a_rate_limited_answer_carries_it(make_app, admin):
    client = make_app(SKILLPATH_RATELIMIT="1/minute").test_client()
    client.get("/v1/skills", headers=admin)
    answer = client.get("/v1/skills", headers={**admin, "X-Request-ID": "trace-3"})
    assert_problem(answer, 429)
    assert answer.headers["X-Request-ID"] == "trace-3"


def test_a_failure_carries_it(app, admin):
    def explode():
        raise RuntimeError("boom")

    app.add_url_rule("/v1/explode", "explode", explode)
    answer = app.test_client().get("/v1/explode", headers={**admin, "X-Request-ID": "trace-4"})
    assert_problem(answer, 500)
    assert answer.headers["X-Request-ID"] == "trace-4"
