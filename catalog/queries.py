"""Query helpers every listing and lookup shares: pages, LIKE patterns, IN lists in slices."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

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
