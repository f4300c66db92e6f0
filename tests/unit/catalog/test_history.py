"""Skill history: levels as the recommender counts them, and expiry events ahead of time."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.history import Evidence, ItemFacts, effective_levels, expiry_events, level_changes
from recommender.profile import effective_profile
from recommender.types import CatalogItem, Completion

SKILLS = ("a", "b", "c")
ITEMS = ("i1", "i2", "i3", "i4")
DAY = dt.date(2026, 3, 2)

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 1, 1))
facts = st.fixed_dictionaries(
    {
        item: st.builds(
            ItemFacts,
            st.one_of(st.none(), st.integers(1, 36)),
            st.lists(st.tuples(st.sampled_from(SKILLS), st.integers(1, 5)), max_size=3).map(
                lambda pairs: tuple(dict(pairs).items())
            ),
        )
        for item in ITEMS
    }
)
evidence = st.builds(
    Evidence,
    st.dictionaries(
        st.sampled_from(SKILLS), st.tuples(st.integers(0, 5), st.sampled_from(["self", "manager"]))
    ),
    st.lists(
        st.builds(
            Completion,
            st.sampled_from(ITEMS + ("gone",)),
            st.one_of(st.none(), days),
            st.one_of(st.none(), days),
        ),
        max_size=5,
    ).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(evidence=evidence, facts=facts, as_of=days)
def test_levels_are_the_recommenders_effective_profile(evidence, facts, as_of):
    items = {
        item: CatalogItem(item, item, "course", "self_paced", 1.0, skills=f.taught,
                          valid_months=f.valid_months)
        for item, f in facts.items()
    }  # fmt: skip
    profile = effective_profile(
        skills={s: level for s, (level, _) in evidence.stated.items()},
        completions=evidence.completions,
        items=items,
        as_of=as_of,
    )
    levels = effective_levels(evidence, facts, as_of)
    assert {s: lv for s, (lv, _) in levels.items() if lv} == {
        s: lv for s, lv in profile.levels.items() if lv
    }


@settings(max_examples=200, deadline=None)
@given(evidence=evidence, facts=facts, as_of=days)
def test_expiry_events_walk_the_levels_to_where_they_end(evidence, facts, as_of):
    after = dt.datetime.combine(as_of, dt.time(12), tzinfo=dt.UTC)
    levels = {s: lv for s, (lv, _) in effective_levels(evidence, facts, as_of).items()}
    last = as_of
    for at, skill, old, new, _ in expiry_events(evidence, facts, after=after):
        assert at > after and new < old
        assert levels.get(skill, 0) == old
        levels[skill] = new
        last = at.date()
    final = effective_levels(evidence, facts, max(last, as_of) + dt.timedelta(days=1))
    assert {s: v for s, v in levels.items() if v} == {s: lv for s, (lv, _) in final.items() if lv}


def test_a_rise_names_the_new_holder_and_a_fall_the_old_one():
    before = {"a": (2, "profile:self"), "b": (3, "item:x")}
    after = {"a": (4, "item:y"), "c": (1, "profile:manager")}
    assert level_changes(before, after) == [
        ("a", 2, 4, "item:y"),
        ("b", 3, 0, "item:x"),
        ("c", 0, 1, "profile:manager"),
    ]


def test_a_certification_expires_the_day_after_its_last_valid_day():
    known = {"cert": ItemFacts(12, (("a", 3),))}
    held = Evidence({"a": (1, "self")}, (Completion("cert", DAY),))
    (event,) = expiry_events(held, known, after=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert event == (
        dt.datetime(2027, 3, 3, tzinfo=dt.UTC),
        "a",
        3,
        1,
        "item:cert",
    )
