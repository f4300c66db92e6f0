"""The demo's skills: a curated technology taxonomy and the O*NET elements the roles use."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from catalog.importers import name_key

from .tables import DemoDataError, by_id, read_csv, read_json, split

ESCO_NAMESPACE = "http://data.europa.eu/esco/"


class TechSkill(NamedTuple):
    """One row of ``technology_skills.csv``."""

    id: str
    name: str
    category: str
    aliases: list[str]
    description: str
    #: O*NET technology example names; the first is the external id, all map onto the skill.
    onet_examples: list[str]
    #: ESCO preferred labels; the first found in ESCO's namespace gives the external id.
    esco_labels: list[str]


class ElementTables(NamedTuple):
    """The contents of ``onet_elements.json``."""

    #: Demo ids of the O*NET Skills/Knowledge elements a role may require.
    role_elements: frozenset[str]
    #: O*NET Element IDs kept under another demo id.
    other_ids: dict[str, str]
    #: Extra (aliases, ESCO labels) of element skills, by demo id.
    extras: dict[str, tuple[list[str], list[str]]]


def technology_skills() -> list[TechSkill]:
    """Return the curated technology taxonomy, in the order of its table."""
    return [
        TechSkill(
            row["id"],
            row["name"],
            row["category"],
            split(row["aliases"]),
            row["description"],
            split(row["onet_examples"]),
            split(row["esco_labels"]),
        )
        for row in read_csv("technology_skills.csv")
    ]


@cache
def onet_elements() -> ElementTables:
    """Return which O*NET elements the demo keeps, under which ids, with which extra names."""
    table = read_json("onet_elements.json")
    return ElementTables(
        frozenset(table["role_elements"]),
        {entry["element"]: entry["skill"] for entry in table["kept_under_other_ids"]},
        {
            skill: (extra["aliases"], extra["esco_labels"])
            for skill, extra in table["extras"].items()
        },
    )


def esco_uris_by_name(esco) -> dict[str, str]:
    """Map the name key of each ESCO skill to its concept URI."""
    return {name_key(skill["name"]): skill["external_ids"]["esco"] for skill in esco.skills}


def build_taxonomy(onet, esco) -> tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, str]]:
    """Return the technology skills, and maps from O*NET example / element skill id to demo id."""
    esco_uris = esco_uris_by_name(esco)
    onet_tech = {
        skill["external_ids"]["onet"]: skill
        for skill in onet.skills
        if skill["category"] == "technology"
    }
    problems: list[str] = []
    skills: dict[str, dict[str, Any]] = {}
    tech_map: dict[str, str] = {}
    for skill_id, name, category, aliases, description, examples, labels in technology_skills():
        external_ids: dict[str, str] = {}
        for example in examples:
            if example not in onet_tech:
                problems.append(f"{skill_id}: no hot or in-demand O*NET technology {example!r}")
            elif example in tech_map:
                problems.append(f"{skill_id}: {example!r} already maps to {tech_map[example]}")
            else:
                tech_map[example] = skill_id
                external_ids.setdefault("onet", example)
        for label in labels:
            uri = esco_uris.get(name_key(label))
            if uri is None:
                problems.append(f"{skill_id}: no ESCO skill labelled {label!r}")
            elif not uri.startswith(ESCO_NAMESPACE):
                # The ICT extract holds a few concepts minted outside ESCO; only cite ESCO's.
                problems.append(f"{skill_id}: {label!r} is not an ESCO concept ({uri})")
            else:
                external_ids.setdefault("esco", uri)
        if skill_id in skills:
            problems.append(f"{skill_id}: listed twice")
        skills[skill_id] = {
            "id": skill_id,
            "name": name,
            "aliases": list(aliases),
            "category": category,
            "description": description,
            "external_ids": dict(sorted(external_ids.items())),
        }
    # Skill names must stay unique when O*NET or ESCO is imported next to the demo, so a demo
    # skill may share its name only with the imported skill of the same id. (Aliases may repeat
    # an imported name: they help find the demo skill, and an exact name match ranks first.)
    imported = {name_key(s["name"]): s["id"] for s in onet.skills + esco.skills}
    for skill in skills.values():
        other = imported.get(name_key(skill["name"]), skill["id"])
        if other != skill["id"]:
            problems.append(f"{skill['id']}: name {skill['name']!r} is taken by import {other!r}")
    other_ids = onet_elements().other_ids
    element_map: dict[str, str] = {}
    for skill in onet.skills:
        if skill["category"] != "technology":
            element = skill["external_ids"]["onet"]
            element_map[skill["id"]] = other_ids.get(element, skill["id"])
    if problems:
        raise DemoDataError("\n".join(problems))
    return skills, tech_map, element_map


def add_element_skill(skills, onet_skills, element_skill_id, demo_id, esco_uris) -> None:
    """Add (or annotate) the demo skill an O*NET Skills/Knowledge element maps onto."""
    source = onet_skills[element_skill_id]
    element = source["external_ids"]["onet"]
    if demo_id in skills:
        external_ids = skills[demo_id]["external_ids"]
        external_ids.setdefault("onet", element)
        skills[demo_id]["external_ids"] = dict(sorted(external_ids.items()))
        return
    aliases, labels = onet_elements().extras.get(demo_id, ([], []))
    external_ids = {"onet": element}
    for label in labels:
        uri = esco_uris.get(name_key(label))
        if uri is None:
            raise DemoDataError(f"{demo_id}: no ESCO skill labelled {label!r}")
        external_ids.setdefault("esco", uri)
    skills[demo_id] = {
        "id": demo_id,
        "name": source["name"],
        "aliases": list(aliases),
        "category": source["category"],
        "description": source["description"],
        "external_ids": dict(sorted(external_ids.items())),
    }


def import_id_problems(skills, onet, esco) -> list[str]:
    """Return why an O*NET or ESCO import would change a demo skill's external ids, if it would.

    ``skillpath import onet`` and ``import esco`` merge each of their skills into the stored
    skill of the same id, keeping its name and taking the import's external ids, and
    ``seed-demo`` merges the demo's skills the same way. So a demo skill that shares its id
    with an imported skill must carry the id that source has for it: otherwise the demo and
    the import put back their own on every run, each reporting an update, or the import files
    a different concept under the demo skill (ESCO's "SPARK" is a Java web framework, not
    Apache Spark). ESCO concepts minted outside ESCO's namespace are the one exception: the
    demo does not cite them, and an import adds them without anything taking them away.
    """
    problems = []
    for source, bundle in (("onet", onet), ("esco", esco)):
        imported = by_id(bundle.skills)
        for skill in skills.values():
            other = imported.get(skill["id"])
            if other is None:
                continue
            ours, theirs = skill["external_ids"].get(source), other["external_ids"].get(source)
            if ours == theirs or (
                ours is None and source == "esco" and not theirs.startswith(ESCO_NAMESPACE)
            ):
                continue
            problems.append(
                f"{skill['id']}: {source} id {ours!r}, but the {source} import's skill of this id"
                f" ({other['name']!r}) has {theirs!r}"
            )
    return problems
