"""The recommender, fitted on a catalog snapshot and cached per worker process.

Each worker keeps one fitted model set keyed by the catalog version; a request that sees a
newer version rebuilds before answering, so every worker answers from the stored catalog.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import repositories as repo
from catalog.models import (
    Item,
    ItemPrerequisite,
    ItemRequirement,
    ItemSkill,
    Role,
    RoleCompetency,
    Skill,
    SkillAlias,
)
from recommender import (
    CatalogIndex,
    PathPlanner,
    Ranker,
    RoleIndex,
    SkillResolver,
)
from recommender.types import (
    CatalogItem,
    Competency,
    Completion,
    SkillRecord,
    Target,
)


def completions(rows: Iterable) -> list[Completion]:
    """Return completions (ORM rows, or dicts of item/completed_at/expires_at) as inputs."""
    out = []
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda name, r=row: getattr(r, name)
        out.append(
            Completion(
                item=get("item"), completed_at=get("completed_at"), expires_at=get("expires_at")
            )
        )
    return out


@dataclass(frozen=True)
class Models:
    """Everything fitted on one catalog version."""

    version: int
    resolver: SkillResolver
    index: CatalogIndex
    ranker: Ranker
    planner: PathPlanner
    roles: RoleIndex
    role_targets: dict[str, Target]


class ModelCache:
    """One fitted :class:`Models` per process, rebuilt when the catalog version moves."""

    def __init__(self) -> None:
        self._models: Models | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> Models:
        """Return models fitted on the stored catalog's current version."""
        version = repo.get_catalog_version(session=session)
        models = self._models
        if models is not None and models.version == version:
            return models
        with self._lock:
            if self._models is None or self._models.version != version:
                self._models = build_models(session, version)
            return self._models


def _grouped(session: Session, *columns) -> dict[str, list[tuple]]:
    """Return rows of ``(key, *values)`` grouped by key, in key and value order."""
    groups: dict[str, list[tuple]] = {}
    for key, *values in session.execute(select(*columns).order_by(*columns)):
        groups.setdefault(key, []).append(tuple(values))
    return groups


def catalog_snapshot(session: Session) -> tuple[list[SkillRecord], list[CatalogItem], dict]:
    """Read the taxonomy, the catalog and the roles as recommender inputs.

    Plain column selects, not ORM objects: building a few hundred thousand mapped objects
    (and the garbage collector chasing them) cost ten times the model fitting at 100k items.
    """
    aliases = _grouped(session, SkillAlias.skill_id, SkillAlias.position, SkillAlias.alias)
    skills = [
        SkillRecord(sid, name, tuple(a for _, a in aliases.get(sid, ())), description or "")
        for sid, name, description in session.execute(
            select(Skill.id, Skill.name, Skill.description).order_by(Skill.id)
        )
    ]
    taught = _grouped(session, ItemSkill.item_id, ItemSkill.skill_id, ItemSkill.level)
    prereqs = _grouped(
        session, ItemPrerequisite.item_id, ItemPrerequisite.skill_id, ItemPrerequisite.level
    )
    requires = _grouped(session, ItemRequirement.item_id, ItemRequirement.required_item_id)
    columns = (
        Item.id, Item.title, Item.kind, Item.modality, Item.duration_hours, Item.cost,
        Item.currency, Item.language, Item.description, Item.provider, Item.url,
        Item.valid_months, Item.active,
    )  # fmt: skip
    items = [
        CatalogItem(
            id=row.id,
            title=row.title,
            kind=row.kind,
            modality=row.modality,
            duration_hours=row.duration_hours,
            cost=row.cost,
            currency=row.currency,
            language=row.language,
            description=row.description or "",
            provider=row.provider or "",
            url=row.url,
            skills=tuple(taught.get(row.id, ())),
            prerequisites=tuple(prereqs.get(row.id, ())),
            requires_items=tuple(r for (r,) in requires.get(row.id, ())),
            valid_months=row.valid_months,
            active=row.active,
        )
        for row in session.execute(select(*columns).order_by(Item.id))
    ]
    competencies = _grouped(
        session,
        RoleCompetency.role_id,
        RoleCompetency.skill_id,
        RoleCompetency.level,
        RoleCompetency.weight,
    )
    targets = {
        role_id: Target(
            competencies=tuple(Competency(*c) for c in competencies.get(role_id, ())),
            role_id=role_id,
            title=title,
        )
        for role_id, title in session.execute(select(Role.id, Role.title).order_by(Role.id))
    }
    return skills, items, targets


def build_models(session: Session, version: int) -> Models:
    """Fit the resolver, index, ranker, planner and role index on the stored catalog."""
    skills, items, targets = catalog_snapshot(session)
    index = CatalogIndex().fit(skills, items)
    time_limit = current_app.config["SKILLPATH_PLANNER_TIME_LIMIT"]
    return Models(
        version=version,
        resolver=SkillResolver().fit(skills),
        index=index,
        ranker=Ranker().fit(index),
        planner=PathPlanner(time_limit=time_limit).fit(index),
        roles=RoleIndex().fit(list(targets.values())),
        role_targets=targets,
    )


def models_for(session: Session) -> Models:
    """Return the current app's fitted models for the stored catalog."""
    cache = current_app.extensions.setdefault("skillpath.models", ModelCache())
    return cache.get(session)


def resolve_skill_names(session: Session, refs: Iterable[str]) -> dict[str, str]:
    """Map skill references to ids: exact id/name/alias first, then the fuzzy resolver.

    Only a confident fuzzy match is taken (the resolver also offers weak ones); references
    that neither way resolves are left out of the mapping.
    """
    found, unknown = repo.resolve_skill_refs(session=session, refs=refs)
    if unknown:
        resolver = models_for(session).resolver
        for ref in unknown:
            matches = resolver.resolve(ref, limit=1)
            if matches and matches[0].confident:
                found[ref] = matches[0].skill_id
    return found
