"""The demo's roles: O*NET occupations mapped onto the demo taxonomy and trimmed to what matters."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, NamedTuple

from .skills import add_element_skill, esco_uris_by_name, onet_elements
from .tables import DemoDataError, by_id, read_json

# Elements kept per role: the most important ones, then those that set the role apart
# (importance furthest above the average over the demo roles, and at least "important": IM >= 3).
TOP_ELEMENTS = 4
DISTINCTIVE_ELEMENTS = 3
DISTINCTIVE_MIN_WEIGHT = 0.6
# Technologies kept per role, for occupations with and without O*NET ratings.
TECH_LIMIT = 7
TECH_LIMIT_UNRATED = 10
# Broad elements: O*NET rates them important (IM >= 3, weight >= 0.6) for more than half of all
# its occupations, so their ratings say little about one role (see broad_elements).
BROAD_SHARE = 0.5
BROAD_IMPORTANT = 0.6
# Caps on the elements a role does not name as its focus (see capped).
BROAD_MAX_WEIGHT = 0.3
BROAD_MAX_LEVEL = 3
ELEMENT_MAX_WEIGHT = 0.5
# Technologies O*NET lists in demand for the occupation but the role does not name as its
# focus (Java for an IT manager) weigh at most this: as much as a technology that is only hot
# or only in demand.
OTHER_TECH_MAX_WEIGHT = 0.4


class RoleSpec(NamedTuple):
    """How one demo role is derived from an O*NET occupation (one entry of ``roles.json``)."""

    id: str
    soc: str
    title: str
    family: str
    #: Other titles; each must be one of O*NET's alternate titles for the occupation.
    alternates: list[str]
    #: Technologies ranked first among the occupation's hot and in-demand ones (each must be
    #: listed by O*NET for the occupation), required at ``focus_level``.
    focus: list[str]
    focus_level: int
    #: Curated (skill, level, weight) competencies for practices O*NET has no element or
    #: technology for, such as penetration testing or cloud architecture, or that matter more
    #: to the role than O*NET's ratings say (database administration for a DBA).
    core: list[tuple[str, int, float]]
    #: O*NET elements that are what this role is about: kept at O*NET's weight and level.
    focus_elements: list[str]


def role_specs() -> tuple[dict[str, str], list[RoleSpec]]:
    """Return the role families' display names and the role specifications, in order."""
    table = read_json("roles.json")
    specs = [
        RoleSpec(
            spec["id"],
            spec["soc"],
            spec["title"],
            spec["family"],
            spec["alternates"],
            spec["focus"],
            spec["focus_level"],
            [(c["skill"], c["level"], float(c["weight"])) for c in spec["core"]],
            spec.get("focus_elements", []),
        )
        for spec in table["roles"]
    ]
    return table["families"], specs


def broad_elements(onet, element_map) -> frozenset[str]:
    """Return the demo ids of the O*NET elements O*NET rates important for most occupations.

    An element is broad when more than ``BROAD_SHARE`` of the occupations O*NET rates give it an
    importance of at least IM 3 (weight ``BROAD_IMPORTANT``). In O*NET 29 these are English
    Language, Customer and Personal Service, Mathematics and Computers and Electronics among
    the knowledge areas, and the skills nearly every job needs (Active Listening, Critical
    Thinking, Speaking, Reading Comprehension, Writing, Coordination, Time Management, ...).
    A role's rating for such an element is high because nearly every job's is, not because the
    role is about it.
    """
    onet_skills = by_id(onet.skills)
    rated = 0
    important: Counter[str] = Counter()
    for role in onet.roles:
        elements = [
            c for c in role["competencies"] if onet_skills[c["skill"]]["category"] != "technology"
        ]
        rated += bool(elements)
        important.update(
            {element_map[c["skill"]] for c in elements if c["weight"] >= BROAD_IMPORTANT}
        )
    return frozenset(demo for demo, n in important.items() if n > BROAD_SHARE * rated)


def capped(level: int, weight: float, *, broad: bool) -> tuple[int, float]:
    """Return the (level, weight) a role requires of an O*NET element that is not its focus.

    O*NET rates elements for every occupation; a role profile should rank first what the role
    is about: its core competencies and focus technologies. So an element the role does not
    name as its focus weighs at most ``ELEMENT_MAX_WEIGHT``, below a hot, in-demand technology
    (0.6); a broad element (see :func:`broad_elements`) weighs at most ``BROAD_MAX_WEIGHT`` and
    is required at most at level ``BROAD_MAX_LEVEL`` (practitioner). A gap in English or
    customer service then never outweighs one in the role's own practice.
    """
    if broad:
        return min(level, BROAD_MAX_LEVEL), min(weight, BROAD_MAX_WEIGHT)
    return level, min(weight, ELEMENT_MAX_WEIGHT)


