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


def read_items() -> list[dict[str, Any]]:
    """Return the catalog items in the shape the items import takes, public ones first.

    An item without a description gets one from what it teaches (:func:`describe_items`).
    """
    rows = read_csv("public_items.csv")
    for row in read_csv("internal_items.csv"):
        if row["kind"] not in INTERNAL_PATHS:
            raise DemoDataError(f"item {row['id']}: no internal offer is a {row['kind']}")
        url = f"{INTERNAL_URL}/{INTERNAL_PATHS[row['kind']]}/{row['id']}"
        rows.append({**INTERNAL_CELLS, "url": url, **row})
    return [_item(row) for row in rows]


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
