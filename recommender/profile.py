"""An employee's effective profile: stated levels plus what still-valid completions taught."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence

from recommender.index import CatalogIndex
from recommender.types import MAX_LEVEL, CatalogItem, Completion, Profile


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` later, clamped to the end of a shorter month.

    Past the last day dates can hold it answers that day, so no stored date can make date
    arithmetic fail.
    """
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def expires_on(completion: Completion, valid_months: int | None) -> dt.date | None:
    """Return the last day a completion counts, or None when it does not expire.

    An explicit ``expires_at`` wins; otherwise a certification completed on ``completed_at``
    stays valid for ``valid_months`` months. Without a completion date nothing can be
    proven expired, so it keeps counting.
    """
    if completion.expires_at is not None:
        return completion.expires_at
    if valid_months and completion.completed_at is not None:
        return add_months(completion.completed_at, valid_months)
    return None


def _item_facts(items, item_id: str):
    """Return ``(valid_months, taught pairs)`` of an item, or None if the catalog lacks it."""
    if isinstance(items, CatalogIndex):
        row = items.item_index_.get(item_id)
        if row is None:
            return None
        return int(items.valid_months_[row]) or None, items.taught_levels(row)
    item: CatalogItem | None = items.get(item_id)
    if item is None:
        return None
    return item.valid_months, list(item.skills)


def effective_profile(
    *,
    skills: Mapping[str, int],
    completions: Sequence[Completion],
    items: Mapping[str, CatalogItem] | CatalogIndex,
    as_of: dt.date,
) -> Profile:
    """Combine stated skill levels with the levels taught by completions valid on ``as_of``.

    A completion counts while ``as_of`` is on or before its expiry day (see
    :func:`expires_on`); an expired one is left out of ``completed`` and its levels do not
    count, so the item can be recommended again. Levels combine by maximum, never by sum.
    Completions of items the catalog does not hold stay in ``completed`` but teach nothing.

    Parameters
    ----------
    skills : mapping of str to int
        Stated levels (self, manager, assessment, ...), 0-5.
    completions : sequence of Completion
    items : mapping of item id to CatalogItem, or a fitted CatalogIndex
    as_of : date

    Returns
    -------
    profile : Profile

    Examples
    --------
    >>> import datetime as dt
    >>> from recommender.types import CatalogItem, Completion
    >>> cert = CatalogItem("saa", "AWS SAA", "certification", "self_paced", 40.0,
    ...                    skills=(("aws", 3),), valid_months=36)
    >>> p = effective_profile(skills={"aws": 1}, items={"saa": cert}, as_of=dt.date(2026, 1, 1),
    ...                       completions=[Completion("saa", dt.date(2024, 6, 1))])
    >>> dict(p.levels), sorted(p.completed)
    ({'aws': 3}, ['saa'])
    """
    levels = {s: min(MAX_LEVEL, max(0, int(v))) for s, v in skills.items()}
    completed: set[str] = set()
    for completion in completions:
        facts = _item_facts(items, completion.item)
        valid_months, taught = facts if facts is not None else (None, [])
        last_day = expires_on(completion, valid_months)
        if last_day is not None and as_of > last_day:
            continue
        completed.add(completion.item)
        for skill, level in taught:
            levels[skill] = max(levels.get(skill, 0), min(MAX_LEVEL, int(level)))
    return Profile(levels=levels, completed=frozenset(completed))
