"""Workforce views over time: lapsing certifications, and KPIs from a history written here.

The KPI test writes a small organisation's last months with history's clock moved to each
day, so every figure per month is known from what the test did, not from the service.
"""

from __future__ import annotations

import datetime as dt

import pytest

from catalog import history
from tests.functional.support import assert_problem, error_fields, pagination
from tests.functional.workforce_org import Reference, generate, last_day, store, today


@pytest.mark.parametrize(("within", "team"), [(90, None), (0, None), (400, "red")])
def test_certifications_list_the_latest_of_each_soonest_first(client, admin, within, team):
    org = generate(5, n_employees=40)
    store(client, admin, org)
    ref = Reference(org)
    horizon = today() + dt.timedelta(days=within)
    latest: dict[tuple[str, str], tuple[dt.date, dict]] = {}
    for employee in ref.in_team(team):
        for completion in employee["completed"]:
            item = ref.items[completion["item"]]
            last = last_day(completion, ref.items)
            if item["kind"] != "certification" or last is None:
                continue
            key = (employee["id"], item["id"])
            if key not in latest or last > latest[key][0]:
                latest[key] = (last, completion)
    expected = sorted(
        (last, employee, item, completion)
        for (employee, item), (last, completion) in latest.items()
        if last <= horizon
    )
    query = {"expiring_within_days": within, "page_size": 500, **({"team": team} if team else {})}
    response = client.get("/v1/analytics/certifications", query_string=query, headers=admin)
    assert response.status_code == 200
    rows = response.get_json()
    assert pagination(response)["total"] == len(expected)
    assert [(r["expires_on"], r["employee"], r["certification"]) for r in rows] == [
        (last.isoformat(), employee, item) for last, employee, item, _ in expected
    ]
    for row, (last, employee, _, completion) in zip(rows, expected, strict=True):
        assert row["days_left"] == (last - today()).days
        assert row["status"] == ("expired" if last < today() else "expiring")
        assert row["completed_at"] == completion["completed_at"]
        assert row["team"] == ref.employees[employee]["team"]
    assert any(r["status"] == "expired" for r in rows) or within == 0


def _month(k: int) -> dt.date:
    """Return the first day of the month ``k`` months before this one."""
    day = today().replace(day=1)
    for _ in range(k):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day


@pytest.fixture
def clock(monkeypatch):
    """Return a function setting history's clock to noon of a day (None: the real time)."""
    real = history.now

    def at(day: dt.date | None) -> None:
        if day is None:
            monkeypatch.setattr(history, "now", real)
            return
        moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        monkeypatch.setattr(history, "now", lambda: moment)

    return at


def _complete(client, admin, employee, item, day, **extra):
    body = {"item": item, "completed_at": day.isoformat(), **extra}
    response = client.post(f"/v1/employees/{employee}/completions", json=body, headers=admin)
    assert response.status_code == 201, response.get_json()


@pytest.fixture
def months(client, admin, seed, clock):
    """Write four months of a team's history; return the first days of those months."""
    seed.skills("python", "sql")
    seed.item("py-course", {"python": 3}, duration_hours=10)
    seed.item("cert-sql", {"sql": 3}, kind="certification", valid_months=6, duration_hours=20)
    seed.role("dev", [{"skill": "python", "level": 3}, {"skill": "sql", "level": 3, "weight": 0.5}])
    seed.role("ops", {"python": 1})
    m4, m3, m2, m1 = _month(4), _month(3), _month(2), _month(1)
    clock(m4 + dt.timedelta(days=5))
    py = [{"skill": "python", "level": 1}]
    seed.employee("e-1", team="red", target_roles=["dev"], skills=py)
    seed.employee("e-2", team="red", target_roles=["dev"], skills=[{**py[0], "level": 3}])
    seed.employee(
        "e-3",
        team="red",
        current_role="ops",
        target_roles=["dev"],
        skills=[{**py[0], "level": 2}],
    )
    seed.employee("e-4", team="blue", target_roles=["dev"], skills=[{"skill": "sql", "level": 1}])
    clock(m3 + dt.timedelta(days=1))
    expires = (m2 + dt.timedelta(days=14)).isoformat()
    _complete(client, admin, "e-3", "cert-sql", m3 + dt.timedelta(days=1), expires_at=expires)
    clock(m3 + dt.timedelta(days=10))
    _complete(client, admin, "e-1", "py-course", m3 + dt.timedelta(days=10))
    clock(m2 + dt.timedelta(days=3))
    _complete(client, admin, "e-2", "cert-sql", m2 + dt.timedelta(days=3))
    clock(m1 + dt.timedelta(days=7))
    patch = {**admin, "If-Match": "*"}
    assert (
        client.patch("/v1/employees/e-3", json={"current_role": "dev"}, headers=patch).status_code
        == 200
    )
    assert (
        client.patch("/v1/employees/e-2", json={"current_role": "ops"}, headers=patch).status_code
        == 200
    )
    clock(None)
    # This month: e-1 gives up a plan; e-3 keeps one and finishes it.
    abandoned = client.post("/v1/employees/e-1/plans", json={"role": "dev"}, headers=admin)
    assert abandoned.status_code == 201
    plan = abandoned.get_json()["id"]
    assert client.delete(f"/v1/employees/e-1/plans/{plan}", headers=patch).status_code == 200
    kept = client.post("/v1/employees/e-3/plans", json={"role": "dev"}, headers=admin).get_json()
    assert {s["item"]["id"] for s in kept["steps"]} == {"py-course", "cert-sql"}
    _complete(client, admin, "e-3", "py-course", today())
    _complete(client, admin, "e-3", "cert-sql", today())
    return m4, m3, m2, m1


