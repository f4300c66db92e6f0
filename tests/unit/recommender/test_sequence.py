"""Ordering items so prerequisites come first, and laying them on a calendar."""

from __future__ import annotations

import datetime as dt
import itertools
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from recommender import CatalogIndex, Profile, Sequencer, Slot, schedule


def test_design_example_spans_eight_weeks():
    """40 h at 5 h/week from 2026-12-01 runs weeks 1-8 and ends 2027-01-26 (DESIGN.md)."""
    assert schedule([40.0], start_date=dt.date(2026, 12, 1), hours_per_week=5) == [
        Slot(1, 8, dt.date(2026, 12, 1), dt.date(2027, 1, 26))
    ]


@pytest.mark.parametrize(
    ("hours", "weeks"),
    [
        ([3, 4], [(1, 1), (1, 2)]),  # partial weeks are shared
        ([5, 5, 10], [(1, 1), (2, 2), (3, 4)]),  # whole weeks start the next one fresh
        ([0.5], [(1, 1)]),
        ([12.5, 2.5], [(1, 3), (3, 3)]),
    ],
)
def test_steps_run_back_to_back(hours, weeks):
    """Each step starts where the previous one ended, at the weekly pace."""
    slots = schedule(hours, start_date=dt.date(2026, 1, 5), hours_per_week=5)
    assert [(s.start_week, s.end_week) for s in slots] == weeks
    for before, after in zip(slots, slots[1:], strict=False):
        assert before.start_date <= after.start_date <= before.end_date


def test_float_noise_does_not_move_a_step():
    """Durations summing to whole weeks with rounding noise stay on the week boundary."""
    slots = schedule([0.1] * 50, start_date=dt.date(2026, 1, 5), hours_per_week=5)
    assert slots[-1].end_week == 1 and slots[-1].end_date == dt.date(2026, 1, 12)


def test_pace_must_be_positive():
    """A zero pace cannot be scheduled."""
    with pytest.raises(ValueError, match="hours_per_week"):
        schedule([1.0], start_date=dt.date(2026, 1, 5), hours_per_week=0)


def test_sequencer_puts_prerequisites_first(index, make_item):
    """Topological order first, then foundational (lower) levels, then item id."""
    sequencer = Sequencer().fit(index)
    profile = Profile(levels={"aws": 1})
    order = sequencer.order(["terraform-up", "k8s", "aws-saa", "docker", "linux-101"], profile)
    assert order == ["docker", "linux-101", "aws-saa", "k8s", "terraform-up"]
    assert order == sequencer.order(list(reversed(order)), profile)


def test_sequencer_rejects_unorderable_and_unknown_items(make_item):
    """A cycle, a missing prerequisite or an unknown id raises ValueError."""
    items = [
        make_item("a", skills=(("x", 3),), prerequisites=(("y", 2),)),
        make_item("b", skills=(("y", 3),), prerequisites=(("x", 2),)),
    ]
    sequencer = Sequencer().fit(CatalogIndex().fit([], items))
    with pytest.raises(ValueError, match="cannot be met"):
        sequencer.order(["a", "b"], Profile())
    assert sequencer.order(["a", "b"], Profile(levels={"y": 2})) == ["a", "b"]
    with pytest.raises(ValueError, match="unknown"):
        sequencer.order(["nope"], Profile())


def test_estimator_contract(index):
    """Unfitted use raises NotFittedError; fit returns self; pickling keeps the answers."""
    with pytest.raises(NotFittedError):
        Sequencer().order([], Profile())
    sequencer = Sequencer()
    assert sequencer.fit(index) is sequencer
    restored = pickle.loads(pickle.dumps(sequencer))
    assert restored.order(["k8s", "docker"], Profile()) == ["docker", "k8s"]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 7.5, 10.0, 12.0, 40.0]), max_size=8),
    st.sampled_from([1.0, 2.5, 3.0, 5.0, 7.0, 8.0, 10.0]),
)
def test_steps_never_start_before_the_previous_end_date(hours, per_week):
    """``end_date`` is inclusive: the next step starts on or after it, and weeks match dates."""
    origin = dt.date(2027, 4, 1)
    slots = schedule(hours, start_date=origin, hours_per_week=per_week)
    for before, after in itertools.pairwise(slots):
        assert after.start_date >= before.end_date
        assert after.start_week >= before.start_week
    for slot in slots:
        assert slot.end_date >= slot.start_date
        assert slot.end_week >= slot.start_week
        start, end = (slot.start_date - origin).days, (slot.end_date - origin).days
        assert 7 * (slot.start_week - 1) <= start <= 7 * slot.start_week
        assert 7 * (slot.end_week - 1) < end <= 7 * slot.end_week


def test_a_step_ending_part_way_through_a_day_is_not_overlapped():
    """3 h at 5 h/week ends on day ceil(4.2) = 5; the next step starts that day, not day 4."""
    first, second = schedule([3.0, 4.0], start_date=dt.date(2027, 4, 26), hours_per_week=5)
    assert first.end_date == dt.date(2027, 5, 1)
    assert second.start_date == dt.date(2027, 5, 1)
