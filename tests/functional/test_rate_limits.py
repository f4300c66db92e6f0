"""Rate limits per API key: 429 problem+json with Retry-After and RateLimit-* headers."""

from __future__ import annotations

import pytest
from limits import parse_many

from service.ratelimit import RateLimiter
from service.ratelimit_storage import ProcessStorage
from tests.conftest import auth
from tests.functional.support import assert_problem


@pytest.fixture
def limited(make_app):
    """Return a client of an app allowing each key three requests a minute."""
    return make_app(SKILLPATH_RATELIMIT="3/minute").test_client()


def test_a_key_over_its_limit_gets_a_429_problem_with_retry_after(limited, admin):
    answers = [limited.get("/v1/skills", headers=admin) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a.headers["RateLimit-Limit"] == "3" for a in answers)
    assert all(0 <= int(a.headers["RateLimit-Reset"]) <= 61 for a in answers)
    assert "Retry-After" not in answers[0].headers
    problem = assert_problem(answers[-1], 429)
    assert "3 per 1 minute" in problem["detail"]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 61


def test_each_key_has_its_own_budget(limited, admin, make_app):
    for _ in range(3):
        limited.get("/v1/skills", headers=admin)
    assert limited.get("/v1/skills", headers=admin).status_code == 429
    other = limited.post(
        "/v1/api-keys", json={"name": "other", "scopes": []}, headers=auth("wrong-key-000000")
    )
    assert other.status_code == 401  # an unknown key spends its own budget, not the admin's


def test_probes_are_never_limited(limited):
    assert {limited.get("/health").status_code for _ in range(6)} == {200}


def test_a_malformed_limit_stops_the_app_from_starting(make_app):
    with pytest.raises(ValueError, match="SKILLPATH_RATELIMIT"):
        make_app(SKILLPATH_RATELIMIT="lots")


def test_with_several_limits_the_one_closest_to_running_out_is_reported(make_app, admin):
    # Counted shortest window first; the hour runs out first, so its figures are the ones said.
    client = make_app(SKILLPATH_RATELIMIT="3/minute;2/hour").test_client()
    answers = [client.get("/v1/skills", headers=admin) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert [a.headers["RateLimit-Limit"] for a in answers] == ["2", "2", "2"]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["1", "0", "0"]
    assert "2 per 1 hour" in assert_problem(answers[-1], 429)["detail"]
    assert 61 < int(answers[-1].headers["Retry-After"]) <= 3600


def test_a_refused_request_spends_nothing_of_the_longer_windows():
    storage = ProcessStorage()
    limiter = RateLimiter(parse_many("1/minute;3/hour"), storage)
    windows = [limiter.spend("key:a") for _ in range(3)]
    assert [(w.limit.amount, w.breached) for w in windows] == [(1, False), (1, True), (1, True)]
    # The hour counted only the request the minute let through (its window in the same storage).
    hour = RateLimiter(parse_many("3/hour"), storage).spend("key:a")
    assert (hour.count, hour.remaining) == (2, 1)
    assert RateLimiter(parse_many("3/hour"), storage).spend("key:b").count == 1
