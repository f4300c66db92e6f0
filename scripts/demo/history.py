"""The demo organisation's year: what its people learned, planned, finished and moved to.

``employees.json`` is the organisation as its history starts (HISTORY_START); ``history.json``
lists, in order, what happened to it until HISTORY_END. ``skillpath seed-demo`` replays each
step through the service's own writes at its moment, so skill history, plans and their dates
come out as they would have then. The steps are:

* ``completion``: the employee completed ``item`` that day (``expires_at`` for certifications);
* ``plan``: the employee kept a plan towards ``role`` (named ``plan`` for the later steps);
* ``plan_step``: the employee completed the next step of that plan that day, or with
  ``rest`` every step left (a plan with fewer steps than its ``plan_step`` lines just ends);
* ``abandon`` and ``replan``: the plan was abandoned, or planned again (the new one named
  ``as``);
* ``move``: the employee's current role became ``current_role`` (one of their target roles,
  an internal move), with new ``target_roles``; an HRIS write, as any profile change.

Everything is chosen by rules over the start profiles and a fixed seed, never by hand.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from recommender.profile import add_months

from .tables import DemoDataError, by_id, read_json

SEED = 20261202
HISTORY_START = dt.date(2025, 12, 1)
HISTORY_END = dt.date(2026, 11, 30)
# The day the demo was built: "within 90 days" is counted from it in the checks.
BUILD_DAY = dt.date(2026, 12, 2)
# Hours of the day each kind of step happens at, so one day's steps replay in a sensible order.
HOUR = {"move": 8, "plan": 9, "replan": 10, "abandon": 11, "completion": 14, "plan_step": 15}
# Kinds of items people take on their own during the year.
OWN_KINDS = ("certification", "course", "content", "program")
PLAN_CONSTRAINTS = {"max_hours": 120}
# The demo employee whose plan the README and the tests look at, and the role it aims at.
DEMO_PLAN = ("E1001", "cloud-architect")


def moment(day: dt.date, kind: str) -> str:
    """Return the ISO timestamp (UTC) a step of ``kind`` happens at on ``day``."""
    return f"{day.isoformat()}T{HOUR[kind]:02d}:00:00Z"


def step(day: dt.date, kind: str, employee: str, **fields: Any) -> dict[str, Any]:
    """Return one history step."""
    return {"at": moment(day, kind), "kind": kind, "employee": employee, **fields}


def weighted_gap(employee: Mapping[str, Any], role: Mapping[str, Any]) -> float:
    """Return the employee's weighted shortfall against a role from their stated levels."""
    levels = {s["skill"]: s["level"] for s in employee["skills"]}
    return sum(
        c["weight"] * max(0, c["level"] - levels.get(c["skill"], 0)) for c in role["competencies"]
    )


def mark_mentors(employees: list[dict[str, Any]]) -> list[str]:
    """Opt the most skilled person of each team (two in platform and security) into mentoring."""
    by_team: dict[str, list[dict[str, Any]]] = {}
    for employee in employees:
        by_team.setdefault(employee["team"], []).append(employee)
    chosen = []
    for team, people in sorted(by_team.items()):
        ranked = sorted(people, key=lambda e: (-sum(s["level"] for s in e["skills"]), e["id"]))
        for employee in ranked[: 2 if team in ("platform", "security") else 1]:
            employee["preferences"]["mentor"] = True
            chosen.append(employee["id"])
    return sorted(chosen)


