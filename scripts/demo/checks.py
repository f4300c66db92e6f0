"""Checks that the four demo data sets fit together before they are written."""

from __future__ import annotations

from collections import Counter, defaultdict

from catalog.importers import name_key

from .tables import DemoDataError, read_csv


def unmet_on_purpose() -> set[tuple[str, str]]:
    """Return the (role, skill) competencies left unmet on purpose, so gap analysis shows some."""
    return {(row["role"], row["skill"]) for row in read_csv("unmet_on_purpose.csv")}


def unteachable(roles, items) -> set[tuple[str, str]]:
    """Return the (role, skill) competencies no active item teaches up to the required level."""
    best: dict[str, int] = defaultdict(int)
    for item in items:
        if item["active"]:
            for taught in item["skills"]:
                best[taught["skill"]] = max(best[taught["skill"]], taught["level"])
    return {
        (role["id"], c["skill"])
        for role in roles
        for c in role["competencies"]
        if best[c["skill"]] < c["level"]
    }


def check(skills, roles, items, employees) -> None:
    """Fail on a dangling reference, a repeated skill name or an unplanned unmet competency."""
    problems = []
    item_ids = {item["id"] for item in items}
    role_ids = {role["id"] for role in roles}
    if len(item_ids) != len(items):
        problems.append("duplicate item ids")
    for item in items:
        for entry in item["skills"] + item["prerequisites"]:
            if entry["skill"] not in skills:
                problems.append(f"item {item['id']}: unknown skill {entry['skill']}")
        for required in item["requires_items"]:
            if required not in item_ids:
                problems.append(f"item {item['id']}: unknown required item {required}")
        taught = {entry["skill"]: entry["level"] for entry in item["skills"]}
        for entry in item["prerequisites"]:
            if entry["level"] >= taught.get(entry["skill"], 6):
                problems.append(f"item {item['id']}: requires {entry['skill']} at the level taught")
    for role in roles:
        for competency in role["competencies"]:
            if competency["skill"] not in skills:
                problems.append(f"role {role['id']}: unknown skill {competency['skill']}")
    for employee in employees:
        for role in [employee["current_role"], *employee["target_roles"]]:
            if role not in role_ids:
                problems.append(f"employee {employee['id']}: unknown role {role}")
    names: Counter[str] = Counter()
    for skill in skills.values():
        names.update({name_key(skill["name"]), *(name_key(a) for a in skill["aliases"])})
    problems += [f"skill name or alias used twice: {key!r}" for key, n in names.items() if n > 1]
    gaps, planned = unteachable(roles, items), unmet_on_purpose()
    if gaps != planned:
        problems.append(f"unplanned unmet competencies: {sorted(gaps - planned)}")
        problems.append(f"planned but taught: {sorted(planned - gaps)}")
    if problems:
        raise DemoDataError("\n".join(problems))
