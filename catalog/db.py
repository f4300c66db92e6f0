"""Engines and sessions: SQLite pragmas for the embedded default, plain URLs for PostgreSQL."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from catalog.version import track_people_writes

SQLITE_BUSY_TIMEOUT_MS = 5000
WRITE_OPTION = "skillpath_writes"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for ``url``; SQLite files get WAL, a busy timeout and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy issue BEGIN itself so transactions really span a whole unit of work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if parsed.database and parsed.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn):
        # A writer takes the lock up front (IMMEDIATE), so concurrent writers wait out the busy
        # timeout instead of failing half-way with "database is locked"; readers stay deferred.
        # Straight to the driver: SQLAlchemy's statement machinery would cost more than the
        # two SELECTs of a typical read, and there is no result to read.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.connection.driver_connection.execute("BEGIN IMMEDIATE")
        else:
            conn.connection.driver_connection.execute("BEGIN DEFERRED")

    return engine


# CPython before 3.12 may start a cyclic garbage collection inside any allocation. When that
# allocation is Session.close() giving an InstanceState a new attribute (_detach_states), the
# collection can run the same state's weakref callback (InstanceState._cleanup), which sets
# an attribute too: the state's attribute values are freed twice, the heap is corrupted and the
# process dies later in unrelated code (SIGSEGV in sqlite3's fetchall, json, the collector).
# 3.12 collects only between bytecodes (gh-97922). On older interpreters, units of work that
# use sessions run with automatic collection paused, and collect between units.
COLLECTS_INSIDE_ALLOCATIONS = sys.version_info < (3, 12)

# Pausing is the whole process's (the collector has one switch), while units of work are a
# thread's: a worker's index rebuild thread ends app contexts beside its requests, and ended
# one in the middle of a request, which switched collection back on and crashed the worker.
# Collection resumes when the last thread with a unit under way ends it; a thread that paused
# nothing resumes nothing.
_units_lock = threading.Lock()
_threads_in_units: set[int] = set()


def pause_collection() -> None:
    """Pause automatic garbage collection for a unit of work (on interpreters that need it).

    One pause per thread: a thread already in a unit stays in it.
    """
    if not COLLECTS_INSIDE_ALLOCATIONS:
        return
    with _units_lock:
        _threads_in_units.add(threading.get_ident())
        gc.disable()


def collect_between_units() -> None:
    """End this thread's unit; when it was the last under way, collect and resume collection.

    The collection run is the one automatic GC would have run meanwhile. A thread that paused
    nothing (the app context of a background thread or of a command) changes nothing.
    """
    if not COLLECTS_INSIDE_ALLOCATIONS:
        return
    with _units_lock:
        thread = threading.get_ident()
        if thread not in _threads_in_units:
            return
        _threads_in_units.discard(thread)
        if _threads_in_units:
            return  # another thread's unit is under way: collection stays paused
        counts, thresholds = gc.get_count(), gc.get_threshold()
        # Oldest generation first, as the collector itself chooses; each collection counts
        # towards the next generation's, so older generations still get their turn.
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                gc.collect(generation)
                break
        gc.enable()


def freeze_loaded_objects() -> None:
    """Leave every object alive now out of later collections: a worker's libraries and app.

    :func:`collect_between_units` collects the oldest generation whenever its count says so,
    without CPython's own further rule of waiting until a quarter of the long-lived objects
    are new. A worker tracks about 210,000 objects once its libraries are imported, and a
    full collection of them took about 150 ms: a stall every few tens of thousands of
    recommendation requests on the demo, sooner for requests that allocate more. Objects
    alive when the worker starts live as long as it does; frozen, they are never scanned
    again, and a full collection scans only what came later (about 1 ms on the demo). Call
    it once per process, after start-up: what it freezes is never collected, cycles included.
    """
    gc.freeze()


def writer(engine: Engine) -> Engine:
    """Return ``engine`` marked for units of work that write (SQLite locks for writing at BEGIN)."""
    return engine.execution_options(**{WRITE_OPTION: True})


#: A statement in one dialect's SQL and parameter style, with its parameters.
DriverSQL = tuple[str, Sequence[Any] | Mapping[str, Any]]


def read_alone(session: Session, statement: Callable[[Dialect], DriverSQL]) -> list[tuple]:
    """Return the rows of one read-only statement run for ``session``, given as driver SQL.

    :param statement: gives the SQL and its parameters for the session's dialect.

    A session that has begun nothing and will not write needs no transaction around one
    statement: a statement sees one consistent state of the database, on SQLite and PostgreSQL
    alike. It runs on a pooled driver connection, without SQLAlchemy's connection and
    transaction around it (the BEGIN, their events, the rollback when the session closes),
    which on SQLite cost more than a statement reading one employee. A session already in a
    transaction, a session that writes, or one bound to a connection runs the statement in its
    own transaction, so what a unit of work reads stays inside it. Driver errors come out as
    SQLAlchemy's (``OperationalError`` and the rest), as from ``Session.execute``.
    """
    bind = session.get_bind()
    alone = (
        isinstance(bind, Engine)
        and not session.in_transaction()
        and not bind.get_execution_options().get(WRITE_OPTION)
    )
    dialect = bind.dialect
    sql, parameters = statement(dialect)
    try:
        if not alone:
            return _fetch(session.connection().connection.driver_connection, sql, parameters)
        pooled = bind.raw_connection()
        try:
            return _fetch(pooled.driver_connection, sql, parameters)
        finally:
            pooled.close()
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, parameters, exc, dialect.loaded_dbapi.Error) from exc


def _fetch(connection: Any, sql: str, parameters: Sequence[Any] | Mapping[str, Any]) -> list:
    """Run ``sql`` on a driver connection and return all its rows."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory used for every unit of work."""
    factory = sessionmaker(engine, expire_on_commit=False)
    track_people_writes(factory)
    return factory
