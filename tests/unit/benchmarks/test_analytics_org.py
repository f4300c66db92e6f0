"""The analytics benchmark's generated organisation: its sizes, its seed, and its consistency."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import create_engine

from benchmarks.analytics_org import FULL, QUICK, OrgSize, generate, load
from benchmarks.bench_analytics import closable_role, in_turns, requests
from catalog import migrate
from service.app import create_app
from service.db import db

SMALL = OrgSize(employees=120, roles=15, skills=150, items=200, team=30, teams=4, months=6)
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def full():
    return generate(FULL, today=TODAY)


def test_the_full_size_is_the_one_asked(full):
    assert (len(full["employees"]), len(full["roles"]), len(full["skills"])) == (10_000, 200, 2_000)
    teams = Counter(employee["team"] for employee in full["employees"])
    assert teams["team-000"] == 300
    days = [row["completed_at"] for row in full["completions"]]
    assert TODAY - dt.timedelta(days=731) <= min(days) and max(days) < TODAY
    # Two years of history: completions in (nearly) every month, plans of every status.
    assert len({(day.year, day.month) for day in days}) >= 23
    assert set(Counter(plan["status"] for plan in full["plans"])) == {
        "active", "completed", "abandoned", "superseded",
    }  # fmt: skip
    assert full["role_changes"] and any(
        row["preferences"].get("mentor") for row in full["employees"]
    )


def test_the_same_seed_gives_the_same_organisation_and_another_seed_another():
    assert generate(SMALL, seed=7, today=TODAY) == generate(SMALL, seed=7, today=TODAY)
    assert generate(SMALL, seed=7, today=TODAY) != generate(SMALL, seed=8, today=TODAY)
    assert len(generate(QUICK, today=TODAY)["employees"]) == QUICK.employees


def test_the_last_event_of_each_skill_is_the_level_held_today():
    org = generate(SMALL, seed=3, today=TODAY)
    taught: dict[str, list[tuple[str, int]]] = {}
    for row in org["item_skills"]:
        taught.setdefault(row["item_id"], []).append((row["skill_id"], row["level"]))
    held: dict[tuple[str, str], int] = {}
    for row in org["employee_skills"]:
        held[row["employee_id"], row["skill_id"]] = row["level"]
    for row in org["completions"]:
        if row["expires_at"] is None or row["expires_at"] >= TODAY:
            for skill, level in taught[row["item_id"]]:
                key = (row["employee_id"], skill)
                held[key] = max(held.get(key, 0), level)
    last: dict[tuple[str, str], int] = {}
    for event in sorted(org["skill_events"], key=lambda e: e["at"]):
        last[event["employee_id"], event["skill_id"]] = event["to_level"]
    assert {key: level for key, level in last.items() if level} == {
        key: level for key, level in held.items() if level
    }


def test_a_loaded_organisation_reads_through_the_api(tmp_path):
    url = f"sqlite:///{tmp_path / 'org.db'}"
    migrate.upgrade(url)
    org = generate(SMALL, seed=5, today=TODAY)
    engine = create_engine(url)
    counts = load(engine, org)
    engine.dispose()
    assert counts["employees"] == SMALL.employees
    app = create_app({"SKILLPATH_DATABASE_URL": url, "SKILLPATH_ADMIN_KEY": "k" * 24,
                      "SKILLPATH_AUTO_MIGRATE": False,
                      "SKILLPATH_INDEX_DIR": str(tmp_path / "index")})  # fmt: skip
    client, headers = app.test_client(), {"Authorization": "Bearer " + "k" * 24}
    try:
        listed = client.get("/v1/employees?page_size=500", headers=headers)
        assert len(listed.get_json()) == SMALL.employees
        someone = org["plans"][0]["employee_id"]
        history = client.get(f"/v1/employees/{someone}/history?page_size=500", headers=headers)
        mine = [e for e in org["skill_events"] if e["employee_id"] == someone]
        assert len(history.get_json()) == len(mine)
        plans = client.get(f"/v1/employees/{someone}/plans", headers=headers)
        assert plans.status_code == 200 and plans.get_json()[0]["steps"]
        gaps = client.get(f"/v1/employees/{someone}/gaps", headers=headers)
        assert gaps.status_code == 200, gaps.get_json()
    finally:
        db.dispose(app)


def test_the_bench_holds_each_view_to_its_yardstick_over_the_months_generated():
    org = generate(SMALL, seed=5, today=TODAY)
    chosen, paths = requests(org, SMALL.months)
    method, _, body = paths["path"]
    aims = Counter(row["role_id"] for row in org["employee_target_roles"])
    assert aims[body["role"]] == max(aims.values()) and method == "POST"
    assert chosen["candidates"] == (("GET", f"/v1/roles/{body['role']}/candidates?limit=20", None),
                                    "path")  # fmt: skip
    closable = paths["closable path"][2]["role"]
    for way in ("", ", after a write", ", nothing kept"):
        assert chosen[f"candidates, closable{way}"] == (
            ("GET", f"/v1/roles/{closable}/candidates?limit=20", None), "closable path"
        )  # fmt: skip
    assert {name: against for name, (_, against) in chosen.items() if "closable" not in name} == {
        "skills": "list", "heatmap": "list", "candidates": "path", "kpis": "list",
    }  # fmt: skip
    kpis = chosen["kpis"][0][1]
    months = kpis.split("from=")[1][:7], kpis.split("to=")[1][:7]
    first, final = (dt.date.fromisoformat(f"{m}-01") for m in months)
    assert (final.year - first.year) * 12 + final.month - first.month + 1 == SMALL.months
    for _, path, body in paths.values():
        targets = org["employee_target_roles"]
        aiming = [t["employee_id"] for t in targets if t["role_id"] == body["role"]]
        assert path == f"/v1/employees/{min(aiming)}/learning-paths"


def out_of_reach(org, role) -> int:
    """Count a role's competencies above the highest level any item teaches."""
    taught: dict[str, int] = {}
    for row in org["item_skills"]:
        taught[row["skill_id"]] = max(taught.get(row["skill_id"], 0), row["level"])
    return sum(
        taught.get(row["skill_id"], 0) < row["level"]
        for row in org["role_competencies"]
        if row["role_id"] == role
    )


def test_the_closable_role_has_the_fewest_levels_no_item_teaches(full):
    org = generate(SMALL, seed=5, today=TODAY)
    aimed = {t["role_id"] for t in org["employee_target_roles"]}
    role = closable_role(org)
    assert role in aimed
    assert out_of_reach(org, role) == min(out_of_reach(org, r) for r in aimed)
    # At the full size items teach every level of it: each of its twenty best takes a plan.
    assert out_of_reach(full, closable_role(full)) == 0


def test_in_turns_alternates_which_goes_first_and_times_each_apart():
    calls = []
    first_ms, second_ms = in_turns(lambda: calls.append("a"), lambda: calls.append("b"), 4)
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a"]
    assert first_ms >= 0 and second_ms >= 0
