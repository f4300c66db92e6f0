"""Import skills and role profiles from an O*NET database directory.

Both O*NET layouts are accepted and give identical output: the Excel export saved as
tab-separated ``.tsv`` files (``Skills.tsv``, with ``Title`` and ``Scale Name`` columns) and the
official text release (``Skills.txt``, ``Technology Skills.txt``, without those two columns).
Columns are read by name, so their order does not matter.

What becomes what:

* every Skills and Knowledge element -> a skill (category ``"O*NET skill"`` / ``"O*NET knowledge"``,
  ``external_ids.onet`` = the Element ID, description from ``Content Model Reference`` if present);
* every technology example flagged Hot Technology or In Demand -> a skill (category
  ``"technology"``, ``external_ids.onet`` = the example's name, ``external_ids.unspsc`` = its
  commodity code, the lowest one when O*NET files an example under several; the description is
  the commodity title, from ``Technology Skills`` or else from ``UNSPSC Reference`` if present);
* every occupation -> a role (id ``onet-`` + the slug of its title, ``external_ids.onet`` = the
  O*NET-SOC code, ``family`` = the SOC
  major group, alternate titles from ``Alternate Titles``, the first 500 in file order).

Role competencies, on Skillpath's 0-5 proficiency scale:

* Skills and Knowledge ratings: O*NET rates each element twice, importance ``IM`` (1-5) and level
  ``LV`` (0-7). The two rows are paired per element; level = round(LV * 5 / 7) rounding halves up
  (so 3.5 -> 3, 4.9 -> 4), weight = IM / 5 (so IM 1 -> 0.2, IM 5 -> 1.0). A pair is dropped when
  either row is flagged ``Recommend Suppress = Y``, the level row is flagged ``Not Relevant = Y``,
  a row is missing, or the mapped level is 0.
* Technologies: O*NET gives no level, so a hot or in-demand example of the occupation becomes a
  competency at level 3 (practitioner) with weight 0.6 when it is both hot and in demand, and
  0.4 when it is only one of the two.

Occupations without Skills/Knowledge ratings (O*NET leaves some, such as 15-1252.00 Software
Developers, unrated) get a role with their technology competencies only; an occupation with
neither ratings nor a hot or in-demand technology cannot make a role (a role needs at least one
competency) and its code is listed in :attr:`ImportBundle.skipped`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from catalog.importers import ImportBundle, ImportFormatError, Progress, SlugRegistry
from catalog.importers._common import (
    RowCounter,
    Table,
    count_rows,
    find_file,
    fit_limits,
    tidy_aliases,
)
from recommender.text import name_key

__all__ = [
    "SOC_MAJOR_GROUPS",
    "onet_level",
    "onet_row_count",
    "onet_weight",
    "read_onet",
    "read_technology_categories",
]

#: Level and weight given to a technology that O*NET flags both hot and in demand.
TECH_LEVEL = 3
TECH_WEIGHT_HOT_AND_IN_DEMAND = 0.6
#: Weight of a technology that is only hot, or only in demand.
TECH_WEIGHT_HOT_OR_IN_DEMAND = 0.4

SKILL_CATEGORY = "O*NET skill"
KNOWLEDGE_CATEGORY = "O*NET knowledge"
TECHNOLOGY_CATEGORY = "technology"

#: The 2018 SOC major groups, keyed by the first two digits of an O*NET-SOC code.
SOC_MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}

_SOC = "O*NET-SOC Code"
_TAB = {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
_RATING_FILES = (("Skills", SKILL_CATEGORY), ("Knowledge", KNOWLEDGE_CATEGORY))
_REQUIRED_FILES = (
    "Occupation Data",
    "Skills",
    "Knowledge",
    "Technology Skills",
    "Alternate Titles",
)
_ZERO = Decimal(0)


def _file_names(stem: str) -> tuple[str, ...]:
    """Return the names a table goes by: "Occupation_Data.tsv" (Excel) or "Occupation Data.txt"."""
    underscored = stem.replace(" ", "_")
    return (f"{underscored}.tsv", f"{stem}.txt", f"{underscored}.txt", f"{stem}.tsv")


def onet_level(value: Decimal | float | str) -> int:
    """Map an O*NET level (LV, 0-7) onto the 0-5 proficiency scale: round(LV * 5 / 7), halves up."""
    scaled = Decimal(str(value)) * 5 / 7
    return max(0, min(5, int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))))


def onet_weight(value: Decimal | float | str) -> float:
    """Map an O*NET importance (IM, 1-5) onto a competency weight in (0, 1]: IM / 5."""
    weight = float(Decimal(str(value)) / 5)
    return round(max(0.01, min(1.0, weight)), 3)


def onet_row_count(directory: Path | str) -> int:
    """Return about how many rows :func:`read_onet` reads: its progress callback's last total."""
    directory = Path(directory)
    return count_rows(find_file(directory, _file_names(stem)) for stem in _REQUIRED_FILES)


