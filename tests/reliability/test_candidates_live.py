"""Candidates kept per worker, against a live server with two workers and racing writers.

Every worker keeps a role's screen until the people version moves; writes to different
employees race (all moving that one counter) while candidates are read. No write may fail,
and once the writes are done every worker, whichever answers, must answer with every one of
them, the same figures ``/gaps`` gives.
"""

from __future__ import annotations

from functools import partial

import pytest

from tests.functional.workforce_org import generate
from tests.reliability.conftest import LiveServer, race

pytestmark = pytest.mark.reliability

ROLE = "role-1"
WRITERS = 6
READS = 8


@pytest.fixture(scope="module")
def org(live: LiveServer) -> dict:
    """Store a generated organisation on the live server; return its records."""
    records = generate(5)
    for kind in ("skills", "items", "roles", "employees"):
        answer = live.request("POST", f"/v1/{kind}/import", body=records[kind])
        assert answer.status == 200, answer.body
    return records


def candidates(live: LiveServer) -> dict:
    answer = live.request("GET", f"/v1/roles/{ROLE}/candidates?limit=50")
    assert answer.status == 200, answer.body
    return answer.body


def ready_for_role(live: LiveServer, org: dict, employee: str) -> list[dict]:
    """Return an employee's stated levels raised to every level the role requires."""
    held = {
        s["skill"]: s["level"]
        for s in live.request("GET", f"/v1/employees/{employee}").body["skills"]
    }
    role = next(r for r in org["roles"] if r["id"] == ROLE)
    for c in role["competencies"]:
        held[c["skill"]] = max(held.get(c["skill"], 0), c["level"])
    return [{"skill": s, "level": lv} for s, lv in sorted(held.items())]


def test_racing_writes_show_in_every_workers_next_answer(live: LiveServer, org: dict):
    before = candidates(live)
    for _ in range(READS):  # both workers keep a screen of the role
        assert candidates(live) == before
    chosen = [c["employee"] for c in before["candidates"] if c["readiness"] < 1.0][:WRITERS]
    assert len(chosen) == WRITERS
    writes = [
        partial(
            live.request,
            "PATCH",
            f"/v1/employees/{employee}",
            body={"skills": ready_for_role(live, org, employee)},
            headers={"If-Match": "*"},
        )
        for employee in chosen
    ]
    reads = [partial(candidates, live) for _ in range(WRITERS)]
    answers = race(writes + reads)
    failed = [(a.status, a.body) for a in answers[:WRITERS] if a.status != 200]
    assert not failed, failed
    after = [candidates(live) for _ in range(READS)]
    assert all(answer == after[0] for answer in after)
    ranked = {c["employee"]: c for c in after[0]["candidates"]}
    for employee in chosen:
        assert ranked[employee]["readiness"] == 1.0
        assert ranked[employee]["hours_to_ready"] == 0.0
    for employee, candidate in ranked.items():
        gaps = live.request("GET", f"/v1/employees/{employee}/gaps?role={ROLE}").body
        assert candidate["readiness"] == gaps["readiness"], employee
        assert candidate["weighted_gap"] == gaps["weighted_gap"], employee
