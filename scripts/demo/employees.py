"""The demo's employees: fictional people generated with a fixed seed from the demo roles."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from functools import partial
from typing import Any

from catalog.vocabulary import MODALITIES, SKILL_SOURCES
from recommender.profile import add_months

from .tables import by_id, read_csv, read_json

SEED = 20250601
# How a level is known without a completed item: self, manager or assessment (completed items
# add "certification" and "completion"). Drawn at random, so their order shapes the output.
STATED_SOURCES = SKILL_SOURCES[:3]
# Everyone learns self-paced; each other modality is a coin toss.
ALWAYS_MODALITY = "self_paced"
# Past completions and assessments are drawn from these days, then squeezed to end before the
# demo's history starts on 2025-12-01 (see scripts/demo/history.py).
COMPLETED_FROM, COMPLETED_TO, LAST_COMPLETED = (
    dt.date(2021, 1, 1), dt.date(2025, 12, 15), dt.date(2025, 11, 14)
)  # fmt: skip
LAST_ASSESSED = dt.date(2025, 11, 21)


def fixed_completions() -> dict[str, list[tuple[str, dt.date]]]:
    """Return the completions fixed on purpose (an expired and some retired items), by employee."""
    fixed: defaultdict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    for row in read_csv("fixed_completions.csv"):
        fixed[row["employee"]].append((row["item"], dt.date.fromisoformat(row["completed_at"])))
    return fixed


def raise_level(levels: dict[str, tuple[int, str]], skill: str, level: int, source: str) -> None:
    """Record ``skill`` at ``level`` (capped at 5) from ``source`` unless already as high."""
    if level > 0 and level > levels.get(skill, (0, ""))[0]:
        levels[skill] = (min(5, level), source)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """Return a day between ``start`` and ``end`` inclusive."""
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def squeezed(day: dt.date, start: dt.date, end: dt.date, last: dt.date) -> dt.date:
    """Move a day of ``start``-``end`` to the same place in ``start``-``last``.

    The profiles describe the organisation as its history starts (HISTORY_START), so their
    dates end before it; squeezing drawn dates keeps the draws, and so every other value.
    """
    span = (end - start).days
    return start + dt.timedelta(days=(day - start).days * (last - start).days // span)


def build_employees(roles, items) -> list[dict[str, Any]]:
    """Generate fictional employees with profiles shaped by their current and target roles."""
    teams, career_moves = read_json("teams.json"), read_json("career_moves.json")
    name_parts, fixed_by_employee = read_json("names.json"), fixed_completions()
    rng = random.Random(SEED)
    role_index = by_id(roles)
    item_index = by_id(items)
    names = [(first, last) for first in name_parts["first"] for last in name_parts["last"]]
    rng.shuffle(names)
    profile_start, profile_end = dt.date(2025, 1, 6), dt.date(2026, 2, 27)
    employees = []
    number = 1000
    for team, current_roles in teams.items():
        for current in current_roles:
            number += 1
            employee_id = f"E{number}"
            first, last = names.pop()
            moves = career_moves[current]
            targets = rng.sample(moves, k=min(len(moves), rng.choice([1, 1, 2])))
            levels: dict[str, tuple[int, str]] = {}
            have = partial(raise_level, levels)

            for competency in role_index[current]["competencies"]:
                delta = rng.choice([-2, -1, -1, 0, 0, 0, 1])
                have(competency["skill"], competency["level"] + delta, rng.choice(STATED_SOURCES))
            for target in targets:
                for competency in role_index[target]["competencies"]:
                    if competency["skill"] not in levels:
                        have(competency["skill"], rng.choice([0, 1, 1, 2, 2, 3]), "self")

            completed = []
            fixed = fixed_by_employee.get(employee_id, [])
            # Past completions: active certifications and courses related to the profile whose
            # prerequisites the person meets.
            candidates = [
                item
                for item in items
                if item["active"]
                and not item["requires_items"]
                and item["kind"] in ("certification", "course")
                and any(s["skill"] in levels for s in item["skills"])
                and all(
                    levels.get(p["skill"], (0, ""))[0] >= p["level"] for p in item["prerequisites"]
                )
            ]
            picks = [(item_id, day) for item_id, day in fixed]
            for item in rng.sample(candidates, k=min(len(candidates), rng.choice([0, 1, 1, 2, 3]))):
                if item["id"] not in {item_id for item_id, _ in picks}:
                    day = squeezed(
                        random_date(rng, COMPLETED_FROM, COMPLETED_TO), COMPLETED_FROM,
                        COMPLETED_TO, LAST_COMPLETED,
                    )  # fmt: skip
                    picks.append((item["id"], day))
            for item_id, day in sorted(picks, key=lambda pick: (pick[1], pick[0])):
                item = item_index[item_id]
                valid = item["valid_months"]
                completed.append(
                    {
                        "item": item_id,
                        "completed_at": day.isoformat(),
                        "expires_at": add_months(day, valid).isoformat() if valid else None,
                    }
                )
                source = "certification" if item["kind"] == "certification" else "completion"
                for taught in item["skills"]:
                    have(taught["skill"], taught["level"], source)

            modalities = [ALWAYS_MODALITY] + [
                m for m in MODALITIES if m != ALWAYS_MODALITY and rng.random() < 0.5
            ]
            employees.append(
                {
                    "id": employee_id,
                    "display_name": f"{first} {last}",
                    "team": team,
                    "current_role": current,
                    "target_roles": targets,
                    "skills": [
                        {
                            "skill": skill,
                            "level": level,
                            "source": source,
                            "assessed_at": squeezed(
                                random_date(rng, profile_start, profile_end),
                                profile_start,
                                profile_end,
                                LAST_ASSESSED,
                            ).isoformat(),  # fmt: skip
                        }
                        for skill, (level, source) in sorted(levels.items())
                    ],
                    "completed": completed,
                    "preferences": {
                        "hours_per_week": rng.choice([2, 3, 4, 4, 5, 6, 8, 10]),
                        "budget": rng.choice([0, 500, 1000, 1500, 2000, 2000, 3000, 5000]),
                        "modalities": modalities,
                        "languages": ["en", "de"] if rng.random() < 0.15 else ["en"],
                    },
                }
            )
    return employees
