"""Import skills and role profiles from an ESCO CSV export.

Reads ESCO's own CSV layout, in which ``altLabels`` holds several labels separated by newlines
inside one quoted field. Both the ICT extract (``skills_ict.csv``, ``occupations_ict.csv``,
``occupation_skill_relations_ict.csv``) and the full export's English files (``skills_en.csv``,
``occupations_en.csv``, ``occupationSkillRelations_en.csv``) are accepted.

What becomes what:

* every skill row -> a skill (id = slug of ``preferredLabel``, aliases = the first 50 ``altLabels``,
  category = ``skillType``, ``external_ids.esco`` = ``conceptUri``);
* a related skill missing from the skills file -> a skill built from the relation's
  ``skillLabel`` and ``skillType`` (relations without a label for such a skill are skipped);
* every occupation with at least one related skill -> a role (``external_ids.esco`` =
  ``conceptUri``, alternate titles = ``altLabels``).

ESCO says which skills an occupation needs but not how well, so every competency gets level 3
(practitioner). Where the relations carry ``relationType`` (the full export does), an essential
skill weighs 1.0 and an optional one 0.5; the ICT extract has no such column, and its relations
are all treated as essential (weight 1.0).

Ids are made deterministic by handing them out in ``conceptUri`` order, skills of the skills file
first: when two labels slug alike, the later URI gets the suffix ``-2``, ``-3`` and so on.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from catalog.importers import ImportBundle, Progress, SlugRegistry
from catalog.importers._common import RowCounter, Table, find_file, fit_limits, tidy_aliases
from recommender.text import name_key

__all__ = ["esco_row_count", "read_esco"]

#: Level of every ESCO competency: ESCO has no proficiency levels.
DEFAULT_LEVEL = 3
ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5

_SKILLS = ("skills_ict.csv", "skills_en.csv")
_OCCUPATIONS = ("occupations_ict.csv", "occupations_en.csv")
_RELATIONS = ("occupation_skill_relations_ict.csv", "occupationSkillRelations_en.csv")


def esco_row_count(directory: Path | str) -> int:
    """Return how many rows :func:`read_esco` reads: its progress callback's last total."""
    directory = Path(directory)
    total = 0
    for names in (_SKILLS, _OCCUPATIONS, _RELATIONS):
        # Parse rather than count lines: quoted fields span several lines.
        with find_file(directory, names).open(encoding="utf-8-sig", newline="") as handle:
            total += max(0, sum(1 for fields in csv.reader(handle) if fields) - 1)
    return total


def split_labels(text: str) -> list[str]:
    """Split an ESCO ``altLabels`` cell (one label per line) into stripped, distinct labels."""
    labels: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        label = line.strip()
        if label and name_key(label) not in seen:
            seen.add(name_key(label))
            labels.append(label)
    return labels