def completion(day: dt.date, employee: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """Return a completion step, with the certificate's expiry when the item has one."""
    valid = item["valid_months"]
    expires = add_months(day, valid).isoformat() if valid else None
    return step(day, "completion", employee, item=item["id"], expires_at=expires)


def _takeable(item, levels: Mapping[str, int], done: set[str]) -> bool:
    return (
        item["active"]
        and all(levels.get(p["skill"], 0) >= p["level"] for p in item["prerequisites"])
        and all(required in done for required in item["requires_items"])
    )


def own_learning(rng: random.Random, roles, items, employees) -> list[dict[str, Any]]:
    """Completions people chose themselves: items teaching what their target roles miss."""
    role_index = by_id(roles)
    steps = []
    days = (HISTORY_END - HISTORY_START).days
    for employee in employees:
        if rng.random() < 0.35 or not employee["target_roles"]:
            continue
        levels = {s["skill"]: s["level"] for s in employee["skills"]}
        done = {c["item"] for c in employee["completed"]}
        missing = {
            c["skill"]
            for role in employee["target_roles"]
            for c in role_index[role]["competencies"]
            if levels.get(c["skill"], 0) < c["level"]
        }
        choices = [
            item
            for item in items
            if item["kind"] in OWN_KINDS
            and item["id"] not in done
            and _takeable(item, levels, done)
            and any(s["skill"] in missing and s["level"] > levels.get(s["skill"], 0)
                    for s in item["skills"])
        ]  # fmt: skip
        for item in rng.sample(choices, k=min(len(choices), rng.choice([1, 1, 2, 3]))):
            day = HISTORY_START + dt.timedelta(days=rng.randint(7, days))
            steps.append(completion(day, employee["id"], item))
    return steps


def expiring_soon(items, employees) -> list[dict[str, Any]]:
    """Yearly certifications earned last winter, so some expire within 90 days of the build.

    The first three people (by id) whose current or target roles name a skill one of them
    teaches, and who hold none of them yet, earned one in December to February.
    """
    yearly = [item for item in items if item["valid_months"] == 12 and item["active"]]
    taken = []
    for employee in employees:
        skills = {s["skill"] for s in employee["skills"]}
        done = {c["item"] for c in employee["completed"]}
        fits = [
            item
            for item in yearly
            if item["id"] not in done
            and not item["prerequisites"]
            and not item["requires_items"]
            and skills & {s["skill"] for s in item["skills"]}
        ]
        if fits:
            day = dt.date(2025, 12, 9) + dt.timedelta(days=31 * len(taken))
            taken.append(completion(day, employee["id"], fits[0]))
        if len(taken) == 3:
            break
    return taken


def renewals(items, employees) -> list[dict[str, Any]]:
    """Two people renew a certification three weeks before it lapses; the others let it lapse."""
    item_index = by_id(items)
    lapsing = sorted(
        (dt.date.fromisoformat(c["expires_at"]), employee["id"], c["item"])
        for employee in employees
        for c in employee["completed"]
        if c["expires_at"]
        and item_index[c["item"]]["active"]
        and HISTORY_START + dt.timedelta(days=30) <= dt.date.fromisoformat(c["expires_at"])
        < HISTORY_END
    )  # fmt: skip
    steps, renewed = [], set()
    for expires, employee_id, item_id in lapsing:
        if employee_id not in renewed:
            renewed.add(employee_id)
            steps.append(
                completion(expires - dt.timedelta(days=21), employee_id, item_index[item_id])
            )
        if len(steps) == 2:
            break
    return steps


def plan_steps(employee: str, plan: str, days: Sequence[dt.date], rest: dt.date | None):
    """Return the steps completing a plan's steps one by one on ``days``, and all on ``rest``."""
    out = [step(day, "plan_step", employee, plan=plan) for day in days]
    if rest is not None:
        out.append(step(rest, "plan_step", employee, plan=plan, rest=True))
    return out


def plans_and_moves(roles, employees) -> list[dict[str, Any]]:
    """Plans kept and finished, one abandoned, one replanned, and two internal moves.

    Plans go to the people furthest from their first target role (one per team, in turn);
    the two who finish first move into that role.
    """
    role_index = by_id(roles)
    moves_to = read_json("career_moves.json")
    planned, used = [], {DEMO_PLAN[0]}
    for team in ("platform", "data", "qa", "security", "web", "pmo", "platform", "data"):
        people = [e for e in employees if e["team"] == team and e["target_roles"]]
        people.sort(key=lambda e: (-weighted_gap(e, role_index[e["target_roles"][0]]), e["id"]))
        chosen = next(e for e in people if e["id"] not in used)
        used.add(chosen["id"])
        planned.append(chosen)
    d = dt.date
    steps: list[dict[str, Any]] = []

    def keep(n: int, day: dt.date, employee: Mapping[str, Any], role: str | None = None) -> str:
        name = f"plan-{n}"
        role = role or employee["target_roles"][0]
        steps.append(step(day, "plan", employee["id"], role=role, plan=name,
                          constraints=PLAN_CONSTRAINTS))  # fmt: skip
        return name

    # Two plans finished, then the move into the role they aimed at.
    for n, (employee, start, done, rest, move) in enumerate(
        [
            (
                planned[0],
                d(2025, 12, 8),
                [d(2026, 1, 23), d(2026, 2, 20)],
                d(2026, 3, 20),
                d(2026, 4, 1),
            ),
            (
                planned[1],
                d(2026, 2, 2),
                [d(2026, 3, 27), d(2026, 5, 15)],
                d(2026, 7, 10),
                d(2026, 9, 1),
            ),
        ],  # fmt: skip
        1,
    ):
        name = keep(n, start, employee)
        steps += plan_steps(employee["id"], name, done, rest)
        role = employee["target_roles"][0]
        after = [r for r in employee["target_roles"] if r != role] or [
            r for r in moves_to.get(role, []) if r != employee["current_role"]
        ][:1]
        steps.append(step(move, "move", employee["id"], current_role=role, target_roles=after))
    # A third finished plan, without a move (yet).
    name = keep(3, d(2026, 1, 12), planned[2])
    steps += plan_steps(planned[2]["id"], name, [d(2026, 3, 3), d(2026, 5, 4)], d(2026, 6, 22))
    # Abandoned after one step.
    name = keep(4, d(2026, 1, 19), planned[3])
    steps += plan_steps(planned[3]["id"], name, [d(2026, 2, 20)], None)
    steps.append(step(d(2026, 5, 4), "abandon", planned[3]["id"], plan=name))
    # Replanned after one step; the new plan goes on.
    name = keep(5, d(2026, 3, 2), planned[4])
    steps += plan_steps(planned[4]["id"], name, [d(2026, 4, 10)], None)
    steps.append(step(d(2026, 6, 15), "replan", planned[4]["id"], plan=name, **{"as": "plan-6"}))
    steps += plan_steps(planned[4]["id"], "plan-6", [d(2026, 8, 20)], None)
    # Active plans, kept this autumn, some steps done.
    name = keep(7, d(2026, 8, 17), planned[5])
    steps += plan_steps(planned[5]["id"], name, [d(2026, 10, 5)], None)
    name = keep(8, d(2026, 10, 12), planned[6])
    steps += plan_steps(planned[6]["id"], name, [d(2026, 11, 16)], None)
    employee_id, role = DEMO_PLAN
    name = keep(9, d(2026, 9, 14), next(e for e in employees if e["id"] == employee_id), role)
    steps += plan_steps(employee_id, name, [d(2026, 11, 2)], None)
    return steps


def build_history(roles, items, employees) -> dict[str, Any]:
    """Mark the mentors and return the year: when it starts and ends, its steps in order."""
    mark_mentors(employees)
    rng = random.Random(SEED)
    steps = (
        own_learning(rng, roles, items, employees)
        + expiring_soon(items, employees)
        + renewals(items, employees)
        + plans_and_moves(roles, employees)
    )
    steps.sort(key=lambda s: (s["at"], s["employee"], s.get("item", ""), s.get("plan", "")))
    check_history(steps, roles, items, employees)
    return {
        # The profiles are written the evening before, so the first month has a gap to close.
        "starts": f"{(HISTORY_START - dt.timedelta(days=1)).isoformat()}T18:00:00Z",
        "ends": HISTORY_END.isoformat(),
        "steps": steps,
    }


def check_history(steps, roles, items, employees) -> None:
    """Fail the build when a step falls outside the year or names what the demo lacks."""
    role_ids, item_ids = {r["id"] for r in roles}, {i["id"] for i in items}
    people = by_id(employees)
    problems = []
    seen: set[tuple[str, str, str]] = set()
    for n, s in enumerate(steps):
        day = dt.date.fromisoformat(s["at"][:10])
        if not HISTORY_START <= day <= HISTORY_END:
            problems.append(f"step {n} on {day} is outside the year")
        if s["employee"] not in people:
            problems.append(f"step {n} names unknown employee {s['employee']}")
        if s["kind"] == "completion":
            key = (s["employee"], s["item"], s["at"][:10])
            if s["item"] not in item_ids or key in seen:
                problems.append(f"step {n}: unknown or repeated completion {key}")
            seen.add(key)
        for role in [s.get("role"), s.get("current_role"), *s.get("target_roles", [])]:
            if role is not None and role not in role_ids:
                problems.append(f"step {n} names unknown role {role}")
    moves = [s for s in steps if s["kind"] == "move"]
    if len(moves) != 2 or any(
        m["current_role"] not in people[m["employee"]]["target_roles"] for m in moves
    ):
        problems.append("the year must hold two moves into a target role")
    if problems:
        raise DemoDataError("\n".join(problems))
