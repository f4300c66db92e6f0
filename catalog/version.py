"""Counters workers cache under: the catalog, credentials and people versions.

The catalog version moves with every taxonomy, catalog or role write; workers cache what they
build from the catalog under it, and rebuild when it moves. Each move also writes a
``catalog.changed`` webhook event saying what changed. The credentials version (a second row of
the same table) moves when an API key is revoked; workers cache the keys they verified under it,
so a revocation refuses the key at once in every worker. One query reads both.

The people version (a third row) moves in every transaction that writes an employee, their
stated levels, target roles or completions: :func:`track_people_writes` watches each session
for such writes and moves it just before the commit, so the workforce views can keep what they
worked out from every employee's evidence until it moves.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from catalog.models import CatalogState, Completion, Employee, EmployeeSkill, EmployeeTargetRole
from catalog.webhooks import emit

CATALOG_ROW = 1
CREDENTIALS_ROW = 2
PEOPLE_ROW = 3
# Read on every request: plain table selects, built once.
_state = CatalogState.__table__
_VERSION = select(_state.c.version).where(_state.c.id == CATALOG_ROW)
_PEOPLE_VERSION = select(_state.c.version).where(_state.c.id == PEOPLE_ROW)
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


def get_people_version(*, session: Session) -> int:
    """Return the current people version (0 before the first employee write)."""
    return session.connection().execute(_PEOPLE_VERSION).scalar() or 0


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


# What the people version stands for: the tables the workforce views read evidence from.
_PEOPLE_MODELS = (Employee, EmployeeSkill, EmployeeTargetRole, Completion)
_PEOPLE_TABLES = frozenset(model.__tablename__ for model in _PEOPLE_MODELS)
_CHANGED = "skillpath.people_changed"


def track_people_writes(factory: sessionmaker) -> None:
    """Make the sessions of ``factory`` move the people version when they write employees.

    Flushed objects and bulk statements on the people tables mark the session; a marked
    session moves the version last thing before its commit, so the counter row is the last
    lock a writer takes (no deadlock with writers of other rows) and is held only until the
    commit. The mark goes with the transaction (a rollback forgets it along with the writes).
    """
    event.listen(factory, "before_flush", _mark_flushed)
    event.listen(factory, "do_orm_execute", _mark_statement)
    event.listen(factory, "before_commit", _bump_if_marked)
    event.listen(factory, "after_transaction_end", _forget)


def _mark_flushed(session: Session, _context, _instances) -> None:
    if not session.info.get(_CHANGED) and any(
        isinstance(obj, _PEOPLE_MODELS) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info[_CHANGED] = True


def _mark_statement(state: ORMExecuteState) -> None:
    statement = state.statement
    if statement.is_dml and getattr(statement.table, "name", None) in _PEOPLE_TABLES:
        state.session.info[_CHANGED] = True


def _bump_if_marked(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: mark its writes first
    if session.info.pop(_CHANGED, False):
        _bump(session, PEOPLE_ROW)


def _forget(session: Session, transaction) -> None:
    # Only when the whole transaction ends: a savepoint rolled back leaves earlier writes.
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def _bump(session: Session, row: int) -> None:
    """Add one to ``row``'s counter and draw it a new stamp, creating the row at 1 the first time.

    One upsert, so two transactions moving a counter for the first time at once both count:
    an update that found no row followed by an insert would fail one of them on the key.
    """
    stamp = secrets.token_hex(16)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(CatalogState)
        .values(id=row, version=1, stamp=stamp)
        .on_conflict_do_update(
            index_elements=[CatalogState.id],
            set_={"version": CatalogState.version + 1, "stamp": stamp},
        )
    )
