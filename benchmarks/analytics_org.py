"""A generated organisation for the workforce analytics benchmark, and loading it fast.

:func:`generate` builds, from a seed, the rows of an organisation of the size asked (10,000
employees, 200 roles, 2,000 skills and two years of history by default): skills, items,
roles, employees with stated levels and target roles, completions, skill events, kept plans
and role changes. Roles come in families that share skills, so targets, items and gaps
overlap as in a real organisation; the first team is the size the team heatmap is timed on.

Skill events are worked out with the history's own functions
(:func:`catalog.history.effective_levels`), so they agree with the completions as a live
write would have recorded them: the stated levels at the start, then each completion's rises
and each certificate's lapse, on their days. :func:`load` writes the rows with Core inserts in
batches, a few seconds for the full size instead of minutes through the API.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, update

from catalog.history import Evidence, ItemFacts, effective_levels, level_changes
from catalog.models import Base, CatalogState
from recommender.profile import add_months
from recommender.text import name_key
from recommender.types import Completion

# The tables in the order their rows go in (each refers only to earlier ones).
TABLES = (
    "skills", "items", "item_skills", "roles", "role_competencies", "employees",
    "employee_skills", "employee_target_roles", "completions", "skill_events", "plans",
    "role_changes",
)  # fmt: skip
INSERT_BATCH = 5_000
FAMILY_SKILLS = 60  # skills a family of roles draws its competencies from
ROLES_PER_FAMILY = 5


@dataclass(frozen=True, slots=True)
class OrgSize:
    """How large an organisation to generate."""

    employees: int = 10_000
    roles: int = 200
    skills: int = 2_000
    items: int = 4_000
    team: int = 300  # the first team's size; the others share the rest
    teams: int = 34
    months: int = 24  # of history, ending the day before ``today``


FULL = OrgSize()
QUICK = OrgSize(employees=1_000, roles=40, skills=400, items=800, team=100, teams=10)


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _catalog(rng: random.Random, size: OrgSize, stamp: dt.datetime) -> dict[str, list]:
    skills = [
        {"id": f"s{n:04d}", "name": f"Skill {n:04d}", "name_key": name_key(f"Skill {n:04d}"),
         "category": f"family-{n // FAMILY_SKILLS}", "created_at": stamp, "updated_at": stamp}
        for n in range(size.skills)
    ]  # fmt: skip
    families = max(1, size.skills // FAMILY_SKILLS)
    roles, competencies = [], []
    for n in range(size.roles):
        family = (n // ROLES_PER_FAMILY) % families
        role_id = f"r{n:03d}"
        roles.append({"id": role_id, "title": f"Role {n:03d}", "family": f"family-{family}",
                      "created_at": stamp, "updated_at": stamp})  # fmt: skip
        pool = range(family * FAMILY_SKILLS, min(size.skills, (family + 1) * FAMILY_SKILLS))
        for skill in sorted(rng.sample(pool, k=min(12, len(pool)))):
            competencies.append({"role_id": role_id, "skill_id": f"s{skill:04d}",
                                 "level": rng.randint(2, 5),
                                 "weight": round(rng.uniform(0.3, 1.0), 2)})  # fmt: skip
    items, taught = [], []
    for n in range(size.items):
        family = n % families
        kind = rng.choices(["course", "certification", "content"], weights=[6, 3, 1])[0]
        hours = float(rng.choice([4, 8, 12, 16, 24, 40, 60, 80]))
        items.append({
            "id": f"i{n:04d}", "kind": kind, "title": f"{kind.title()} {n:04d}",
            "url": f"https://learn.example.com/{n}", "modality": "self_paced",
            "duration_hours": hours, "cost": float(rng.choice([0, 0, 50, 150, 300, 500])),
            "valid_months": rng.choice([12, 24, 36, None]) if kind == "certification" else None,
            "created_at": stamp, "updated_at": stamp,
        })  # fmt: skip
        pool = range(family * FAMILY_SKILLS, min(size.skills, (family + 1) * FAMILY_SKILLS))
        for skill in sorted(rng.sample(pool, k=min(rng.randint(2, 3), len(pool)))):
            taught.append({"item_id": f"i{n:04d}", "skill_id": f"s{skill:04d}",
                           "level": rng.randint(1, 4)})  # fmt: skip
    return {"skills": skills, "items": items, "item_skills": taught, "roles": roles,
            "role_competencies": competencies}  # fmt: skip


def _index(rows: Iterable[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def generate(size: OrgSize = FULL, *, seed: int = 2026, today: dt.date | None = None):
    """Return the rows of a generated organisation, by table, the same for the same seed."""
    rng = random.Random(seed)
    today = today or dt.date(2026, 12, 1)
    start = add_months(today, -size.months)
    stamp = _moment(start, 8)
    org = _catalog(rng, size, stamp)
    needs = _index(org["role_competencies"], "role_id")
    teaching = _index(org["item_skills"], "skill_id")
    taught_by = _index(org["item_skills"], "item_id")
    item_rows = {item["id"]: item for item in org["items"]}
    facts = {
        item_id: ItemFacts(item_rows[item_id]["valid_months"],
                           tuple((r["skill_id"], r["level"]) for r in rows))
        for item_id, rows in taught_by.items()
    }  # fmt: skip
    role_ids = [role["id"] for role in org["roles"]]
    days = (today - start).days
    tables: dict[str, list] = {name: [] for name in TABLES[5:]}
    for n in range(size.employees):
        employee_id = f"e{n:05d}"
        team = 0 if n < size.team else 1 + n % max(1, size.teams - 1)
        current = rng.choice(role_ids)
        family = role_ids.index(current) // ROLES_PER_FAMILY
        near = [r for r in role_ids[family * ROLES_PER_FAMILY : (family + 1) * ROLES_PER_FAMILY]
                if r != current] or [r for r in role_ids if r != current]  # fmt: skip
        targets = rng.sample(near, k=min(len(near), rng.choice([1, 1, 2])))
        tables["employees"].append({
            "id": employee_id, "display_name": f"Employee {n:05d}", "team": f"team-{team:03d}",
            "current_role": current, "email": f"e{n:05d}@example.com",
            "email_key": f"e{n:05d}@example.com", "created_at": stamp, "updated_at": stamp,
            "preferences": {"hours_per_week": rng.choice([2, 4, 5, 8]),
                            **({"mentor": True} if rng.random() < 0.05 else {})},
        })  # fmt: skip
        tables["employee_target_roles"] += [
            {"employee_id": employee_id, "position": p, "role_id": r} for p, r in enumerate(targets)
        ]
        stated: dict[str, int] = {}
        for need in needs[current]:
            stated[need["skill_id"]] = max(1, min(5, need["level"] + rng.choice([-2, -1, 0, 0, 1])))
        for target in targets:
            for need in needs[target]:
                stated.setdefault(need["skill_id"], rng.choice([0, 1, 1, 2, 2, 3]))
        stated = {skill: level for skill, level in stated.items() if level > 0}
        tables["employee_skills"] += [
            {"employee_id": employee_id, "skill_id": skill, "level": level,
             "source": rng.choice(["self", "manager", "assessment"]), "assessed_at": start}
            for skill, level in sorted(stated.items())
        ]  # fmt: skip
        wanted = sorted({need["skill_id"] for t in targets for need in needs[t]})
        done = _history(rng, tables, employee_id, targets, wanted, teaching, item_rows, start, days)
        evidence = Evidence({s: (lv, "self") for s, lv in stated.items()}, tuple(done))
        _skill_events(tables, employee_id, evidence, facts, start, today)
        if rng.random() < 0.03:
            moved = _moment(start + dt.timedelta(days=rng.randint(30, days - 1)), 8)
            tables["role_changes"].append({"employee_id": employee_id, "at": moved,
                                           "from_role": rng.choice(near), "to_role": current,
                                           "targeted": rng.random() < 0.8})  # fmt: skip
    tables["skill_events"].sort(key=lambda row: (row["at"], row["employee_id"], row["skill_id"]))
    return {**org, **tables}


def _history(rng, tables, employee_id, targets, wanted, teaching, item_rows, start, days):
    """Add an employee's completions and plans over the years; return the completions."""
    candidates = sorted({row["item_id"] for skill in wanted for row in teaching.get(skill, ())})
    done: list[Completion] = []
    taken: set[str] = set()

    def complete(item_id: str, day: dt.date) -> None:
        if item_id in taken or day >= start + dt.timedelta(days=days):
            return
        taken.add(item_id)
        months = item_rows[item_id]["valid_months"]
        expires = add_months(day, months) if months else None
        done.append(Completion(item_id, day, expires))
        tables["completions"].append({
            "employee_id": employee_id, "item_id": item_id, "completed_at": day,
            "expires_at": expires, "source": "lms", "recorded_at": _moment(day, 18),
        })  # fmt: skip

    for item_id in rng.sample(candidates, k=min(len(candidates), rng.choice([0, 1, 2, 3, 4]))):
        complete(item_id, start + dt.timedelta(days=rng.randint(1, days - 1)))
    if rng.random() < 0.3 and len(candidates) >= 3:
        steps = rng.sample(candidates, k=3)
        created = start + dt.timedelta(days=rng.randint(1, days - 90))
        status = rng.choices(["completed", "active", "abandoned", "superseded"], [4, 4, 1, 1])[0]
        finished = 3 if status == "completed" else rng.randint(0, 2)
        for position, item_id in enumerate(steps[:finished], 1):
            complete(item_id, created + dt.timedelta(days=21 * position))
        ended = {
            "completed": created + dt.timedelta(days=21 * finished),
            "abandoned": created + dt.timedelta(days=60),
            "superseded": created + dt.timedelta(days=45),
        }.get(status)
        plan = _plan(employee_id, targets[0], status, created, ended, steps, item_rows)
        tables["plans"].append(plan)
        if status == "superseded":
            # Replanned: the rest of the steps go on in an active plan that replaces it.
            rest = _plan(employee_id, targets[0], "active", ended, None, steps, item_rows)
            plan["superseded_by"], rest["replaces"] = rest["id"], plan["id"]
            tables["plans"].append(rest)
    return done


