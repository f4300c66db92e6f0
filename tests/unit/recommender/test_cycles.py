"""Cycles found by one solve, cut from the later models of the same request."""

from __future__ import annotations

import numpy as np

from recommender.planner.candidates import Problem
from recommender.planner.cycles import Cycles
from recommender.sequence import Ordering

X, Y = 7, 8  # skill columns
NEEDS_Y = ("skill", Y, 2)
NEEDS_X = ("skill", X, 2)


def _problem(rows, groups) -> Problem:
    """A problem over ``rows``; ``groups`` as (row, need, supplier rows)."""
    at = {r: i for i, r in enumerate(rows)}
    return Problem(
        rows=np.array(rows, dtype=np.int64),
        groups=[(at[r], np.array([at[s] for s in sup], dtype=np.int64)) for r, _, sup in groups],
        group_need=[need for _, need, _ in groups],
    )


def _found_in_pool() -> Cycles:
    """Items 10 (needs y, teaches x) and 11 (needs x, teaches y), chosen and stuck."""
    pool = _problem([10, 11], [(10, NEEDS_Y, [11]), (11, NEEDS_X, [10])])
    cycles = Cycles()
    cycle = cycles.add(pool, Ordering(order=[], stuck=[10, 11], levels={}), np.zeros(20))
    inside, outside = cycle.cut(pool)
    assert inside.tolist() == [0, 1] and outside.tolist() == []
    return cycles


def test_a_cycle_is_cut_again_with_the_suppliers_a_larger_problem_adds():
    cycles = _found_in_pool()
    # Item 5 teaches x at 2 and sorts first: the plan 5, 11, 10 can be ordered.
    larger = _problem([5, 10, 11, 12], [(10, NEEDS_Y, [11]), (11, NEEDS_X, [5, 10])])
    [(inside, outside)] = cycles.cuts(larger)
    assert inside.tolist() == [1, 2] and outside.tolist() == [0]
    # x_10 + x_11 - x_5 <= 1: the orderable plan keeps, the cycle alone does not.
    for plan, allowed in (([0, 1, 2], True), ([1, 2], False), ([1, 2, 3], False)):
        x = np.zeros(4)
        x[plan] = 1
        assert bool(x[inside].sum() - x[outside].sum() <= inside.size - 1) == allowed


def test_a_cycle_is_not_cut_where_one_of_its_items_is_no_candidate():
    cycles = _found_in_pool()
    assert cycles.cuts(_problem([5, 10], [(10, NEEDS_Y, [])])) == []


def test_only_needs_the_placed_items_left_unmet_name_suppliers():
    # 10 also needs z, which the placed item 3 met: suppliers of z do not free the cycle.
    z = ("skill", 9, 1)
    pool = _problem([3, 10, 11], [(10, NEEDS_Y, [11]), (10, z, [3]), (11, NEEDS_X, [10])])
    cycles = Cycles()
    cycles.add(pool, Ordering(order=[3], stuck=[10, 11], levels={9: 1}), np.zeros(20))
    [(inside, outside)] = cycles.cuts(pool)
    assert inside.tolist() == [1, 2] and outside.tolist() == []
