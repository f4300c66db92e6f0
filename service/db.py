"""The database extension: one engine per process, one session per request."""

from __future__ import annotations

import atexit
import functools
import logging
import random
import time

from flask import Flask, current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from catalog import migrate
from catalog.db import (
    collect_between_units,
    make_engine,
    make_sessionmaker,
    pause_collection,
    writer,
)
from catalog.errors import ConcurrentWriteError

log = logging.getLogger("skillpath")
# Attempts of one write request that keeps colliding with concurrent writers.
WRITE_ATTEMPTS = 4
# PostgreSQL's serialization_failure and deadlock_detected: the transaction may be retried.
RETRYABLE_SQLSTATES = {"40001", "40P01"}


class Database:
    """Binds a SQLAlchemy engine to an app lazily, so each forked worker opens its own."""

    def init_app(self, app: Flask) -> None:
        """Register the per-request session teardown and migrate if configured to."""
        app.extensions["skillpath.db"] = {"engine": None}
        app.before_request(pause_collection)
        app.teardown_appcontext(self._close_session)
        url = app.config["SKILLPATH_DATABASE_URL"]
        auto = app.config.get("SKILLPATH_AUTO_MIGRATE")
        if auto is None:
            auto = make_url(url).get_backend_name() == "sqlite"
        elif isinstance(auto, str):
            auto = auto.lower() in {"1", "true", "yes", "on"}
        if auto:
            migrate.upgrade(url)

    def _state(self) -> dict:
        state = current_app.extensions["skillpath.db"]
        if state["engine"] is None:
            engine = make_engine(current_app.config["SKILLPATH_DATABASE_URL"])
            # Close pooled connections before interpreter shutdown rather than leaving them to
            # the final garbage collection.
            atexit.register(engine.dispose)
            state.update(
                engine=engine,
                reader=make_sessionmaker(engine),
                writer=make_sessionmaker(writer(engine)),
            )
        return state

    @property
    def engine(self) -> Engine:
        """Return this process's engine, creating it on first use."""
        return self._state()["engine"]

    def sessionmaker(self, *, write: bool) -> sessionmaker[Session]:
        """Return the session factory for units of work that do or do not write."""
        return self._state()["writer" if write else "reader"]

    @property
    def session(self) -> Session:
        """Return the request's session; requests that may write lock SQLite at BEGIN."""
        if "db_session" not in g:
            g.db_session = self.sessionmaker(write=_may_write())()
        return g.db_session

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
        collect_between_units()

    def dispose(self, app: Flask) -> None:
        """Close every pooled connection of ``app`` (tests and shutdown)."""
        engine = app.extensions["skillpath.db"]["engine"]
        if engine is not None:
            engine.dispose()


def retrying(view):
    """Run a view again, on a fresh transaction, when it lost a race with a concurrent writer.

    Two writers creating the same id (a unique violation), a deadlock, a serialization
    failure or rows changed under a flush are all undone by the rollback, and the view has
    sent nothing yet, so running it again is safe: it then sees what the other writer
    committed. A request that still collides after a few tries gets a 409 with Retry-After.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return view(*args, **kwargs)
            except (IntegrityError, StaleDataError, DBAPIError) as exc:
                if not _lost_a_race(exc):
                    raise
                db.session.rollback()
                log.info("write collided (attempt %d): %s", attempt, type(exc).__name__)
                if attempt == WRITE_ATTEMPTS:
                    raise ConcurrentWriteError(
                        "The write kept colliding with concurrent ones; retry."
                    ) from exc
                time.sleep(random.uniform(0, 0.02 * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def _lost_a_race(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError | StaleDataError):
        return True
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRYABLE_SQLSTATES


def read_only(view):
    """Mark a POST view that never writes, so its requests need no write lock."""
    view.read_only = True
    return view


def _may_write() -> bool:
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return False
    view_class = getattr(current_app.view_functions.get(request.endpoint), "view_class", None)
    handler = getattr(view_class, request.method.lower(), None)
    return not getattr(handler, "read_only", False)


db = Database()
