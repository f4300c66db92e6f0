"""skillpath seed-demo: the demo organisation and its replayed year, twice over."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from sqlalchemy import text

from service.cli import DEMO_DIR, DEMO_HISTORY, DEMO_PLAN, seed_demo_command
from service.db import db
from tests.functional.support import count_all

# The day the demo was built; its year ends before it.
BUILD_DAY = dt.date(2026, 12, 2)
START = dt.date(2025, 12, 1)


def demo(name: str):
    """Return a shipped demo file's content."""
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def rows(app, sql: str) -> list:
    """Return the rows a query reads straight from the database."""
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(text(sql)).all()


def as_day(value) -> dt.date:
    """Read a date or timestamp column (SQLite answers text) as a day."""
    return dt.date.fromisoformat(str(value)[:10])


def seed(runner) -> str:
    result = runner.invoke(seed_demo_command)
    assert result.exit_code == 0, result.output
    return result.output


def test_seeding_twice_replays_the_year_once(app, runner, client, admin):
    year = demo(DEMO_HISTORY)
    first = seed(runner)
    assert "60 were created" in first
    counts = count_all(app)
    again = seed(runner)
    assert "nothing new" in again and "60 already stored" in again
    assert count_all(app) == counts
    steps = Counter(step["kind"] for step in year["steps"])
    # Every kind of step was replayed as many times as the year lists it.
    for kind, count in steps.items():
        assert f"{count} {kind}" in first
    assert counts["employees"] == 60
    starting = sum(len(e["completed"]) for e in demo("employees.json"))
    assert counts["completions"] >= starting + steps["completion"] + steps["plan_step"]

    statuses = Counter(status for (status,) in rows(app, "SELECT status FROM plans"))
    assert statuses["completed"] >= 3 and statuses["active"] >= 3
    assert statuses["abandoned"] == 1 and statuses["superseded"] == 1
    employee, role = DEMO_PLAN
    plans = client.get(f"/v1/employees/{employee}/plans", headers=admin).get_json()
    assert [(p["target"]["role"], p["status"]) for p in plans] == [(role, "active")]
    assert plans[0]["progress"]["steps_done"] >= 1

    start_roles = {e["id"]: e for e in demo("employees.json")}
    for move in (s for s in year["steps"] if s["kind"] == "move"):
        profile = client.get(f"/v1/employees/{move['employee']}", headers=admin).get_json()
        before = start_roles[move["employee"]]
        assert profile["current_role"] == move["current_role"] != before["current_role"]
        assert profile["current_role"] in before["target_roles"]
        (finished,) = [
            p
            for p in client.get(f"/v1/employees/{move['employee']}/plans", headers=admin).get_json()
            if p["target"]["role"] == move["current_role"]
        ]
        assert finished["status"] == "completed" and finished["ended_at"][:10] < move["at"][:10]

    listed = client.get("/v1/employees?page_size=100", headers=admin).get_json()
    mentors = {e["id"] for e in listed if e["preferences"].get("mentor")}
    assert mentors == {e["id"] for e in start_roles.values() if e["preferences"].get("mentor")}
    assert 5 <= len(mentors) <= 10


def test_the_year_holds_dates_up_to_the_build_day_and_certifications_to_renew(app, runner):
    seed(runner)
    certifications = rows(
        app,
        "SELECT c.completed_at, c.expires_at FROM completions c JOIN items i "
        "ON i.id = c.item_id WHERE i.kind = 'certification'",
    )
    completed = [as_day(done) for done, _ in certifications]
    expires = [as_day(until) for _, until in certifications if until is not None]
    assert max(completed) <= BUILD_DAY
    assert sum(START <= day <= BUILD_DAY for day in completed) >= 10
    # Some lapsed during the year, some lapse within 90 days of the build.
    assert sum(START <= day < BUILD_DAY for day in expires) >= 3
    assert sum(BUILD_DAY <= day <= BUILD_DAY + dt.timedelta(days=90) for day in expires) >= 3
    events = rows(app, "SELECT cause, at FROM skill_events")
    by_cause = Counter(cause for cause, _ in events)
    assert by_cause["profile"] and by_cause["completion"] and by_cause["expiry"]
    # Only expiries still to come lie past the build day (they are events on their day).
    assert all(as_day(at) <= BUILD_DAY for cause, at in events if cause != "expiry")
    # The profiles were written the evening before the year began.
    assert all(as_day(at) >= START - dt.timedelta(days=1) for _, at in events)
    months = {as_day(at).strftime("%Y-%m") for cause, at in events if cause == "completion"}
    assert len(months) >= 10
    moves = rows(app, "SELECT at, targeted FROM role_changes")
    assert len(moves) == 2 and all(targeted for _, targeted in moves)
    assert all(START <= as_day(at) <= BUILD_DAY for at, _ in moves)
    for created, ended in rows(app, "SELECT created_at, ended_at FROM plans"):
        assert START <= as_day(created) <= BUILD_DAY
        assert ended is None or as_day(created) <= as_day(ended) <= BUILD_DAY
    for (assessed,) in rows(app, "SELECT assessed_at FROM employee_skills"):
        assert as_day(assessed) < START


def test_an_erased_demo_employee_comes_back_with_their_year(app, runner, client, admin):
    seed(runner)
    move = next(s for s in demo(DEMO_HISTORY)["steps"] if s["kind"] == "move")
    employee = move["employee"]
    history = client.get(f"/v1/employees/{employee}/history", headers=admin).get_json()
    deleted = client.delete(f"/v1/employees/{employee}", headers={**admin, "If-Match": "*"})
    assert deleted.status_code == 204
    output = seed(runner)
    assert "1 were created" in output and "59 already stored" in output
    profile = client.get(f"/v1/employees/{employee}", headers=admin).get_json()
    assert profile["current_role"] == move["current_role"]
    again = client.get(f"/v1/employees/{employee}/history", headers=admin).get_json()
    assert [(e["skill"], e["from"], e["to"], e["at"]) for e in again] == [
        (e["skill"], e["from"], e["to"], e["at"]) for e in history
    ]