@dataclass
class _Rating:
    """The importance and level rows of one element for one occupation."""

    importance: Decimal | None = None
    level: Decimal | None = None
    suppressed: bool = False


@dataclass
class _Technology:
    """A technology example: its lowest commodity code and, per occupation, hot/in-demand flags."""

    commodity_code: str
    commodity_title: str
    flags: dict[str, tuple[bool, bool]] = field(default_factory=dict)


def _keeper(soc_prefixes: Iterable[str] | str | None):
    """Return a predicate telling whether an O*NET-SOC code passes the prefix filter."""
    if soc_prefixes is None:
        return lambda code: True
    prefixes = (soc_prefixes,) if isinstance(soc_prefixes, str) else tuple(soc_prefixes)
    return lambda code: code.startswith(prefixes)


def _decimal(text: str, *, path: Path, row: int, column: str) -> Decimal:
    """Parse a numeric cell, or raise :class:`ImportFormatError` naming the row and column."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ImportFormatError(f"{column} {text!r} is not a number", path=path, row=row)
    return value


def _flag(text: str) -> bool:
    """Read an O*NET Y/N flag (an empty cell means N)."""
    return text.strip().upper() == "Y"


def read_onet(
    directory: Path | str,
    *,
    soc_prefixes: Iterable[str] | str | None = None,
    progress: Progress | None = None,
) -> ImportBundle:
    """Read an O*NET directory into skills and roles for the bulk imports.

    :param directory: a directory holding the O*NET tables, in either layout (see module docs).
    :param soc_prefixes: keep only occupations whose O*NET-SOC code starts with one of these,
        e.g. ``("15-",)`` for Computer and Mathematical occupations; ``None`` keeps all.
    :param progress: called now and then with the number of rows read so far (all files).
    :raise ImportFormatError: a table is missing, lacks a required column, or has a bad row.
    """
    directory = Path(directory)
    paths = {stem: find_file(directory, _file_names(stem)) for stem in _REQUIRED_FILES}
    keep = _keeper(soc_prefixes)
    counter = RowCounter(progress)

    occupations: dict[str, tuple[str, str]] = {}
    for _, row in Table(
        paths["Occupation Data"],
        required=(_SOC, "Title", "Description"),
        progress=counter,
        **_TAB,
    ):
        if keep(row[_SOC]):
            occupations[row[_SOC]] = (row["Title"], row["Description"])

    elements: dict[str, tuple[str, str]] = {}
    ratings: dict[tuple[str, str], _Rating] = {}
    for stem, category in _RATING_FILES:
        path = paths[stem]
        table = Table(
            path,
            required=(_SOC, "Element ID", "Element Name", "Scale ID", "Data Value"),
            optional=("Recommend Suppress", "Not Relevant"),
            progress=counter,
            **_TAB,
        )
        for number, row in table:
            code = row[_SOC]
            if code not in occupations:
                continue
            element = row["Element ID"]
            elements.setdefault(element, (row["Element Name"], category))
            scale = row["Scale ID"]
            if scale not in ("IM", "LV"):
                continue
            value = _decimal(row["Data Value"], path=path, row=number, column="Data Value")
            rating = ratings.setdefault((code, element), _Rating())
            if scale == "IM":
                rating.importance = value
                rating.suppressed |= _flag(row["Recommend Suppress"])
            else:
                rating.level = value
                rating.suppressed |= _flag(row["Recommend Suppress"]) or _flag(row["Not Relevant"])

    technologies = _technologies(paths["Technology Skills"], occupations.__contains__, counter)

    alternate_titles: dict[str, list[str]] = {}
    for _, row in Table(
        paths["Alternate Titles"],
        required=(_SOC, "Alternate Title"),
        progress=counter,
        **_TAB,
    ):
        if row[_SOC] in occupations and row["Alternate Title"]:
            alternate_titles.setdefault(row[_SOC], []).append(row["Alternate Title"])

    _fill_commodity_titles(directory, technologies)
    descriptions = _element_descriptions(directory)
    skills, skill_ids = _skills(elements, technologies, descriptions)
    return _roles(occupations, ratings, technologies, alternate_titles, skills, skill_ids)


def read_technology_categories(directory: Path | str) -> dict[str, str]:
    """Return the commodity title of every technology example of every occupation.

    Each example gets the title :func:`read_onet` gives its skill as description (that of
    its lowest commodity code), e.g. ``"Prezi"`` -> ``"Presentation software"``; examples
    whose title is unknown are left out.

    :param directory: a directory holding ``Technology Skills`` (either layout), and maybe
        ``UNSPSC Reference``.
    :raise ImportFormatError: the table is missing, lacks a required column, or has a bad row.
    """
    directory = Path(directory)
    path = find_file(directory, _file_names("Technology Skills"))
    technologies = _technologies(path, lambda code: True, RowCounter(None))
    _fill_commodity_titles(directory, technologies)
    return {
        example: tech.commodity_title
        for example, tech in technologies.items()
        if tech.commodity_title
    }


def _technologies(
    path: Path, keep: Callable[[str], bool], counter: RowCounter
) -> dict[str, _Technology]:
    """Read the technology examples of the occupations ``keep`` accepts, by example name."""
    technologies: dict[str, _Technology] = {}
    for _, row in Table(
        path,
        required=(_SOC, "Example", "Commodity Code", "Hot Technology"),
        optional=("Commodity Title", "In Demand"),
        progress=counter,
        **_TAB,
    ):
        code, example = row[_SOC], row["Example"]
        if not keep(code) or not example:
            continue
        tech = technologies.get(example)
        commodity = (row["Commodity Code"], row["Commodity Title"])
        if tech is None:
            tech = technologies[example] = _Technology(*commodity)
        elif commodity < (tech.commodity_code, tech.commodity_title):
            tech.commodity_code, tech.commodity_title = commodity
        hot, in_demand = tech.flags.get(code, (False, False))
        tech.flags[code] = (
            hot or _flag(row["Hot Technology"]),
            in_demand or _flag(row["In Demand"]),
        )
    return technologies


def _element_descriptions(directory: Path) -> dict[str, str]:
    """Return element descriptions from the optional ``Content Model Reference`` table."""
    try:
        path = find_file(directory, _file_names("Content Model Reference"))
    except ImportFormatError:
        return {}
    table = Table(path, required=("Element ID", "Description"), **_TAB)
    return {row["Element ID"]: row["Description"] for _, row in table if row["Description"]}


def _fill_commodity_titles(directory: Path, technologies: dict[str, _Technology]) -> None:
    """Fill commodity titles missing from ``Technology Skills`` from ``UNSPSC Reference``."""
    if all(tech.commodity_title for tech in technologies.values()):
        return
    try:
        path = find_file(directory, _file_names("UNSPSC Reference"))
    except ImportFormatError:
        return
    table = Table(path, required=("Commodity Code", "Commodity Title"), **_TAB)
    titles = {row["Commodity Code"]: row["Commodity Title"] for _, row in table}
    for tech in technologies.values():
        if not tech.commodity_title:
            tech.commodity_title = titles.get(tech.commodity_code, "")


def _skills(
    elements: dict[str, tuple[str, str]],
    technologies: dict[str, _Technology],
    descriptions: dict[str, str],
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Build skill records; return them and a map from element id or example name to skill id."""
    ids = SlugRegistry()
    names: set[str] = set()
    skills: list[dict[str, Any]] = []
    skill_ids: dict[str, str] = {}

    def unique_name(name: str, qualifier: str) -> str:
        # Skill names must be unique; O*NET has e.g. a "Mathematics" skill and knowledge area.
        if name_key(name) in names:
            name = f"{name} ({qualifier})"
        names.add(name_key(name))
        return name

    # Skills elements (2.A, 2.B) sort before Knowledge (2.C), so the skill keeps the plain id.
    for element, (name, category) in sorted(elements.items()):
        qualifier = "knowledge" if category == KNOWLEDGE_CATEGORY else "skill"
        skill_id = skill_ids[element] = ids.claim(name, qualifier)
        skills.append(
            {
                "id": skill_id,
                "name": unique_name(name, qualifier),
                "aliases": [],
                "category": category,
                "description": descriptions.get(element),
                "external_ids": {"onet": element},
            }
        )
    for example, tech in sorted(technologies.items()):
        if not any(hot or in_demand for hot, in_demand in tech.flags.values()):
            continue
        skill_id = skill_ids[example] = ids.claim(example, "technology")
        external_ids = {"onet": example}
        if tech.commodity_code:
            external_ids["unspsc"] = tech.commodity_code
        skills.append(
            {
                "id": skill_id,
                "name": unique_name(example, "technology"),
                "aliases": [],
                "category": TECHNOLOGY_CATEGORY,
                "description": tech.commodity_title or None,
                "external_ids": external_ids,
            }
        )
    tidy_aliases(skills)
    skills.sort(key=lambda skill: skill["id"])
    return skills, skill_ids


