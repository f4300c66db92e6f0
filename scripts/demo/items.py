"""The demo catalog: public certifications, courses and books, then internal learning offers."""

from __future__ import annotations

from typing import Any

from catalog.vocabulary import ITEM_KINDS, MODALITIES

from .tables import DemoDataError, levels, read_csv, split

CURRENCY = "USD"
INTERNAL = "Internal"
INTERNAL_URL = "https://learning.example.com"
# Where each kind of internal offer is published under INTERNAL_URL.
INTERNAL_PATHS = {"mentoring": "mentoring", "assignment": "assignments", "program": "programs"}
# The cells internal_items.csv leaves out: every internal offer is the same in these.
INTERNAL_CELLS = {
    "provider": INTERNAL,
    "language": "en",
    "active": "true",
    "valid_months": "",
    "requires_items": "",
    "description": "",
}


# Levels: 0 none, 1 awareness, 2 beginner, 3 practitioner, 4 advanced, 5 expert.
ADVANCED = 4
# Advanced and expert levels build on what a learner already has: at most this many levels
# above the level the item's prerequisites (or required items) ensure.
ADVANCED_STEP = 2


def level_limits(kind: str, hours: float) -> tuple[int, int]:
    """Return the highest level an item of ``kind`` and ``hours`` teaches, and the most it adds.

    The rule the demo catalog follows, so that what an item claims to teach is believable:

    * reading (``content``): awareness under 5 hours, beginner under 15, else practitioner;
    * ``course`` and ``program``: awareness under 5 hours, beginner under 15, practitioner
      under 60, else advanced; at most three levels gained;
    * ``certification``: beginner under 25 hours of preparation (foundation exams),
      practitioner under 50, else advanced (associate and professional exams teach their area
      to 3 or 4, never to expert); at most three levels gained;
    * ``mentoring`` and ``assignment``: one level per 10 hours and at most two in all, so
      under 20 hours they raise a skill by one level; advanced at most, expert only from 100
      hours.

    "Gained" counts from the level the item's prerequisites or required items ensure in that
    skill (0 without one). On top of that, a skill reaches advanced (4) or expert (5) only two
    levels above that entry level (see :func:`taught_level`).
    """
    if kind == "content":
        return (1 if hours < 5 else 2 if hours < 15 else 3), 3
    if kind in ("course", "program"):
        return (1 if hours < 5 else 2 if hours < 15 else 3 if hours < 60 else 4), 3
    if kind == "certification":
        return (2 if hours < 25 else 3 if hours < 50 else 4), 3
    if kind in ("mentoring", "assignment"):
        return (5 if hours >= 100 else 4), max(1, min(2, int(hours // 10)))
    raise DemoDataError(f"no level rule for a {kind}")


def taught_level(kind: str, hours: float, wanted: int, entry: int) -> int:
    """Return the level an item teaches a skill: ``wanted`` within :func:`level_limits`.

    ``entry`` is the level the item's prerequisites or required items ensure in the skill. An
    item reaches advanced or expert only ``ADVANCED_STEP`` levels above it: advanced takes
    beginner first, expert practitioner.
    """
    highest, gain = level_limits(kind, hours)
    level = min(wanted, highest, entry + gain)
    while level >= ADVANCED and level - entry > ADVANCED_STEP:
        level -= 1
    return level


def believable_levels(items: list[dict[str, Any]]) -> list[str]:
    """Cap the levels every item teaches by :func:`taught_level`; return rows to fix.

    The tables give the level each item works at in each skill; the rule caps it by the
    item's kind, length and entry level. The first skill listed is the item's subject: if the
    rule would lower it, the table is wrong (it needs a prerequisite, a required item or a
    lower level), and the row is returned rather than silently changed.
    """
    index = {item["id"]: item for item in items}
    done: dict[str, dict[str, int]] = {}
    problems: list[str] = []

    def taught(item_id: str, path: tuple[str, ...] = ()) -> dict[str, int]:
        if item_id in done:
            return done[item_id]
        if item_id in path:
            raise DemoDataError(f"items require each other: {' -> '.join(path + (item_id,))}")
        item = index[item_id]
        entry = {p["skill"]: p["level"] for p in item["prerequisites"]}
        for required in item["requires_items"]:
            if required not in index:
                continue  # reported by the checks
            for skill, level in taught(required, path + (item_id,)).items():
                entry[skill] = max(level, entry.get(skill, 0))
        for position, skill in enumerate(item["skills"]):
            wanted = skill["level"]
            level = taught_level(
                item["kind"], item["duration_hours"], wanted, entry.get(skill["skill"], 0)
            )
            if position == 0 and level != wanted:
                problems.append(
                    f"item {item_id}: a {item['duration_hours']:g}-hour {item['kind']} teaches"
                    f" {skill['skill']} to {level} at most from its entry level, not {wanted}"
                )
            skill["level"] = level
        done[item_id] = {s["skill"]: s["level"] for s in item["skills"]}
        return done[item_id]

    for item in items:
        taught(item["id"])
    return problems


def read_items() -> list[dict[str, Any]]:
    """Return the catalog items in the shape the items import takes, public ones first.

    Levels taught are capped by :func:`believable_levels`. An item without a description gets
    one from what it teaches (:func:`describe_items`).
    """
    rows = read_csv("public_items.csv")
    for row in read_csv("internal_items.csv"):
        if row["kind"] not in INTERNAL_PATHS:
            raise DemoDataError(f"item {row['id']}: no internal offer is a {row['kind']}")
        url = f"{INTERNAL_URL}/{INTERNAL_PATHS[row['kind']]}/{row['id']}"
        rows.append({**INTERNAL_CELLS, "url": url, **row})
    items = [_item(row) for row in rows]
    problems = believable_levels(items)
    if problems:
        raise DemoDataError("\n".join(problems))
    return items


def _item(row: dict[str, str]) -> dict[str, Any]:
    """Return the item record one table row describes."""
    try:
        if row["kind"] not in ITEM_KINDS or row["modality"] not in MODALITIES:
            raise ValueError(f"kind {row['kind']!r}, modality {row['modality']!r}")
        return {
            "id": row["id"],
            "kind": row["kind"],
            "title": row["title"],
            "description": row["description"] or None,
            "provider": row["provider"],
            "url": row["url"],
            "language": row["language"],
            "modality": row["modality"],
            "duration_hours": float(row["duration_hours"]),
            "cost": float(row["cost"]),
            "currency": CURRENCY,
            "skills": levels(row["skills"]),
            "prerequisites": levels(row["prerequisites"]),
            "requires_items": split(row["requires_items"]),
            "valid_months": int(row["valid_months"]) if row["valid_months"] else None,
            "active": {"true": True, "false": False}[row["active"]],
        }
    except (KeyError, ValueError) as error:
        raise DemoDataError(f"item {row['id']}: unreadable cell ({error})") from None


def describe_items(items, skills) -> None:
    """Write a description for every item that has none, from what it teaches."""
    for item in items:
        if item["description"]:
            continue
        names = [skills[s["skill"]]["name"] for s in item["skills"]]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        item["description"] = {
            "certification": f"Certification exam by {item['provider']}; validates {listed}.",
            "course": f"Course by {item['provider']} covering {listed}.",
            "content": f"Self-study reading on {listed}.",
            "mentoring": f"Regular one-to-one sessions with an experienced colleague on {listed}.",
            "assignment": f"Stretch assignment on the job that builds {listed}.",
            "program": f"Internal learning program covering {listed}.",
        }[item["kind"]]
