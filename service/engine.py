"""The recommender, fitted on a catalog snapshot and cached per worker process.

Each worker keeps one fitted model set keyed by the catalog version; a request that sees a
newer version rebuilds before answering, so every worker answers from the stored catalog.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from catalog import repositories as repo
from catalog.models import Employee, Item, Role, Skill
from recommender import (
    CatalogIndex,
    PathPlanner,
    Ranker,
    RoleIndex,
    Sequencer,
    SkillResolver,
)
from recommender.types import (
    CatalogItem,
    Competency,
    Completion,
    SkillRecord,
    Target,
)


def skill_record(skill: Skill) -> SkillRecord:
    """Return the recommender's view of a taxonomy skill."""
    return SkillRecord(
        id=skill.id,
        name=skill.name,
        aliases=tuple(skill.aliases),
        description=skill.description or "",
    )


def catalog_item(item: Item) -> CatalogItem:
    """Return the recommender's view of a catalog item."""
    return CatalogItem(
        id=item.id,
        title=item.title,
        kind=item.kind,
        modality=item.modality,
        duration_hours=item.duration_hours,
        cost=item.cost,
        currency=item.currency,
        language=item.language,
        description=item.description or "",
        provider=item.provider or "",
        url=item.url,
        skills=tuple((r.skill_id, r.level) for r in item.skills),
        prerequisites=tuple((r.skill_id, r.level) for r in item.prerequisites),
        requires_items=tuple(item.requires_items),
        valid_months=item.valid_months,
        active=item.active,
    )


def role_target(role: Role) -> Target:
    """Return a role's competencies as a recommender target."""
    return Target(
        competencies=tuple(
            Competency(skill=c.skill_id, level=c.level, weight=c.weight) for c in role.competencies
        ),
        role_id=role.id,
        title=role.title,
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
    sequencer: Sequencer
    roles: RoleIndex
    role_targets: dict[str, Target]
    built_at: dt.datetime


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

    def clear(self) -> None:
        """Forget the fitted models (the next request rebuilds)."""
        self._models = None


def build_models(session: Session, version: int) -> Models:
    """Fit the resolver, index, ranker, planner and role index on the stored catalog."""
    skills = [skill_record(s) for s in repo.all_skills(session=session)]
    items = [catalog_item(i) for i in repo.all_items(session=session)]
    targets = {r.id: role_target(r) for r in repo.all_roles(session=session)}
    index = CatalogIndex().fit(skills, items)
    time_limit = current_app.config["SKILLPATH_PLANNER_TIME_LIMIT"]
    return Models(
        version=version,
        resolver=SkillResolver().fit(skills),
        index=index,
        ranker=Ranker().fit(index),
        planner=PathPlanner(time_limit=time_limit).fit(index),
        sequencer=Sequencer().fit(index),
        roles=RoleIndex().fit(list(targets.values())),
        role_targets=targets,
        built_at=dt.datetime.now(dt.UTC),
    )


def models_for(session: Session) -> Models:
    """Return the current app's fitted models for the stored catalog."""
    cache = current_app.extensions.setdefault("skillpath.models", ModelCache())
    return cache.get(session)


def employee_completions(employee: Employee) -> list[Completion]:
    """Return an employee's stored completions as recommender inputs."""
    return completions(employee.completed)


def resolve_skill_names(session: Session, refs: Iterable[str]) -> dict[str, str]:
    """Map skill references to ids: exact id/name/alias first, then the fuzzy resolver.

    References that neither way resolves are left out of the mapping.
    """
    found, unknown = repo.resolve_skill_refs(session=session, refs=refs)
    if unknown:
        resolver = models_for(session).resolver
        for ref in unknown:
            matches = resolver.resolve(ref, limit=1)
            if matches:
                found[ref] = matches[0].skill_id
    return found


SKILL_LISTS = {
    "item": ("skills", "prerequisites"),
    "role": ("competencies",),
    "employee": ("skills",),
}


def with_resolved_skills(kind: str, record: dict, mapping: dict[str, str]) -> dict:
    """Return ``record`` with its skill references replaced by the ids ``mapping`` gives."""
    out = dict(record)
    for name in SKILL_LISTS.get(kind, ()):
        if name in out:
            out[name] = [
                {**row, "skill": mapping.get(row["skill"], row["skill"])} for row in out[name]
            ]
    return out