def read_esco(directory: Path | str, *, progress: Progress | None = None) -> ImportBundle:
    """Read an ESCO CSV export into skills and roles for the bulk imports.

    :param directory: a directory holding the skills, occupations and relations CSV files.
    :param progress: called now and then with the number of rows read so far (all files).
    :raise ImportFormatError: a file is missing, lacks a required column, or has a bad row.
    """
    directory = Path(directory)
    skills_path = find_file(directory, _SKILLS)
    occupations_path = find_file(directory, _OCCUPATIONS)
    relations_path = find_file(directory, _RELATIONS)
    counter = RowCounter(progress)

    skill_rows: dict[str, dict[str, str]] = {}
    for _, row in Table(
        skills_path,
        required=("conceptUri", "preferredLabel"),
        optional=("altLabels", "skillType", "description"),
        progress=counter,
    ):
        if row["conceptUri"] and row["preferredLabel"]:
            skill_rows.setdefault(row["conceptUri"], row)

    occupation_rows: dict[str, dict[str, str]] = {}
    for _, row in Table(
        occupations_path,
        required=("conceptUri", "preferredLabel"),
        optional=("altLabels", "description"),
        progress=counter,
    ):
        if row["conceptUri"] and row["preferredLabel"]:
            occupation_rows.setdefault(row["conceptUri"], row)

    # occupation -> skill -> weight; skills met only in relations: uri -> (label, type)
    relations: dict[str, dict[str, float]] = {}
    extra_skills: dict[str, tuple[str, str]] = {}
    skipped: set[str] = set()
    for _, row in Table(
        relations_path,
        required=("occupationUri", "skillUri"),
        optional=("skillLabel", "skillType", "relationType"),
        progress=counter,
    ):
        occupation, skill = row["occupationUri"], row["skillUri"]
        if occupation not in occupation_rows or not skill:
            continue
        if skill not in skill_rows:
            if not row["skillLabel"]:
                skipped.add(skill)
                continue
            extra_skills.setdefault(skill, (row["skillLabel"], row["skillType"]))
        optional = row["relationType"].strip().casefold() == "optional"
        weight = OPTIONAL_WEIGHT if optional else ESSENTIAL_WEIGHT
        wanted = relations.setdefault(occupation, {})
        wanted[skill] = max(weight, wanted.get(skill, 0.0))

    skills, skill_ids = _skills(skill_rows, extra_skills)
    roles: list[dict[str, Any]] = []
    role_ids = SlugRegistry()
    for uri in sorted(occupation_rows):
        row = occupation_rows[uri]
        if not relations.get(uri):
            skipped.add(uri)
            continue
        competencies = [
            {"skill": skill_ids[skill], "level": DEFAULT_LEVEL, "weight": weight}
            for skill, weight in relations[uri].items()
        ]
        competencies.sort(key=lambda c: (-c["weight"], c["skill"]))
        title = row["preferredLabel"]
        roles.append(
            {
                # Prefixed, so an import never replaces an organisation's own role profiles.
                "id": role_ids.claim(f"esco {title}"),
                "title": title,
                "description": row["description"] or None,
                "family": None,
                "alternate_titles": [
                    label
                    for label in split_labels(row["altLabels"])
                    if name_key(label) != name_key(title)
                ],
                "external_ids": {"esco": uri},
                "competencies": competencies,
            }
        )
    roles.sort(key=lambda role: role["id"])
    fit_limits(skills, roles)
    return ImportBundle(skills=skills, roles=roles, skipped=sorted(skipped))


def _skills(
    skill_rows: dict[str, dict[str, str]], extra_skills: dict[str, tuple[str, str]]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Build skill records; return them and a map from concept URI to skill id."""
    ids = SlugRegistry()
    names: set[str] = set()
    skills: list[dict[str, Any]] = []
    skill_ids: dict[str, str] = {}

    def add(uri: str, label: str, kind: str, aliases: list[str], description: str) -> None:
        name = label
        if name_key(name) in names:
            # Names must be unique; two concepts can share a label in different pillars.
            name = f"{label} ({kind or 'ESCO'})"
            number = 2
            while name_key(name) in names:
                name = f"{label} ({kind or 'ESCO'} {number})"
                number += 1
        names.add(name_key(name))
        skill_id = skill_ids[uri] = ids.claim(label)
        skills.append(
            {
                "id": skill_id,
                "name": name,
                "aliases": [alias for alias in aliases if name_key(alias) != name_key(name)],
                "category": kind or None,
                "description": description or None,
                "external_ids": {"esco": uri},
            }
        )

    for uri in sorted(skill_rows):
        row = skill_rows[uri]
        aliases = split_labels(row["altLabels"])
        add(uri, row["preferredLabel"], row["skillType"], aliases, row["description"])
    for uri in sorted(extra_skills):
        label, kind = extra_skills[uri]
        add(uri, label, kind, [], "")
    tidy_aliases(skills)
    skills.sort(key=lambda skill: skill["id"])
    return skills, skill_ids
