"""GET /v1/employees/{id}/history: every change of an effective skill level, and why."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog import history
from recommender.profile import add_months
from tests.functional.loop_support import days_ago, history_of, organisation, today
from tests.functional.support import count_rows


@pytest.fixture
def org(seed):
    organisation(seed)


def _moves(events):
    return [(e["skill"], e["from"], e["to"], e["cause"], e["source"]) for e in events]


def test_profile_writes_and_completions_are_recorded(client, admin, seed, org):
    seed.employee("e-1", skills=[{"skill": "python", "level": 1, "source": "manager"}])
    client.post(
        "/v1/employees/e-1/completions",
        json={"item": "py-201", "completed_at": days_ago(1)},
        headers=admin,
    )
    client.post(  # teaches python 2: below the level reached, so no change
        "/v1/employees/e-1/completions",
        json={"item": "py-101", "completed_at": days_ago(1)},
        headers=admin,
    )
    # Dropping the stated level changes nothing: the completion holds python at 3.
    patch = {**admin, "If-Match": "*"}
    client.patch("/v1/employees/e-1", json={"skills": []}, headers=patch)
    assert _moves(history_of(client, admin, "e-1")) == [
        ("python", 0, 1, "profile", "profile:manager"),
        ("python", 1, 3, "completion", "item:py-201"),
    ]
    client.patch("/v1/employees/e-1", json={"completed": []}, headers=patch)
    assert _moves(history_of(client, admin, "e-1"))[-1] == (
        "python",
        3,
        0,
        "profile",
        "item:py-201",
    )


def test_expiry_is_an_event_on_its_day(client, admin, org, monkeypatch):
    # Completed 360 days ago, valid 12 months: it stops counting in a few days.
    done = today() - dt.timedelta(days=360)
    client.post(
        "/v1/employees/e-1/completions",
        json={"item": "aws-cert", "completed_at": done.isoformat()},
        headers=admin,
    )
    assert _moves(history_of(client, admin, "e-1")) == [
        ("aws", 0, 3, "completion", "item:aws-cert")
    ]
    later = history.now() + dt.timedelta(days=30)
    monkeypatch.setattr(history, "now", lambda: later)
    events = history_of(client, admin, "e-1")
    assert _moves(events)[-1] == ("aws", 3, 0, "expiry", "item:aws-cert")
    expired_on = dt.datetime.fromisoformat(events[-1]["at"]).date()
    # Valid through the same day a year on; gone from the next.
    assert expired_on == add_months(done, 12) + dt.timedelta(days=1)


def test_a_renewal_moves_the_expiry(client, admin, org, monkeypatch):
    old = (today() - dt.timedelta(days=360)).isoformat()
    for day in (old, days_ago(1)):
        client.post(
            "/v1/employees/e-1/completions",
            json={"item": "aws-cert", "completed_at": day},
            headers=admin,
        )
    soon = history.now() + dt.timedelta(days=30)
    monkeypatch.setattr(history, "now", lambda: soon)
    assert [e["cause"] for e in history_of(client, admin, "e-1")] == ["completion"]


def test_since_and_skill_filter_the_history(client, admin, seed, org):
    seed.employee("e-1", skills=[{"skill": "python", "level": 1}, {"skill": "sql", "level": 2}])
    events = history_of(client, admin, "e-1")
    assert len(events) == 2
    assert history_of(client, admin, "e-1", skill="sql")[0]["skill"] == "sql"
    assert history_of(client, admin, "e-1", since="2999-01-01T00:00:00Z") == []


def test_history_needs_employees_read_before_existence(client, new_key, org):
    key = new_key("recommend", "employees:write")
    assert client.get("/v1/employees/e-1/history", headers=key).status_code == 403
    assert client.get("/v1/employees/nobody/history", headers=key).status_code == 403
    reader = new_key("employees:read")
    assert client.get("/v1/employees/nobody/history", headers=reader).status_code == 404


def test_erasing_the_employee_erases_history_and_evidence(client, admin, seed, org):
    seed.employee("e-1", email="ada@example.com", skills=[{"skill": "python", "level": 1}])
    client.post(
        "/v1/employees/e-1/completions",
        json={"item": "py-101", "completed_at": days_ago(1)},
        headers=admin,
    )
    client.post(
        "/v1/xapi/statements",
        json={
            "actor": {"mbox": "mailto:ada@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"id": "urn:lms:sql-101"},
        },
        headers=admin,
    )
    client.post(
        "/v1/employees/e-1/feedback", json={"item": "sql-101", "action": "dismiss"}, headers=admin
    )
    client.post("/v1/employees/e-1/plans", json={"role": "dev"}, headers=admin)
    app = client.application
    tables = ("skill_events", "completions", "xapi_statements", "feedback", "plans")
    assert all(count_rows(app, table) for table in tables)
    response = client.delete("/v1/employees/e-1", headers={**admin, "If-Match": "*"})
    assert response.status_code == 204
    assert {table: count_rows(app, table) for table in tables} == dict.fromkeys(tables, 0)
