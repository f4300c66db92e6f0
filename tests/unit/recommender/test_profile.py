"""The effective profile: stated levels plus what still-valid completions taught."""

from __future__ import annotations

import datetime as dt

import pytest

from recommender import CatalogIndex, CatalogItem, Completion, effective_profile
from recommender.profile import add_months

CERT = CatalogItem(
    "cert", "Cert", "certification", "self_paced", 40.0, skills=(("aws", 3),), valid_months=12
)
COURSE = CatalogItem(
    "course", "Course", "course", "self_paced", 5.0, skills=(("aws", 2), ("sql", 2))
)
ITEMS = {"cert": CERT, "course": COURSE}
AS_OF = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("completion", "counts"),
    [
        (Completion("cert", dt.date(2025, 6, 15)), True),  # exactly 12 months ago: last valid day
        (Completion("cert", dt.date(2025, 6, 14)), False),
        (Completion("cert", dt.date(2020, 1, 1), expires_at=dt.date(2026, 6, 15)), True),
        (Completion("cert", dt.date(2026, 1, 1), expires_at=dt.date(2026, 6, 14)), False),
        (Completion("cert", None), True),  # no date: nothing proves it expired
    ],
)
def test_certifications_expire(completion, counts):
    """A certification counts until valid_months after completion, or until expires_at."""
    profile = effective_profile(
        skills={"aws": 1}, completions=[completion], items=ITEMS, as_of=AS_OF
    )
    assert ("cert" in profile.completed) is counts
    assert profile.levels["aws"] == (3 if counts else 1)


def test_levels_combine_by_maximum():
    """Stated levels and taught levels combine by max, never by sum, for mappings and indexes."""
    for items in (ITEMS, CatalogIndex().fit([], list(ITEMS.values()))):
        profile = effective_profile(
            skills={"aws": 4, "sql": 1},
            completions=[
                Completion("course", dt.date(2026, 1, 1)),
                Completion("cert", dt.date(2026, 1, 1)),
            ],
            items=items,
            as_of=AS_OF,
        )
        assert dict(profile.levels) == {"aws": 4, "sql": 2}
        assert profile.completed == {"course", "cert"}


def test_unknown_items_count_as_completed_but_teach_nothing():
    """Completions of items the catalog lacks stay completed without raising levels."""
    profile = effective_profile(
        skills={}, completions=[Completion("gone", dt.date(2026, 1, 1))], items=ITEMS, as_of=AS_OF
    )
    assert profile.completed == {"gone"} and dict(profile.levels) == {}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
        (dt.date(2024, 12, 15), 1, dt.date(2025, 1, 15)),
        (dt.date(2024, 5, 31), 36, dt.date(2027, 5, 31)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    """Adding months keeps the day, or the last day of a shorter month."""
    assert add_months(day, months) == expected
