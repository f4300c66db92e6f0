"""The vectorised workforce arithmetic agrees with the one-employee functions it scales up."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.gap import RoleIndex, analyze_gap
from recommender.index import CatalogIndex
from recommender.profile import add_months, effective_profile, expires_on
from recommender.types import CatalogItem, Competency, Completion, Profile, Target
from recommender.workforce import levels as wl
from recommender.workforce.gaps import RoleTable, entries, merged_demand, pair_readiness
from recommender.workforce.kpis import History, count_periods, periods

SKILLS = ("b", "A", "c.d", "_e", "z")
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))


@given(st.lists(st.tuples(days, st.integers(0, 240)), min_size=1, max_size=30))
def test_add_months_matches_the_scalar_version(pairs):
    got = wl.add_months(
        np.array([d for d, _ in pairs], "datetime64[D]"), np.array([m for _, m in pairs])
    )
    assert got.astype(dt.date).tolist() == [add_months(d, m) for d, m in pairs]


completions = st.lists(
    st.tuples(
        st.sampled_from(("i1", "i2", "i3", "gone")),
        st.none() | days,
        st.none() | days,
    ),
    max_size=6,
)


def _catalog() -> tuple[CatalogIndex, dict[str, CatalogItem]]:
    items = [
        CatalogItem("i1", "one", "course", "self_paced", 5.0, skills=(("A", 3), ("b", 2))),
        CatalogItem("i2", "two", "certification", "self_paced", 9.0, skills=(("b", 5),),
                    valid_months=12),
        CatalogItem("i3", "three", "certification", "self_paced", 2.0, skills=(("z", 4),),
                    valid_months=1),
    ]  # fmt: skip
    return CatalogIndex().fit(list(SKILLS), items), {i.id: i for i in items}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5), max_size=4), completions
        ),
        min_size=1,
        max_size=5,
    ),
    days,
)
def test_effective_levels_match_effective_profile(people, as_of):
    index, items = _catalog()
    stated = [(n, index.skill_index_[s], lv) for n, (levels, _) in enumerate(people)
              for s, lv in levels.items()]  # fmt: skip
    done = [(n, item, c, e) for n, (_, rows) in enumerate(people) for item, c, e in rows]
    item_rows = np.array([index.item_index_.get(r[1], -1) for r in done], dtype=np.int64)
    months = np.where(item_rows >= 0, index.valid_months_[np.maximum(item_rows, 0)], 0)
    last = wl.last_days(
        np.array([r[2] for r in done], "datetime64[D]"),
        np.array([r[3] for r in done], "datetime64[D]"),
        months,
    )
    for row, day in zip(done, last.tolist(), strict=True):
        known = items.get(row[1])
        assert day == expires_on(Completion(*row[1:]), known.valid_months if known else None)
    table = wl.effective_levels(
        n_skills=index.n_skills,
        stated=tuple(np.array([r[i] for r in stated], dtype=np.int64) for i in range(3)),
        completions=(np.array([r[0] for r in done], dtype=np.int64), item_rows, last),
        taught=index.taught_,
        as_of=np.datetime64(as_of, "D"),
    )
    for n, (levels, rows) in enumerate(people):
        profile = effective_profile(
            skills=levels,
            completions=[Completion(*r) for r in rows],
            items=index,
            as_of=as_of,
        )
        cols = [index.skill_index_[s] for s in SKILLS]
        got = table.lookup(np.full(len(cols), n), np.array(cols)).tolist()
        assert got == [profile.levels.get(s, 0) for s in SKILLS]


competencies = st.lists(
    st.tuples(st.sampled_from(SKILLS), st.integers(1, 5), st.sampled_from((0.1, 0.3, 0.7, 1.0))),
    min_size=1,
    max_size=5,
    unique_by=lambda c: c[0],
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(competencies, min_size=1, max_size=4),
    st.lists(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5)), min_size=1, max_size=5),
)
def test_pair_readiness_is_the_gap_analysis_float(roles, profiles):
    targets = [
        Target(tuple(Competency(*c) for c in comps), role_id=f"r{n}")
        for n, comps in enumerate(roles)
    ]
    index = CatalogIndex().fit(list(SKILLS), [])
    table = RoleTable.of(RoleIndex().fit(targets), index.skill_index_)
    levels = wl.LevelTable.highest(
        index.n_skills,
        [n for n, p in enumerate(profiles) for _ in p],
        [index.skill_index_[s] for p in profiles for s in p],
        [lv for p in profiles for lv in p.values()],
    )
    pairs = [(e, r) for e in range(len(profiles)) for r in range(len(targets))]
    employees = np.array([e for e, _ in pairs], dtype=np.int64)
    rows = np.array([r for _, r in pairs], dtype=np.int64)
    found = entries(table, levels, employees, rows)
    ready, weighted = pair_readiness(table, found, rows)
    for p, (e, r) in enumerate(pairs):
        report = analyze_gap(Profile(levels=profiles[e]), targets[table.role_index[f"r{r}"]])
        assert ready[p] == report.readiness
        assert weighted[p] == report.weighted_gap
    merged = merged_demand(found)
    for e in range(len(profiles)):
        for s in SKILLS:
            asked = [c for comps in roles for c in comps if c[0] == s]
            mine = (merged.employee == e) & (merged.col == index.skill_index_[s])
            if not asked:
                assert not mine.any()
                continue
            assert merged.required[mine].tolist() == [max(c[1] for c in asked)]
            assert merged.weight[mine].tolist() == [max(c[2] for c in asked)]


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 50), st.integers(0, 5)),
        max_size=25,
    ),
    st.integers(-1, 52),
)
def test_history_levels_are_the_last_event_before_the_moment(events, day):
    start = np.datetime64("2026-01-01", "D")
    history = History.of(
        3,
        [e[0] for e in events],
        [e[1] for e in events],
        np.array([start + e[2] for e in events], "datetime64[D]").astype("datetime64[us]"),
        [e[3] for e in events],
    )
    pairs = [(e, s) for e in range(3) for s in range(3)]
    located = history.locate(np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
    moment = (start + day).astype("datetime64[us]")
    got = history.before(moment, located).tolist()
    for (e, s), level in zip(pairs, got, strict=True):
        # In time order; of events at the same time, the one given last.
        before = sorted(
            (ev for ev in events if (ev[0], ev[1]) == (e, s) and ev[2] < day), key=lambda ev: ev[2]
        )
        assert level == (before[-1][3] if before else 0)


@given(days, days, st.sampled_from(("week", "month", "quarter")))
def test_periods_cover_the_days_asked_without_gaps(a, b, interval):
    first, last = min(a, b), max(a, b)
    if count_periods(first, last, interval) > 300:
        return
    spans = periods(first, last, interval)
    assert len(spans) == count_periods(first, last, interval)
    assert spans[0][0] <= first < spans[0][1] and spans[-1][0] <= last < spans[-1][1]
    assert all(x[1] == y[0] for x, y in zip(spans, spans[1:], strict=False))
