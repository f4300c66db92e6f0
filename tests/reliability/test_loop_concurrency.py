"""Concurrent writes of the learning loop against a live server: each lands once, or not at all.

Completions of the same item on the same day, xAPI statements with the same id and replans of
the same plan race from several clients at once. Each race must store exactly one outcome:
the other writers are told it is already there (200) or that they lost (409), never a 5xx,
and nothing is stored twice.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections import Counter
from functools import partial

import pytest

from tests.reliability.conftest import Answer, LiveServer, race

pytestmark = pytest.mark.reliability

ROUNDS = 6
WRITERS = 4
RECENT = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=10)).isoformat()
ITEM_URL = "https://learn.example.com/loop/{n}"
CATALOG = {
    "skills": [{"id": "loop.a", "name": "Loop A"}, {"id": "loop.b", "name": "Loop B"}],
    "items": [
        {
            "id": f"loop.item.{n}",
            "kind": "course",
            "title": f"Loop course {n}",
            "modality": "self_paced",
            "duration_hours": 4 + n,
            "url": ITEM_URL.format(n=n),
            "skills": [{"skill": skill, "level": 3}],
        }
        for n, skill in enumerate(("loop.a", "loop.b", "loop.a"), 1)
    ],
    "roles": [
        {
            "id": "loop.role",
            "title": "Loop role",
            "competencies": [{"skill": "loop.a", "level": 3}, {"skill": "loop.b", "level": 3}],
        }
    ],
}


@pytest.fixture(scope="module")
def catalog(live: LiveServer) -> LiveServer:
    """Return the live server holding the skills, items and role the loop refers to."""
    for kind, rows in CATALOG.items():
        answer = live.request("POST", f"/v1/{kind}/import", body=rows)
        assert answer.status == 200, answer.body
    return live


def employee(live: LiveServer, ident: str) -> str:
    """Store a new employee aiming at the loop role; return its path."""
    path = f"/v1/employees/{ident}"
    body = {"target_roles": ["loop.role"], "skills": [{"skill": "loop.a", "level": 1}]}
    answer = live.request("PUT", path, body=body)
    assert answer.status == 201, answer.body
    return path


def settled(live: LiveServer, answers: list[Answer], method: str, path: str, body) -> list[Answer]:
    """Send again, one at a time, the requests told to retry (409 or 503 with Retry-After)."""
    out = []
    for answer in answers:
        while answer.status in (409, 503) and "retry-after" in answer.headers:
            time.sleep(min(float(answer.headers["retry-after"]), 0.5))
            answer = live.request(method, path, body=body)
        out.append(answer)
    return out


def assert_no_server_error(answers: list[Answer]) -> None:
    """Fail on any 5xx, showing its body."""
    failed = [(a.status, a.body) for a in answers if a.status >= 500]
    assert not failed, failed


def test_racing_completions_of_one_item_and_day_are_stored_once(catalog: LiveServer):
    """The same completion from several clients at once: one 201, the rest 200, one stored."""
    live, seen = catalog, Counter()
    for round_ in range(ROUNDS):
        path = employee(live, f"loop-completer-{round_}")
        # Each writer says something different about the same item and day: the first wins.
        bodies = [
            {"item": "loop.item.1", "completed_at": RECENT, "score": n / 10, "source": f"lms{n}"}
            for n in range(WRITERS)
        ]
        post = f"{path}/completions"
        answers = race([partial(live.request, "POST", post, body=body) for body in bodies])
        assert_no_server_error(answers)
        answers = [
            settled(live, [answer], "POST", post, body)[0]
            for answer, body in zip(answers, bodies, strict=True)
        ]
        statuses = sorted(a.status for a in answers)
        seen.update(statuses)
        assert statuses == [200] * (WRITERS - 1) + [201], [(a.status, a.body) for a in answers]
        winner = next(a.body["added"][0] for a in answers if a.status == 201)
        assert all(a.body == {"added": [], "unchanged": 1} for a in answers if a.status == 200)
        stored = live.request("GET", path).body["completed"]
        assert len(stored) == 1, stored
        assert stored[0]["score"] == winner["score"] and stored[0]["source"] == winner["source"]
        history = live.request("GET", f"{path}/history?skill=loop.a").body
        raised = [(e["from"], e["to"]) for e in history if e["cause"] == "completion"]
        assert raised == [(1, 3)], history
    assert seen[201] == ROUNDS


def statement(ident: str, employee_id: str) -> dict:
    """Return an xAPI statement that an employee completed the first loop item."""
    return {
        "id": ident,
        "actor": {"account": {"homePage": "https://hr.example.com", "name": employee_id}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"objectType": "Activity", "id": ITEM_URL.format(n=1)},
        "result": {"completion": True},
        "timestamp": f"{RECENT}T10:00:00+00:00",
    }


def test_racing_statements_with_one_id_are_stored_once(catalog: LiveServer):
    """One statement sent by several clients at once (an LRS retrying): kept once, applied once."""
    live = catalog
    totals = Counter()
    for round_ in range(ROUNDS):
        employee_id = f"loop-learner-{round_}"
        path = employee(live, employee_id)
        ident = str(uuid.uuid4())
        body = statement(ident, employee_id)
        post = partial(live.request, "POST", "/v1/xapi/statements", body=body)
        answers = settled(live, race([post] * WRITERS), "POST", "/v1/xapi/statements", body)
        assert_no_server_error(answers)
        assert [a.status for a in answers] == [200] * WRITERS, [a.body for a in answers]
        reports = Counter()
        for answer in answers:
            reports.update({k: v for k, v in answer.body.items() if isinstance(v, int)})
        assert reports == {"stored": 1, "already_stored": WRITERS - 1, "completions_added": 1}, (
            reports
        )
        totals.update(reports)
        listed = live.request("GET", "/v1/xapi/statements?page_size=100").body
        assert [s["id"] for s in listed].count(ident) == 1
        completed = live.request("GET", path).body["completed"]
        assert [c["item"] for c in completed] == ["loop.item.1"], completed
    assert totals["stored"] == ROUNDS


def test_racing_replans_of_one_plan_leave_one_active_plan(catalog: LiveServer):
    """Several replans of one active plan at once: one new plan, the others 409, no fork."""
    live = catalog
    for round_ in range(ROUNDS):
        path = employee(live, f"loop-planner-{round_}")
        created = live.request("POST", f"{path}/plans", body={"role": "loop.role"})
        assert created.status == 201, created.body
        old = created.body["id"]
        replan = f"{path}/plans/{old}/replan"
        answers = race([partial(live.request, "POST", replan)] * WRITERS)
        assert_no_server_error(answers)
        statuses = sorted(a.status for a in answers)
        assert statuses == [201] + [409] * (WRITERS - 1), [(a.status, a.body) for a in answers]
        for lost in (a for a in answers if a.status == 409):
            assert lost.headers["content-type"].startswith("application/problem+json")
            assert "superseded" in lost.body["detail"], lost.body
        new = next(a.body for a in answers if a.status == 201)
        assert new["replaces"] == old and new["status"] == "active"
        plans = live.request("GET", f"{path}/plans?page_size=100").body
        by_status = Counter(p["status"] for p in plans)
        assert by_status == {"active": 1, "superseded": 1}, [(p["id"], p["status"]) for p in plans]
        superseded = live.request("GET", f"{path}/plans/{old}").body
        assert superseded["superseded_by"] == new["id"], json.dumps(superseded)[:300]