def _roles(
    occupations: dict[str, tuple[str, str]],
    ratings: dict[tuple[str, str], _Rating],
    technologies: dict[str, _Technology],
    alternate_titles: dict[str, list[str]],
    skills: list[dict[str, Any]],
    skill_ids: dict[str, str],
) -> ImportBundle:
    """Build one role per occupation that has at least one competency."""
    competencies: dict[str, dict[str, dict[str, Any]]] = {code: {} for code in occupations}
    for (code, element), rating in ratings.items():
        if rating.suppressed or rating.importance is None or rating.level is None:
            continue
        level = onet_level(rating.level)
        if level == 0:
            continue
        skill = skill_ids[element]
        competencies[code][skill] = {
            "skill": skill,
            "level": level,
            "weight": onet_weight(rating.importance),
        }
    for example, tech in technologies.items():
        for code, (hot, in_demand) in tech.flags.items():
            if not (hot or in_demand):
                continue
            skill = skill_ids[example]
            weight = (
                TECH_WEIGHT_HOT_AND_IN_DEMAND if hot and in_demand else TECH_WEIGHT_HOT_OR_IN_DEMAND
            )
            competencies[code][skill] = {"skill": skill, "level": TECH_LEVEL, "weight": weight}

    role_ids = SlugRegistry()
    roles: list[dict[str, Any]] = []
    skipped: list[str] = []
    for code in sorted(occupations):
        title, description = occupations[code]
        wanted = sorted(
            competencies[code].values(),
            key=lambda c: (-c["weight"], -c["level"], c["skill"]),
        )
        if not wanted:
            skipped.append(code)
            continue
        seen = {name_key(title)}
        others: list[str] = []
        for other in alternate_titles.get(code, []):
            if name_key(other) not in seen:
                seen.add(name_key(other))
                others.append(other)
        roles.append(
            {
                # Prefixed, so an import never replaces an organisation's own role profiles.
                "id": role_ids.claim(f"onet {title}", code),
                "title": title,
                "description": description or None,
                "family": SOC_MAJOR_GROUPS.get(code[:2]),
                "alternate_titles": others,
                "external_ids": {"onet": code},
                "competencies": wanted,
            }
        )
    roles.sort(key=lambda role: role["id"])
    fit_limits(skills, roles)
    return ImportBundle(skills=skills, roles=roles, skipped=skipped)
