"""Two counters workers cache under: the catalog version and the credentials version.

The catalog version moves with every taxonomy, catalog or role write; workers cache what they
build from the catalog under it, and rebuild when it moves. Each move also writes a
``catalog.changed`` webhook event saying what changed. The credentials version (a second row of
the same table) moves when an API key is revoked; workers cache the keys they verified under it,
so a revocation refuses the key at once in every worker. One query reads both.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.models import CatalogState
from catalog.webhooks import emit

CATALOG_ROW = 1
CREDENTIALS_ROW = 2
# Read on every request: plain table selects, built once.
_state = CatalogState.__table__
_VERSION = select(_state.c.version).where(_state.c.id == CATALOG_ROW)
_STATE = select(_state.c.version, _state.c.stamp).where(_state.c.id == CATALOG_ROW)
_VERSIONS = select(_state.c.id, _state.c.version).where(
    _state.c.id.in_([CATALOG_ROW, CREDENTIALS_ROW])
)


def get_catalog_version(*, session: Session) -> int:
    """Return the current catalog version (0 before the first catalog write)."""
    return session.connection().execute(_VERSION).scalar() or 0


def get_catalog_state(*, session: Session) -> tuple[int, str | None]:
    """Return the current catalog version and its stamp (None before the first write).

    The stamp is random and new with every move of the version, so ``(version, stamp)``
    names one catalog state even across databases that were recreated or restored.
    """
    row = session.connection().execute(_STATE).one_or_none()
    return (row.version or 0, row.stamp) if row is not None else (0, None)


def get_versions(*, session: Session) -> tuple[int, int]:
    """Return the catalog version and the credentials version (0 before their first move)."""
    found = dict(session.connection().execute(_VERSIONS).all())
    return found.get(CATALOG_ROW) or 0, found.get(CREDENTIALS_ROW) or 0


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
    _bump(session, CATALOG_ROW)
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


def bump_credentials_version(*, session: Session) -> None:
    """Move the credentials version on, in the caller's transaction."""
    _bump(session, CREDENTIALS_ROW)


def _bump(session: Session, row: int) -> None:
    """Add one to ``row``'s counter, creating the row at 1 the first time."""
    stamp = secrets.token_hex(16)
    result = session.execute(
        update(CatalogState)
        .where(CatalogState.id == row)
        .values(version=CatalogState.version + 1, stamp=stamp)
    )
    if result.rowcount == 0:
        session.add(CatalogState(id=row, version=1, stamp=stamp))
    session.flush()
