"""The catalog version: a counter every taxonomy, catalog or role write moves on.

Workers cache what they build from the catalog under this number, and rebuild when it moves.
Each move also writes a ``catalog.changed`` webhook event saying what changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.models import CatalogState
from catalog.webhooks import emit


def get_catalog_version(*, session: Session) -> int:
    """Return the current catalog version (0 before the first catalog write)."""
    return session.scalar(select(CatalogState.version).where(CatalogState.id == 1)) or 0


def bump_catalog_version(
    *,
    session: Session,
    record_type: str | None = None,
    created: Sequence[str] = (),
    updated: Sequence[str] = (),
    deleted: Sequence[str] = (),
) -> None:
    """Move the catalog version on and tell webhooks what changed, in the caller's transaction.

    :param record_type: what changed (``skill``, ``item``, ``role``), with the ids of the
        records created, updated and deleted.
    """
    result = session.execute(
        update(CatalogState).where(CatalogState.id == 1).values(version=CatalogState.version + 1)
    )
    if result.rowcount == 0:
        session.add(CatalogState(id=1, version=1))
    session.flush()
    emit(
        session=session,
        event_type="catalog.changed",
        payload={
            "catalog_version": get_catalog_version(session=session),
            "record_type": record_type,
            "created": sorted(created),
            "updated": sorted(updated),
            "deleted": sorted(deleted),
        },
    )
