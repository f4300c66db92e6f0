"""A generated organisation for the workforce views, and a plain reference of their figures.

The reference reads only the raw records the generator wrote (skills, items, roles and
employees as sent) and works each figure out the long way, one employee at a time, with
nothing from the service: its own month arithmetic, its own sums.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from typing import Any

from flask.testing import FlaskClient

# Ids whose order differs between Python and a database collation: sums must not care.
SKILL_IDS = ("Zeta", "alpha", "beta-2", "aws", "k8s", "sql", "_ops", "py.core")
TEAMS = ("red", "blue", "green")
WEIGHTS = (0.25, 0.3, 0.5, 0.7, 1.0)


def today() -> dt.date:
    """Return today in UTC, the service's calendar."""
    return dt.datetime.now(dt.UTC).date()


def generate(seed: int, *, n_employees: int = 24) -> dict[str, Any]:
    """Return skills, items, roles and employees of a random organisation."""
    rng = random.Random(seed)
    skills = [{"id": s, "name": f"Skill {s}"} for s in SKILL_IDS]
    items = []
    for n in range(9):
        taught = rng.sample(SKILL_IDS, rng.randint(1, 2))
        items.append(
            {
                "id": f"c-{n}",
                "kind": "course",
                "title": f"Course {n}",
                "modality": "self_paced",
                "duration_hours": rng.choice((4, 8, 12, 20)),
                "skills": [{"skill": s, "level": rng.randint(2, 5)} for s in taught],
            }
        )
    for n, months in enumerate((6, 12, 24)):
        items.append(
            {
                "id": f"cert-{n}",
                "kind": "certification",
                "title": f"Certification {n}",
                "modality": "self_paced",
                "duration_hours": 30,
                "valid_months": months,
                "skills": [{"skill": rng.choice(SKILL_IDS), "level": rng.randint(2, 4)}],
            }
        )
    roles = []
    for n in range(4):
        wanted = rng.sample(SKILL_IDS, rng.randint(3, 5))
        roles.append(
            {
                "id": f"role-{n}",
                "title": f"Role {n}",
                "competencies": [
                    {"skill": s, "level": rng.randint(1, 5), "weight": rng.choice(WEIGHTS)}
                    for s in wanted
                ],
            }
        )
    role_ids = [r["id"] for r in roles]
    employees = []
    for n in range(n_employees):
        completed = []
        for item in rng.sample(items, rng.randint(0, 3)):
            day = today() - dt.timedelta(days=rng.randint(0, 900))
            record = {"item": item["id"], "completed_at": day.isoformat()}
            if rng.random() < 0.15:
                record["expires_at"] = (day + dt.timedelta(days=rng.randint(10, 400))).isoformat()
            completed.append(record)
        employees.append(
            {
                "id": f"e-{n:02d}",
                "display_name": f"Person {n}",
                "team": rng.choice(TEAMS),
                "current_role": rng.choice([*role_ids, None]),
                "target_roles": rng.sample(role_ids, rng.randint(0, 2)),
                "skills": [
                    {"skill": s, "level": rng.randint(0, 5)}
                    for s in rng.sample(SKILL_IDS, rng.randint(0, 5))
                ],
                "completed": completed,
                "preferences": {"mentor": rng.random() < 0.4},
            }
        )
    return {"skills": skills, "items": items, "roles": roles, "employees": employees}


def store(client: FlaskClient, headers: dict[str, str], org: dict[str, Any]) -> None:
    """Write an organisation through the import endpoints."""
    for kind in ("skills", "items", "roles", "employees"):
        response = client.post(f"/v1/{kind}/import", json=org[kind], headers=headers)
        assert response.status_code == 200, response.get_json()


# -- the reference ------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` later, or the last day of a shorter month."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def last_day(completion: dict, items: dict[str, dict]) -> dt.date | None:
    """Return the last day a completion counts, or None if it never stops counting."""
    if completion.get("expires_at"):
        return dt.date.fromisoformat(completion["expires_at"])
    months = items[completion["item"]].get("valid_months")
    if months and completion.get("completed_at"):
        return add_months(dt.date.fromisoformat(completion["completed_at"]), months)
    return None


def levels_of(employee: dict, items: dict[str, dict], day: dt.date) -> dict[str, int]:
    """Return an employee's effective levels on ``day``: stated, raised by valid completions."""
    levels = {s["skill"]: s["level"] for s in employee["skills"]}
    for completion in employee["completed"]:
        last = last_day(completion, items)
        if last is not None and day > last:
            continue
        for taught in items[completion["item"]]["skills"]:
            levels[taught["skill"]] = max(levels.get(taught["skill"], 0), taught["level"])
    return levels


def weighted_gap(levels: dict[str, int], role: dict) -> float:
    """Return the sum of weight times missing levels."""
    return sum(
        c.get("weight", 1.0) * max(0, c["level"] - levels.get(c["skill"], 0))
        for c in role["competencies"]
    )


def readiness(levels: dict[str, int], role: dict) -> float:
    """Return 1 - weighted gap / sum(weight * required), 1.0 for a role asking nothing."""
    total = sum(c.get("weight", 1.0) * c["level"] for c in role["competencies"])
    return 1.0 - weighted_gap(levels, role) / total if total else 1.0


class Reference:
    """The organisation's records, indexed, with today's levels of everyone."""

    def __init__(self, org: dict[str, Any], day: dt.date | None = None):
        self.day = day or today()
        self.items = {i["id"]: i for i in org["items"]}
        self.roles = {r["id"]: r for r in org["roles"]}
        self.employees = {e["id"]: e for e in org["employees"]}
        self.levels = {
            ident: levels_of(e, self.items, self.day) for ident, e in self.employees.items()
        }

    def in_team(self, team: str | None) -> list[dict]:
        """Return the employees of a team (everyone for None), by id."""
        return [e for _, e in sorted(self.employees.items()) if team is None or e["team"] == team]

    def skills(self, team: str | None = None, role: str | None = None) -> dict[str, dict]:
        """Return the skills view's figures per skill, as the API documents them."""
        people = self.in_team(team)
        demand: dict[str, dict[str, tuple[int, float]]] = {}
        for e in people:
            roles = ([e["current_role"]] if e["current_role"] else []) + e["target_roles"]
            for r in roles:
                if role is not None and r != role:
                    continue
                for c in self.roles[r]["competencies"]:
                    held = demand.setdefault(c["skill"], {}).get(e["id"], (0, 0.0))
                    merged = (max(held[0], c["level"]), max(held[1], c.get("weight", 1.0)))
                    demand[c["skill"]][e["id"]] = merged
        if role is not None:
            wanted = {e for by in demand.values() for e in by}
            people = [e for e in people if e["id"] in wanted]
        out = {}
        for skill in {s for e in people for s, lv in self.levels[e["id"]].items() if lv} | set(
            demand
        ):
            counts = [0] * 6
            for e in people:
                counts[self.levels[e["id"]].get(skill, 0)] += 1
            asked = demand.get(skill, {})
            by_level = [0] * 6
            met = 0
            shortfall = 0.0
            for ident, (level, weight) in asked.items():
                by_level[level] += 1
                have = self.levels[ident].get(skill, 0)
                met += have >= level
                shortfall += weight * max(0, level - have)
            out[skill] = {
                "employees_by_level": counts,
                "demand": {"employees": len(asked), "by_level": by_level},
                "met": met,
                "shortfall": shortfall,
                "covered": met / len(asked) if asked else None,
            }
        return out
