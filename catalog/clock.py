"""The clock writes are stamped with: the real time, or a moment in the past while replaying.

Loading evidence of what happened earlier (the demo organisation's year, a backfill from an
LMS) goes through the same writes as live evidence, so history, plans and their dates come
out as they would have then. Inside :func:`replaying_at` every write reads that moment as
now; outside it, the real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_moment: ContextVar[dt.datetime | None] = ContextVar("replayed_moment", default=None)


def now() -> dt.datetime:
    """Return the current time, timezone-aware, in UTC (the replayed moment while replaying)."""
    return _moment.get() or dt.datetime.now(dt.UTC)


@contextmanager
def replaying_at(moment: dt.datetime) -> Iterator[None]:
    """Stamp every write inside the block with ``moment`` (timezone-aware) instead of now."""
    if moment.tzinfo is None:
        raise ValueError("a replayed moment needs its time zone")
    token = _moment.set(moment.astimezone(dt.UTC))
    try:
        yield
    finally:
        _moment.reset(token)