def _plan(employee_id, role, status, created, ended, steps, item_rows) -> dict[str, Any]:
    """Return a kept plan's row, its steps shaped as a learning path keeps them."""
    kept = []
    for position, item_id in enumerate(steps, 1):
        item = item_rows[item_id]
        first = created + dt.timedelta(days=21 * (position - 1))
        kept.append({
            "position": position, "closes": [], "builds": [], "unlocks": [],
            "item": {"id": item_id, "title": item["title"], "kind": item["kind"],
                     "modality": item["modality"], "provider": None, "url": item["url"],
                     "language": "en", "duration_hours": item["duration_hours"],
                     "cost": item["cost"], "currency": "USD"},
            "start_week": 3 * position - 2, "end_week": 3 * position,
            "start_date": first.isoformat(),
            "end_date": (first + dt.timedelta(days=20)).isoformat(),
            "why": "closes a gap of the target role", "hours": item["duration_hours"],
        })  # fmt: skip
    hours = round(sum(step["hours"] for step in kept), 2)
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"plan:{employee_id}:{created}:{status}")),
        "employee_id": employee_id, "role_id": role, "status": status,
        "created_at": _moment(created), "created_on": created,
        "ended_at": _moment(ended, 17) if ended else None,
        "requested": {}, "steps": kept,
        "path": {"target": {"role": role, "title": role}, "readiness_before": 0.5,
                 "readiness_after": 0.8, "coverage": 0.6, "total_hours": hours,
                 "total_cost": round(sum(s["item"]["cost"] for s in kept), 2),
                 "currency": "USD", "constraints": {}, "unmet": [], "excluded": [],
                 "model": {"planner": "milp", "optimal": True}, "gaps": []},
    }  # fmt: skip


