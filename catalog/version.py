"""The catalog version: a counter every taxonomy, catalog or role write moves on.

Workers cache what they build from the catalog under this number, and rebuild when it moves.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.models import CatalogState

# Read on every recommendation request: a plain table select, built once.
_state = CatalogState.__table__
_VERSION = select(_state.c.version).where(_state.c.id == 1)


def get_catalog_version(*, session: Session) -> int:
    """Return the current catalog version (0 before the first catalog write)."""
    return session.connection().execute(_VERSION).scalar() or 0


def bump_catalog_version(*, session: Session) -> None:
    """Move the catalog version on, in the caller's transaction."""
    result = session.execute(
        update(CatalogState).where(CatalogState.id == 1).values(version=CatalogState.version + 1)
    )
    if result.rowcount == 0:
        session.add(CatalogState(id=1, version=1))
    session.flush()
