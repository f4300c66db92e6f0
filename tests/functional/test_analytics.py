"""Workforce views against a plain reference, on generated organisations.

Each figure the API answers is worked out again in :mod:`tests.functional.workforce_org`
from the records the test wrote, and readiness is compared with ``/gaps`` for the same
employee and role.
"""

from __future__ import annotations

import csv
import io
import itertools

import pytest

from tests.functional.support import assert_problem, error_fields, pagination
from tests.functional.workforce_org import (
    TEAMS,
    Reference,
    generate,
    last_day,
    readiness,
    store,
)

SEEDS = (3, 11)


@pytest.fixture(params=SEEDS, ids=lambda seed: f"org{seed}")
def org(request, client, admin):
    """Store a generated organisation; return its records."""
    records = generate(request.param)
    store(client, admin, records)
    return records


def _get(client, headers, url, **query):
    response = client.get(url, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _all_skill_rows(client, headers, **query):
    return _get(client, headers, "/v1/analytics/skills", page_size=500, **query)


def _close(a, b):
    return a is None and b is None or (a is not None and b is not None and abs(a - b) <= 1e-4)


@pytest.mark.parametrize("team", [None, "red"])
def test_skills_view_matches_the_reference(client, admin, org, team):
    query = {"team": team} if team else {}
    rows = _all_skill_rows(client, admin, **query)
    expected = Reference(org).skills(team=team)
    assert {r["skill"] for r in rows} == set(expected)
    for row in rows:
        want = expected[row["skill"]]
        assert row["employees_by_level"] == want["employees_by_level"], row["skill"]
        assert row["demand"] == want["demand"], row["skill"]
        assert row["met"] == want["met"]
        assert _close(row["shortfall"], want["shortfall"]), (row, want)
        assert _close(row["covered"], want["covered"]), (row, want)
        assert row["name"] == f"Skill {row['skill']}"
    shortfalls = [r["shortfall"] for r in rows]
    assert shortfalls == sorted(shortfalls, reverse=True)


def test_skills_view_by_role_and_by_skill(client, admin, org):
    role = org["roles"][0]
    rows = _all_skill_rows(client, admin, role=role["id"])
    assert {r["skill"] for r in rows} == {c["skill"] for c in role["competencies"]}
    expected = Reference(org).skills(role=role["id"])
    for row in rows:
        want = expected[row["skill"]]
        assert row["demand"] == want["demand"]
        assert row["employees_by_level"] == want["employees_by_level"]
        assert _close(row["shortfall"], want["shortfall"])
    one = _all_skill_rows(client, admin, skill="Skill aws")  # by name
    assert [r["skill"] for r in one] == ["aws"]
    assert one[0]["employees_by_level"] == Reference(org).skills()["aws"]["employees_by_level"]


def test_skills_view_pages(client, admin, org):
    every = _all_skill_rows(client, admin)
    response = client.get("/v1/analytics/skills?page=2&page_size=3", headers=admin)
    assert response.status_code == 200
    assert response.get_json() == every[3:6]
    assert pagination(response)["total"] == len(every)
    assert 'rel="next"' in response.headers["Link"]


def test_skills_csv_matches_json_and_neutralises_formulas(client, admin, org):
    client.put(
        "/v1/skills/aws",
        json={"name": '=HYPERLINK("http://x")'},
        headers={**admin, "If-Match": "*"},
    )
    rows = _all_skill_rows(client, admin)
    response = client.get(
        "/v1/analytics/skills?page_size=500", headers={**admin, "Accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["skill"] for r in table] == [r["skill"] for r in rows]
    for line, row in zip(table, rows, strict=True):
        assert [int(line[f"level_{n}"]) for n in range(6)] == row["employees_by_level"]
        assert int(line["demand"]) == row["demand"]["employees"]
        assert float(line["shortfall"]) == row["shortfall"]
    aws = next(line for line in table if line["skill"] == "aws")
    assert aws["name"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("role_given", [True, False])
def test_team_heatmap_matches_the_reference_and_gaps(client, admin, org, role_given):
    ref = Reference(org)
    team = TEAMS[0]
    role = org["roles"][1]["id"]
    query = {"role": role} if role_given else {}
    heat = _get(client, admin, f"/v1/analytics/teams/{team}/gaps", **query)
    members = ref.in_team(team)
    pairs = [(e["id"], r) for e in members for r in ([role] if role_given else e["target_roles"])]
    assert [(row["employee"], row["role"]) for row in heat["employees"]] == pairs
    columns = [c["skill"] for c in heat["skills"]]
    assert columns == sorted({c["skill"] for _, r in pairs for c in ref.roles[r]["competencies"]})
    assert heat["without_target"] == sorted({e["id"] for e in members} - {p[0] for p in pairs})
    totals = {c: [0, 0, 0, 0.0] for c in columns}
    for row, (employee, role_id) in zip(heat["employees"], pairs, strict=True):
        levels = ref.levels[employee]
        wanted = {c["skill"]: c for c in ref.roles[role_id]["competencies"]}
        assert row["current"] == [levels.get(c, 0) for c in columns]
        assert row["required"] == [wanted[c]["level"] if c in wanted else None for c in columns]
        for c, gap in zip(columns, row["gap"], strict=True):
            if c in wanted:
                assert gap == max(0, wanted[c]["level"] - levels.get(c, 0))
                totals[c][0] += 1
                totals[c][1] += gap > 0
                totals[c][2] += gap
                totals[c][3] += wanted[c]["weight"] * gap
            else:
                assert gap is None
        assert _close(row["readiness"], readiness(levels, ref.roles[role_id]))
        gaps = _get(client, admin, f"/v1/employees/{employee}/gaps", role=role_id)
        assert row["readiness"] == gaps["readiness"]
        assert row["weighted_gap"] == gaps["weighted_gap"]
    for total in heat["totals"]:
        n, below, gap, weighted = totals[total["skill"]]
        assert (total["required_by"], total["below"], total["gap"]) == (n, below, gap)
        assert _close(total["weighted_gap"], weighted)


@pytest.mark.parametrize(
    ("role", "team", "limit"), [(1, None, 5), (3, None, 6), (2, "blue", 3), (0, None, 50)]
)
def test_candidates_rank_by_readiness_as_gaps_gives_it(client, admin, org, role, team, limit):
    ref = Reference(org)
    role_id = org["roles"][role]["id"]
    role = ref.roles[role_id]
    query = {"limit": limit, **({"team": team} if team else {})}
    answer = _get(client, admin, f"/v1/roles/{role_id}/candidates", **query)
    pool = [e for e in ref.in_team(team) if e["current_role"] != role_id]
    assert answer["screened"] == len(pool)
    expected = sorted(
        ((readiness(ref.levels[e["id"]], role), e["id"]) for e in pool),
        key=lambda pair: (-round(pair[0], 9), pair[1]),
    )
    got = answer["candidates"]
    assert len(got) == min(limit, len(pool))
    assert [round(c["readiness"], 4) for c in got] == [round(r, 4) for r, _ in expected[:limit]]
    left_out = {ident for _, ident in expected} - {c["employee"] for c in got}
    worst = min(c["readiness"] for c in got)
    assert all(readiness(ref.levels[i], role) <= worst + 1e-4 for i in left_out)
    for candidate in got:
        gaps = _get(client, admin, f"/v1/employees/{candidate['employee']}/gaps", role=role_id)
        assert candidate["readiness"] == gaps["readiness"]
        assert candidate["ready_now"] == (candidate["readiness"] >= answer["ready_now_threshold"])
        hours = _cheapest_hours(ref, candidate["employee"], role)
        if hours is None:
            assert candidate["hours_to_ready"] is None
        else:
            assert candidate["hours_to_ready"] == pytest.approx(hours)


def _cheapest_hours(ref: Reference, employee: str, role: dict) -> float | None:
    """Try every set of items not yet counting: the fewest hours closing the whole gap."""
    levels = ref.levels[employee]
    gaps = {
        c["skill"]: c["level"]
        for c in role["competencies"]
        if c["level"] > levels.get(c["skill"], 0)
    }
    if not gaps:
        return 0.0
    counting = set()
    for completion in ref.employees[employee]["completed"]:
        last = last_day(completion, ref.items)
        if last is None or ref.day <= last:
            counting.add(completion["item"])
    useful = [i for i in ref.items.values() if i["id"] not in counting]
    best = None
    for size in range(1, len(useful) + 1):
        for chosen in itertools.combinations(useful, size):
            reached = {}
            for item in chosen:
                for t in item["skills"]:
                    reached[t["skill"]] = max(reached.get(t["skill"], 0), t["level"])
            if all(reached.get(s, 0) >= need for s, need in gaps.items()):
                hours = sum(item["duration_hours"] for item in chosen)
                best = hours if best is None else min(best, hours)
    return best


@pytest.mark.parametrize("named_role", [False, True])
def test_mentors_rank_by_the_gap_they_cover(client, admin, org, named_role):
    ref = Reference(org)
    checked = 0
    for employee in ref.in_team(None):
        if named_role:
            role_id = org["roles"][3]["id"]
        elif employee["target_roles"]:
            role_id = employee["target_roles"][0]
        else:
            continue
        query = {"limit": 50, **({"role": role_id} if named_role else {})}
        answer = _get(client, admin, f"/v1/employees/{employee['id']}/mentors", **query)
        role = ref.roles[role_id]
        mine = ref.levels[employee["id"]]
        gap = sum(
            c["weight"] * max(0, c["level"] - mine.get(c["skill"], 0)) for c in role["competencies"]
        )
        assert answer["target"]["role"] == role_id
        assert _close(answer["weighted_gap"], gap)
        expected = []
        for other in ref.in_team(None):
            if other["id"] == employee["id"] or not other["preferences"]["mentor"]:
                continue
            theirs = ref.levels[other["id"]]
            covered = sum(
                c["weight"]
                * max(0, min(theirs.get(c["skill"], 0), c["level"]) - mine.get(c["skill"], 0))
                for c in role["competencies"]
            )
            if covered > 0:
                expected.append((round(covered, 6), other["id"], theirs))
        expected.sort(key=lambda row: (-row[0], row[1]))
        got = answer["mentors"]
        assert [m["employee"] for m in got] == [ident for _, ident, _ in expected]
        for mentor, (covered, _, theirs) in zip(got, expected, strict=True):
            assert _close(mentor["weighted_gap_covered"], covered)
            assert _close(mentor["covered"], covered / gap)
            assert mentor["skills"] == [
                {
                    "skill": c["skill"],
                    "employee_level": mine.get(c["skill"], 0),
                    "mentor_level": theirs.get(c["skill"], 0),
                    "required": c["level"],
                }
                for c in sorted(role["competencies"], key=lambda c: c["skill"])
                if min(theirs.get(c["skill"], 0), c["level"]) > mine.get(c["skill"], 0)
            ]
        checked += bool(got)
    assert checked >= 3


def test_mentors_without_a_role_to_aim_at(client, admin, org):
    aimless = next(e for e in org["employees"] if not e["target_roles"])
    body = assert_problem(client.get(f"/v1/employees/{aimless['id']}/mentors", headers=admin), 422)
    assert "role" in body["detail"]
    assert_problem(client.get("/v1/employees/nobody/mentors", headers=admin), 404)
    response = client.get(f"/v1/employees/{aimless['id']}/mentors?role=rol-0", headers=admin)
    assert "role-0" in assert_problem(response, 404)["detail"] + str(response.get_json())


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/v1/roles/role-0/candidates?limit=0", "limit"),
        ("/v1/roles/role-0/candidates?limit=51", "limit"),
        ("/v1/employees/e-00/mentors?limit=0", "limit"),
        ("/v1/analytics/teams/red/gaps?role=no%20spaces", "role"),
        ("/v1/analytics/skills?skill=", "skill"),
        ("/v1/analytics/certifications?expiring_within_days=-1", "expiring_within_days"),
        ("/v1/analytics/certifications?expiring_within_days=soon", "expiring_within_days"),
    ],
)
def test_bad_arguments_name_the_field(client, admin, org, url, field):
    assert field in error_fields(client.get(url, headers=admin))


@pytest.mark.parametrize(
    "url",
    [
        "/v1/roles/nope/candidates",
        "/v1/analytics/skills?role=nope",
        "/v1/analytics/teams/nobody-here/gaps",
        "/v1/analytics/teams/red/gaps?role=nope",
        "/v1/analytics/kpis?role=nope",
    ],
)
def test_unknown_roles_and_teams_are_404(client, admin, org, url):
    assert_problem(client.get(url, headers=admin), 404)


def test_an_unknown_skill_is_422_with_suggestions(client, admin, org):
    body = assert_problem(client.get("/v1/analytics/skills?skill=awz", headers=admin), 422)
    assert body["errors"][0]["field"] == "skill"


def test_views_need_analytics_read_and_mentors_need_employees_read(client, new_key, org):
    views = (
        "/v1/analytics/skills",
        "/v1/analytics/teams/red/gaps",
        "/v1/roles/role-0/candidates",
        "/v1/analytics/certifications",
        "/v1/analytics/kpis",
    )
    reader = new_key("analytics:read")
    others = new_key("recommend", "employees:read", "employees:write", "catalog:write")
    for url in views:
        assert client.get(url, headers=reader).status_code == 200, url
        assert_problem(client.get(url, headers=others), 403)
    mentors = "/v1/employees/{}/mentors?role=role-0"
    for employee in ("e-00", "nobody"):
        for key in (reader, new_key("recommend"), new_key("employees:read")):
            assert_problem(client.get(mentors.format(employee), headers=key), 403)
    both = new_key("recommend", "employees:read")
    assert client.get(mentors.format("e-00"), headers=both).status_code == 200
    assert_problem(client.get(mentors.format("nobody"), headers=both), 404)