def build_roles(onet, esco, skills, tech_map, element_map) -> list[dict[str, Any]]:
    """Derive the demo roles from O*NET occupations; add the element skills they use."""
    families, specs = role_specs()
    role_elements = onet_elements().role_elements
    broad = broad_elements(onet, element_map)
    esco_uris = esco_uris_by_name(esco)
    onet_skills = by_id(onet.skills)
    sources = {role["external_ids"]["onet"]: role for role in onet.roles}
    problems: list[str] = []

    # How many O*NET occupations list each demo technology: rarer ones say more about a role.
    spread: Counter[str] = Counter()
    for role in onet.roles:
        mapped = {
            tech_map.get(onet_skills[c["skill"]]["external_ids"]["onet"])
            for c in role["competencies"]
            if onet_skills[c["skill"]]["category"] == "technology"
        }
        spread.update(skill for skill in mapped if skill)

    def mapped_competencies(code):
        elements: dict[str, tuple[int, float, str]] = {}
        technologies: dict[str, float] = {}
        for competency in sources[code]["competencies"]:
            source = onet_skills[competency["skill"]]
            level, weight = competency["level"], competency["weight"]
            if source["category"] == "technology":
                demo = tech_map.get(source["external_ids"]["onet"])
                if demo:
                    technologies[demo] = max(weight, technologies.get(demo, 0.0))
            else:
                demo = element_map[competency["skill"]]
                old = elements.get(demo, (0, 0.0, competency["skill"]))
                elements[demo] = (max(level, old[0]), max(weight, old[1]), old[2])
        return elements, technologies

    mapped = {code: mapped_competencies(code) for code in {spec.soc for spec in specs}}
    totals: defaultdict[str, list[float]] = defaultdict(list)
    for elements, _ in mapped.values():
        for demo, (_, weight, _) in elements.items():
            totals[demo].append(weight)
    mean_weight = {demo: sum(values) / len(values) for demo, values in totals.items()}

    # Every element a role may require is in the taxonomy, required or not, so items and
    # profiles can use them too.
    for element_skill in sorted(element_map):
        if element_map[element_skill] in role_elements:
            add_element_skill(
                skills, onet_skills, element_skill, element_map[element_skill], esco_uris
            )

    roles = []
    for spec in specs:
        role_id, code, focus = spec.id, spec.soc, spec.focus
        if code not in sources:
            problems.append(f"{role_id}: O*NET has no role for {code}")
            continue
        source = sources[code]
        elements, technologies = mapped[code]
        elements = {demo: value for demo, value in elements.items() if demo in role_elements}
        unrated = [demo for demo in spec.focus_elements if demo not in elements]
        if unrated:
            problems.append(f"{role_id}: O*NET rates no focus element {unrated} for {code}")
        # Broad elements are capped before the most important are chosen, so they are kept
        # only where the occupation has few other important elements.
        for demo, (level, weight, element_skill) in elements.items():
            if demo in broad and demo not in spec.focus_elements:
                elements[demo] = (*capped(level, weight, broad=True), element_skill)
        ranked = sorted(elements.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
        chosen = [demo for demo, _ in ranked[:TOP_ELEMENTS]]
        distinctive = sorted(
            (demo for demo, _ in ranked[TOP_ELEMENTS:]),
            key=lambda demo: (-(elements[demo][1] - mean_weight[demo]), demo),
        )
        chosen += [
            demo
            for demo in distinctive
            if elements[demo][1] > mean_weight[demo] and elements[demo][1] >= DISTINCTIVE_MIN_WEIGHT
        ][:DISTINCTIVE_ELEMENTS]
        chosen += [demo for demo in spec.focus_elements if demo not in chosen]

        competencies = {}
        for demo in chosen:
            level, weight, element_skill = elements[demo]
            if demo not in spec.focus_elements:
                level, weight = capped(level, weight, broad=demo in broad)
            add_element_skill(skills, onet_skills, element_skill, demo, esco_uris)
            competencies[demo] = {"skill": demo, "level": level, "weight": weight}

        missing = [skill for skill in focus if skill not in technologies]
        if missing:
            problems.append(f"{role_id}: O*NET lists no hot technology mapped to {missing}")
        limit = TECH_LIMIT if elements else TECH_LIMIT_UNRATED
        # Besides the focus, only technologies O*NET flags in demand for the occupation.
        rest = sorted(
            (s for s in technologies if s not in focus and technologies[s] >= 0.6),
            key=lambda skill: (spread[skill], skill),
        )
        for skill in ([s for s in focus if s in technologies] + rest)[:limit]:
            if skill in focus:
                level, weight = spec.focus_level, technologies[skill]
            else:
                level, weight = 3, min(technologies[skill], OTHER_TECH_MAX_WEIGHT)
            competencies[skill] = {"skill": skill, "level": level, "weight": weight}
        for skill, level, weight in spec.core:
            if skill not in skills:
                problems.append(f"{role_id}: core skill {skill} is not in the taxonomy")
            old = competencies.get(skill, {"level": 0, "weight": 0.0})
            competencies[skill] = {
                "skill": skill,
                "level": max(level, old["level"]),
                "weight": max(weight, old["weight"]),
            }

        unknown = [t for t in spec.alternates if t not in source["alternate_titles"]]
        if unknown:
            problems.append(f"{role_id}: not O*NET alternate titles of {code}: {unknown}")
        if spec.family not in families:
            problems.append(f"{role_id}: unknown family {spec.family}")
            continue
        titles = [source["title"]] if source["title"] != spec.title else []
        roles.append(
            {
                "id": role_id,
                "title": spec.title,
                "description": source["description"],
                "family": families[spec.family],
                "alternate_titles": titles + [t for t in spec.alternates if t != spec.title],
                "external_ids": {"onet": code},
                "competencies": sorted(
                    competencies.values(), key=lambda c: (-c["weight"], -c["level"], c["skill"])
                ),
            }
        )
    if problems:
        raise DemoDataError("\n".join(problems))
    return roles
