"""What the recommender fits on one catalog version, and the fit itself, free of Flask.

A worker maps these models from a file; a child process (:mod:`service.index_build`) fits
and saves them, importing only this module, the catalog's tables and the recommender.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy.orm import Session

from catalog.snapshot import catalog_snapshot
from catalog.version import get_catalog_state
from recommender import (
    CatalogIndex,
    PathPlanner,
    Ranker,
    RoleIndex,
    SkillResolver,
)
from recommender.columns import TextColumn
from recommender.types import CatalogItem, Target


class ItemSummary(NamedTuple):
    """What an answer shows of a catalog item; ``provider`` is None when there is none.

    Made when an answer reads it (:class:`ItemSummaries`); a named tuple, quick to make.
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


class ItemSummaries(Mapping[str, ItemSummary]):
    """Every item's summary by id, kept as columns beside the index it reads the rest from.

    Only the strings no index array holds (title, provider, url) are kept, each as one
    :class:`~recommender.columns.TextColumn` in row order; a summary is made when an answer
    reads it, and the last ``MEMO_SIZE`` made are kept: answers keep naming the same few
    hundred items, and a whole catalog of summaries would cost the memory the columns save.
    """

    #: How many summaries are kept once made.
    MEMO_SIZE = 4096

    def __init__(self, index: CatalogIndex, items: Iterable[CatalogItem]):
        self._index = index
        by_row = sorted(items, key=lambda item: item.id)  # the index's rows are in id order
        self._titles = TextColumn(item.title for item in by_row)
        self._providers = TextColumn(item.provider or None for item in by_row)
        self._urls = TextColumn(item.url for item in by_row)
        self._remember()

    def _remember(self) -> None:
        # The memo holds the columns, not the mapping: no cycle keeps old models alive.
        make = functools.partial(_summary, self._index, self._titles, self._providers, self._urls)
        self._made = functools.lru_cache(maxsize=self.MEMO_SIZE)(make)

    def __getstate__(self) -> dict:
        """Pickle the columns, not the summaries made (a models file holds no answers)."""
        state = self.__dict__.copy()
        del state["_made"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._remember()

    def __getitem__(self, item_id: str) -> ItemSummary:
        return self._made(item_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.item_index_)

    def __len__(self) -> int:
        return self._index.n_items

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._index.item_index_


def _summary(
    index: CatalogIndex,
    titles: TextColumn,
    providers: TextColumn,
    urls: TextColumn,
    item_id: str,
) -> ItemSummary:
    """Return one item's summary from the index and the text columns."""
    row = index.item_index_[item_id]
    return ItemSummary(
        str(index.item_ids_[row]),
        titles[row],
        str(index.kinds_[index.kind_[row]]),
        str(index.modalities_[index.modality_[row]]),
        providers[row],
        urls[row],
        str(index.languages_[index.language_[row]]),
        float(index.hours_[row]),
        float(index.cost_[row]),
        str(index.currencies_[index.currency_[row]]),
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


def build_models(session: Session, *, time_limit: float, embeddings: str | None) -> Models:
    """Fit the resolver, index, ranker, planner and role index on the stored catalog.

    The version is read in the same transaction as the catalog, so the models name the
    state they were fitted on where that transaction sees one state (SQLite's do, and the
    child process reads PostgreSQL at REPEATABLE READ: see :mod:`service.index_build`).
    ``embeddings`` is the folder where the resolver keeps its text embeddings (None or
    empty: in memory only).
    """
    version, _ = get_catalog_state(session=session)
    snapshot = catalog_snapshot(session=session)
    index = CatalogIndex().fit(snapshot.skills, snapshot.items)
    return Models(
        version=version,
        resolver=SkillResolver(embedding_store=embeddings or None).fit(snapshot.skills),
        index=index,
        ranker=Ranker().fit(index),
        planner=PathPlanner(time_limit=time_limit).fit(index),
        roles=RoleIndex().fit(list(snapshot.roles.values())),
        role_targets=snapshot.roles,
        items=ItemSummaries(index, snapshot.items),
    )
