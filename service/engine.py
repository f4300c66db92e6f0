"""The recommender, fitted on a catalog snapshot and cached per worker process.

Each worker keeps one fitted model set keyed by the catalog version; a request that sees a
newer version rebuilds before answering, so every worker answers from the stored catalog.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from flask import current_app
from sqlalchemy.orm import Session

from catalog.skills import resolve_skill_refs
from catalog.snapshot import catalog_snapshot
from catalog.version import get_catalog_version
from recommender import (
    CatalogIndex,
    PathPlanner,
    Ranker,
    RoleIndex,
    SkillResolver,
)
from recommender.types import CatalogItem, Target


class ItemSummary(NamedTuple):
    """What an answer shows of a catalog item; ``provider`` is None when there is none.

    The models keep these rather than the snapshot's items: what else an item holds (its
    skills, description) the fitted index keeps in its own form, and at 100k items the whole
    items take about three times the memory of these summaries (more with long descriptions).
    A named tuple: a rebuild makes one per item, and these are quicker to make than dataclasses.
    """

    id: str
    title: str
    kind: str
    modality: str
    provider: str | None
    url: str | None
    language: str
    duration_hours: float
    cost: float
    currency: str

    @classmethod
    def of(cls, item: CatalogItem) -> ItemSummary:
        """Return the summary of a snapshot item."""
        # Vocabulary words repeat on every row: keep one string of each, not one per item.
        return cls(
            item.id,
            item.title,
            sys.intern(item.kind),
            sys.intern(item.modality),
            item.provider or None,
            item.url,
            sys.intern(item.language),
            item.duration_hours,
            item.cost,
            sys.intern(item.currency),
        )


@dataclass(frozen=True)
class Models:
    """Everything fitted on one catalog version, and the summaries of its items by id."""

    version: int
    resolver: SkillResolver
    index: CatalogIndex
    ranker: Ranker
    planner: PathPlanner
    roles: RoleIndex
    role_targets: dict[str, Target]
    items: Mapping[str, ItemSummary]


class ModelCache:
    """One fitted :class:`Models` per process, rebuilt when the catalog version moves."""

    def __init__(self) -> None:
        self._models: Models | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> Models:
        """Return models fitted on the stored catalog's current version."""
        version = get_catalog_version(session=session)
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
        items={item.id: ItemSummary.of(item) for item in snapshot.items},
    )


def models_for(session: Session) -> Models:
    """Return the current app's fitted models for the stored catalog."""
    cache = current_app.extensions.setdefault("skillpath.models", ModelCache())
    return cache.get(session)


def resolve_skill_names(
    session: Session, refs: Iterable[str], *, models: Models | None = None
) -> dict[str, str]:
    """Map skill references to ids: exact id/name/alias first, then the fuzzy resolver.

    References that neither way resolves are left out of the mapping, and so is a fuzzy match
    that is not confident (the resolver offers weak ones too). A request that holds its
    ``models`` already passes them, so the catalog version is not read twice.
    """
    found, unknown = resolve_skill_refs(session=session, refs=refs)
    if unknown:
        resolver = (models or models_for(session)).resolver
        for ref in unknown:
            matches = resolver.resolve(ref, limit=1)
            if matches and matches[0].confident:
                found[ref] = matches[0].skill_id
    return found
