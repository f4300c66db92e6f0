"""The demo's year (catalog/demo/history.json) and the clock it is replayed with."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from catalog import clock
from catalog.models import utcnow
from tests.unit.catalog.test_demo_data import add_months

DEMO = Path(__file__).resolve().parents[3] / "catalog" / "demo"
KINDS = {"completion", "plan", "plan_step", "abandon", "replan", "move"}


@pytest.fixture(scope="module")
def year():
    return json.loads((DEMO / "history.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def start():
    employees = json.loads((DEMO / "employees.json").read_text(encoding="utf-8"))
    return {employee["id"]: employee for employee in employees}


def test_steps_are_in_order_within_the_year(year, start):
    first, last = dt.date.fromisoformat(year["starts"][:10]), dt.date.fromisoformat(year["ends"])
    moments = [step["at"] for step in year["steps"]]
    assert moments == sorted(moments)
    assert {step["kind"] for step in year["steps"]} == KINDS
    for step in year["steps"]:
        assert first <= dt.date.fromisoformat(step["at"][:10]) <= last
        assert step["employee"] in start


def test_plans_are_named_before_they_are_followed(year):
    named: dict[str, str] = {}
    for step in year["steps"]:
        if step["kind"] == "plan":
            assert step["plan"] not in named
            named[step["plan"]] = step["employee"]
        elif step["kind"] in ("plan_step", "abandon", "replan"):
            assert named[step["plan"]] == step["employee"]
        if step["kind"] == "replan":
            named[step["as"]] = step["employee"]
    assert len(named) >= 8


def test_completions_expire_as_their_items_say(year):
    items = {
        item["id"]: item for item in json.loads((DEMO / "items.json").read_text(encoding="utf-8"))
    }
    for step in (s for s in year["steps"] if s["kind"] == "completion"):
        item = items[step["item"]]
        assert item["active"]
        day = dt.date.fromisoformat(step["at"][:10])
        months = item["valid_months"]
        assert step["expires_at"] == (add_months(day, months).isoformat() if months else None)


def test_two_people_move_into_a_target_role(year, start):
    moves = [s for s in year["steps"] if s["kind"] == "move"]
    assert len(moves) == 2
    for move in moves:
        before = start[move["employee"]]
        assert move["current_role"] in before["target_roles"]
        assert move["current_role"] not in move["target_roles"]


def test_the_clock_replays_a_moment_and_then_runs_on():
    moment = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    with clock.replaying_at(moment):
        assert utcnow() == moment
    assert utcnow() - dt.datetime.now(dt.UTC) < dt.timedelta(seconds=5)
    with pytest.raises(ValueError), clock.replaying_at(dt.datetime(2026, 3, 1)):
        pass