def _kpis(client, admin, **query):
    response = client.get("/v1/analytics/kpis", query_string=query, headers=admin)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_kpis_per_month_follow_the_history(client, admin, months):
    m4, *_ = months
    first = m4 - dt.timedelta(days=100)
    answer = _kpis(client, admin, team="red", **{"from": first.isoformat()})
    periods = answer["periods"]
    assert [p["start"] for p in periods][-5:] == [_month(k).isoformat() for k in (4, 3, 2, 1, 0)]
    next_month = (_month(0) + dt.timedelta(days=31)).replace(day=1)
    assert periods[-1]["end"] == (next_month - dt.timedelta(days=1)).isoformat()
    before = periods[:-5]
    assert before and all(not p["has_history"] for p in before)
    assert all(p["skills_gap_closure_rate"] is None and p["learning_hours"] is None for p in before)
    figures = [
        (
            p["employees_counted"],
            p["weighted_gap_at_start"],
            p["weighted_gap_closed"],
            p["skills_gap_closure_rate"],
            p["certifications_active"],
            p["certifications_earned"],
            p["learning_hours"],
            p["internal_moves"],
            p["plans_completed"],
            p["plan_completion_rate"],
        )
        for p in periods[-5:]
    ]
    assert figures == [
        # Known only from the fifth of the month: nobody was known at its start.
        (0, 0.0, 0.0, None, 0, 0, 0.0, 0, 0, None),
        # e-1 learns python (2 levels), e-3 certifies in sql (3 levels at 0.5).
        (3, 7.5, 3.5, 0.4667, 1, 1, 30.0, 0, 0, None),
        # e-2 certifies; e-3's certification lapses, which opens a gap but closes none.
        (3, 4.0, 1.5, 0.375, 1, 1, 20.0, 0, 0, None),
        # e-3 moves into the role it aimed at, e-2 into one it did not.
        (3, 4.0, 0.0, 0.0, 1, 0, 0.0, 1, 0, None),
        # e-3 closes its gap; one plan finished and one abandoned.
        (3, 4.0, 2.5, 0.625, 2, 1, 30.0, 0, 1, 0.5),
    ]
    assert all(p["has_history"] for p in periods[-5:])
    assert answer["history_starts"].startswith((m4 + dt.timedelta(days=5)).isoformat())


def test_kpis_over_everyone_by_quarter_and_against_a_named_role(client, admin, months):
    _, m3, *_ = months
    monthly = _kpis(client, admin, **{"from": m3.isoformat()})["periods"]
    # e-4 (blue) joins the count: python 0 and sql 1 against dev is 4 more.
    assert (monthly[0]["employees_counted"], monthly[0]["weighted_gap_at_start"]) == (4, 11.5)
    quarters = _kpis(client, admin, interval="quarter", **{"from": m3.isoformat()})["periods"]
    assert quarters[0]["start"] <= m3.isoformat()
    weeks = _kpis(client, admin, interval="week", **{"from": today().isoformat()})["periods"]
    assert len(weeks) == 1 and dt.date.fromisoformat(weeks[0]["start"]).weekday() == 0
    ops = _kpis(client, admin, role="ops", team="red", **{"from": m3.isoformat()})["periods"]
    # Against ops (python 1) nobody in red has a gap: nothing to close.
    assert [p["weighted_gap_at_start"] for p in ops] == [0.0] * len(ops)
    assert all(p["skills_gap_closure_rate"] is None for p in ops)


def test_kpis_without_any_history_say_so(client, admin):
    answer = _kpis(client, admin)
    assert answer["history_starts"] is None
    assert len(answer["periods"]) in (12, 13)
    assert all(not p["has_history"] and p["internal_moves"] is None for p in answer["periods"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-05-01", "to": "2026-04-01"}, "from"),
        ({"to": (today() + dt.timedelta(days=1)).isoformat()}, "to"),
        ({"from": "1990-01-01", "interval": "week"}, "from"),
        ({"interval": "fortnight"}, "interval"),
        ({"from": "last year"}, "from"),
        ({"to": "2026-02-30"}, "to"),
    ],
)
def test_kpi_arguments_are_checked(client, admin, query, field):
    response = client.get("/v1/analytics/kpis", query_string=query, headers=admin)
    assert field in error_fields(response)


def test_kpis_answer_problem_json_for_an_unknown_role(client, admin):
    assert_problem(client.get("/v1/analytics/kpis?role=ghost", headers=admin), 404)