def _skill_events(tables, employee_id, evidence, facts, start, today) -> None:
    """Record the stated levels on the first day, then every rise and lapse on its day."""
    completions = evidence.completions
    days = sorted({c.completed_at for c in completions} | {
        c.expires_at + dt.timedelta(days=1) for c in completions
        if c.expires_at is not None and c.expires_at < today
    })  # fmt: skip
    before: dict[str, tuple[int, str]] = {}
    for day in [start, *days]:
        known = Evidence(evidence.stated, tuple(c for c in completions if c.completed_at <= day))
        after = effective_levels(known, facts, day)
        cause = "profile" if day == start else (
            "completion" if any(c.completed_at == day for c in completions) else "expiry"
        )  # fmt: skip
        for skill, old, new, source in level_changes(before, after):
            tables["skill_events"].append({
                "employee_id": employee_id, "skill_id": skill, "from_level": old,
                "to_level": new, "source": source, "cause": cause, "at": _moment(day, 12),
            })  # fmt: skip
        before = after


def load(engine: Engine, org: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Insert the organisation's rows in batches and move the catalog version on.

    :return: how many rows went into each table.
    """
    counts = {}
    with engine.begin() as conn:
        for name in TABLES:
            rows = org.get(name, [])
            table = Base.metadata.tables[name]
            for first in range(0, len(rows), INSERT_BATCH):
                conn.execute(insert(table), rows[first : first + INSERT_BATCH])
            counts[name] = len(rows)
        conn.execute(update(CatalogState).values(version=CatalogState.version + 1))
    return counts
