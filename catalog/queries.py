"""Query helpers every listing and lookup shares: pages, change windows, LIKE patterns, IN lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

T = TypeVar("T")

# SQL engines cap the number of bound parameters; look ids up in slices of this size.
IN_CHUNK = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing and the total number of matches."""

    items: list[T]
    total: int


def paginate(session: Session, query: Select[tuple[T]], *, page: int, page_size: int) -> Page[T]:
    """Return page ``page`` (from 1) of ``query``'s rows, ``page_size`` rows a page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    offset = (page - 1) * page_size
    if offset >= total:
        # Past the last page; also keeps absurd page numbers from overflowing SQL integers.
        return Page(items=[], total=total)
    rows = session.scalars(query.limit(page_size).offset(offset)).all()
    return Page(items=list(rows), total=total)


def changed_since(
    query: Select[tuple[T]],
    *,
    updated_at: InstrumentedAttribute[dt.datetime],
    key: InstrumentedAttribute[Any],
    since: dt.datetime | None,
    after: Any = None,
) -> Select[tuple[T]]:
    """Keep the rows of ``query`` changed after ``since``, in (updated_at, key) order.

    With ``after``, rows changed exactly at ``since`` whose key sorts after it are kept too:
    ``(since, after)`` is the last row a client has seen, so paging by it never skips a row
    that shares its time, nor one that moved to the end because it changed meanwhile.
    """
    if since is None:
        return query
    window = updated_at > since
    if after is not None:
        window = or_(window, and_(updated_at == since, key > after))
    return query.where(window).order_by(None).order_by(updated_at, key)


# The escape character of every pattern :func:`contains` makes.
LIKE_ESCAPE = "\\"


def contains(text: str) -> str:
    """Return a LIKE pattern matching any value that contains ``text`` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def chunks(values: Sequence[str], size: int = IN_CHUNK) -> Iterator[Sequence[str]]:
    """Yield ``values`` in slices short enough for one ``IN (...)`` list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
