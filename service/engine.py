"""The recommender, fitted on a catalog snapshot and cached per worker process.

Each worker keeps one fitted model set keyed by the catalog version; a request that sees a
newer version rebuilds before answering, so every worker answers from the stored catalog.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from catalog import repositories as repo
from catalog.snapshot import catalog_snapshot
from recommender import (
    CatalogIndex,
    PathPlanner,
    Ranker,
    RoleIndex,
    SkillResolver,
)
from recommender.types import CatalogItem, Target


@dataclass(frozen=True)
class Models:
    """Everything fitted on one catalog version, and the snapshot's items the answers show."""

    version: int
    resolver: SkillResolver
    index: CatalogIndex
    ranker: Ranker
    planner: PathPlanner
    roles: RoleIndex
    role_targets: dict[str, Target]
    items: Mapping[str, CatalogItem]


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


def build_models(session: Session, version: int) -> Models:
    """Fit the resolver, index, ranker, planner and role index on the stored catalog."""
    snapshot = catalog_snapshot(session=session)
    index = CatalogIndex().fit(snapshot.skills, snapshot.items)
    time_limit = current_app.config["SKILLPATH_PLANNER_TIME_LIMIT"]
    return Models(
        version=version,
        resolver=SkillResolver().fit(snapshot.skills),
        index=index,
        ranker=Ranker().fit(index),
        planner=PathPlanner(time_limit=time_limit).fit(index),
        roles=RoleIndex().fit(list(snapshot.roles.values())),
        role_targets=snapshot.roles,
        items={item.id: item for item in snapshot.items},
    )


def models_for(session: Session) -> Models:
    """Return the current app's fitted models for the stored catalog."""
    cache = current_app.extensions.setdefault("skillpath.models", ModelCache())
    return cache.get(session)


def resolve_skill_names(
    session: Session, refs: Iterable[str], *, models: Models | None = None
) -> dict[str, str]:
    """Map skill references to ids: exact id/name/alias first, then the fuzzy resolver.

    References that neither way resolves are left out of the mapping. A request that holds
    its ``models`` already passes them, so the catalog version is not read twice.
    """
    found, unknown = repo.resolve_skill_refs(session=session, refs=refs)
    if unknown:
        resolver = (models or models_for(session)).resolver
        for ref in unknown:
            matches = resolver.resolve(ref, limit=1)
            if matches:
                found[ref] = matches[0].skill_id
    return found
