"""Declarative base, the UTC timestamp type and the catalog's version row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Integer,
    String,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from catalog import clock


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware, in UTC (see :mod:`catalog.clock`)."""
    return clock.now()


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base of every Skillpath table."""

    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Timestamps:
    """Creation and last-change times, kept by the database session."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CatalogState(Base):
    """Counters workers cache under: row 1 the catalog version, row 2 the credentials version.

    See :mod:`catalog.version`.
    """

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Random, new with every move: a version number repeats when a database is recreated or
    # restored, so files built from one version are named by its stamp as well.
    stamp: Mapped[str | None] = mapped_column(String(32), nullable=True)
