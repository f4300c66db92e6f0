"""Tombstones: deleted records stay known by type, id and time, so a sync learns of deletions.

Every delete of a skill, a role or an employee writes one in the same transaction; items are
retired rather than deleted, and keys and clients revoked, so listings show those changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Tombstone
from catalog.queries import Page, paginate

TOMBSTONE_TYPES = ("skill", "role", "employee")


def record_deletion(*, session: Session, record_type: str, record_id: str) -> Tombstone:
    """Write the tombstone of a record deleted in the caller's transaction."""
    tombstone = Tombstone(record_type=record_type, record_id=record_id)
    session.add(tombstone)
    return tombstone


def list_deletions(
    *,
    session: Session,
    page: int,
    page_size: int,
    types: Collection[str],
    since: dt.datetime | None = None,
) -> Page[Tombstone]:
    """List tombstones of ``types`` written after ``since``, oldest first.

    Tombstones are only ever added, so paging by number skips none (one written while a
    client pages can only push rows to a later page, where it sees them twice).
    """
    query = (
        select(Tombstone)
        .where(Tombstone.record_type.in_(sorted(types)))
        .order_by(Tombstone.deleted_at, Tombstone.id)
    )
    if since is not None:
        query = query.where(Tombstone.deleted_at > since)
    return paginate(session, query, page=page, page_size=page_size)
