"""The greedy fallback, and the augmentation that tops up any plan, both by gain per hour."""

from __future__ import annotations

import numpy as np

from recommender.context import RequestContext
from recommender.gain import EPS, ready_mask
from recommender.planner.candidates import Problem
from recommender.sequence import order_rows


def greedy(ctx: RequestContext, problem: Problem) -> list[int]:
    """Add the best gain-per-hour bundle (an item plus ready suppliers) until none fits.

    Each round prices every candidate at once from a table of the levels the candidates
    reach on the open gaps; only candidates with prerequisites build a bundle one by one.

    Returns
    -------
    chosen : list of int
        Item rows, in the order they were taken (each after its suppliers).
    """
    index, gaps = ctx.index, ctx.gaps
    rows = problem.rows.tolist()
    groups_of: dict[int, list[np.ndarray]] = {}
    for i, sup in problem.groups:
        groups_of.setdefault(i, []).append(sup)
    levels = _gap_levels(ctx, problem.rows)
    hours, cost = index.hours_[problem.rows], index.cost_[problem.rows]
    alone = np.array([i not in groups_of for i in range(len(rows))], dtype=bool)
    chosen: list[int] = []
    taken: set[int] = set()
    reached = gaps.current.copy()
    while True:
        best = None
        closed = float(gaps.weight @ (reached - gaps.current))
        gains = (np.maximum(levels, reached) - gaps.current) @ gaps.weight - closed
        left_hours, left_budget, left_items = ctx.left(chosen)
        # Items without prerequisites to bring: all at once.
        fit = alone & (hours <= left_hours + EPS) & (cost <= left_budget + EPS) & (gains > EPS)
        fit[list(taken)] = False
        if left_items >= 1 and fit.any():
            at = np.flatnonzero(fit)
            top = at[np.lexsort((problem.rows[at], hours[at], -gains[at] / hours[at]))[0]]
            best = ((-gains[top] / hours[top], hours[top], rows[top]), [int(top)])
        # Items with prerequisites: each with the suppliers it needs.
        for i in groups_of:
            if i in taken:
                continue
            bundle = _bundle(i, groups_of, taken)
            if bundle is None or len(bundle) > left_items:
                continue
            at = np.array(bundle)
            reach = np.maximum(levels[at].max(axis=0), reached)
            gain = float(gaps.weight @ (reach - gaps.current)) - closed
            bundle_hours, bundle_cost = float(hours[at].sum()), float(cost[at].sum())
            if bundle_hours > left_hours + EPS or bundle_cost > left_budget + EPS:
                continue
            if gain <= EPS:
                continue
            key = (-gain / bundle_hours, bundle_hours, rows[i])
            if best is None or key < best[0]:
                best = (key, bundle)
        if best is None:
            return chosen
        for b in best[1]:
            taken.add(b)
            chosen.append(rows[b])
            reached = np.maximum(reached, levels[b])


def _gap_levels(ctx: RequestContext, rows: np.ndarray) -> np.ndarray:
    """Return the level each item reaches on each open gap (capped), shape (n_rows, k)."""
    gaps = ctx.gaps
    levels = np.zeros((rows.size, gaps.cols.size), dtype=np.int64)
    keep = ctx.entries_of(rows)
    levels[np.searchsorted(rows, gaps.entry_rows[keep]), gaps.entry_gap[keep]] = gaps.entry_level[
        keep
    ]
    return levels


def augment(ctx: RequestContext, chosen: list[int]) -> list[int]:
    """Add any available item (candidate or not) that fits the limits left and helps.

    The candidates are a bounded subset of the catalog, so an item outside them may still
    fit what the plan leaves and narrow a gap; adding it can only raise coverage.

    Returns
    -------
    chosen : list of int
        ``chosen`` followed by the added rows.
    """
    chosen = list(chosen)
    while (added := _best_addition(ctx, chosen)) is not None:
        chosen.append(added[0])
    return chosen


def _bundle(i: int, groups_of: dict[int, list[np.ndarray]], taken: set[int]) -> list[int] | None:
    """Return ``i`` preceded by one supplier per unmet group, each ready itself, or None."""
    bundle: list[int] = []
    have = set(taken)
    for sup in groups_of.get(i, []):
        if have.intersection(sup.tolist()):
            continue
        for j in sup.tolist():
            if j != i and all(have.intersection(s.tolist()) for s in groups_of.get(j, [])):
                bundle.append(j)
                have.add(j)
                break
        else:
            return None
    return [*bundle, i]


def _best_addition(ctx: RequestContext, chosen: list[int]) -> tuple[int, float] | None:
    """Return the item adding the most gain per hour to ``chosen`` within limits, and its gain.

    Only available items that still fit the hours, money and item count left, and whose
    prerequisites ``chosen`` meets, are considered; None when no such item helps.
    """
    index = ctx.index
    left_hours, left_budget, left_items = ctx.left(chosen)
    if left_items < 1:
        return None
    gainers, gain = ctx.gaps.gains(ctx.reached(chosen))
    pick = ctx.is_gainer[gainers] & ~np.isin(gainers, chosen)
    pick &= index.hours_[gainers] <= left_hours + EPS
    pick &= index.cost_[gainers] <= left_budget + EPS
    gainers, gain = gainers[pick], gain[pick]
    if gainers.size:
        after = ctx.levels.copy()
        for col, level in order_rows(index, chosen, ctx.levels, ctx.completed).levels.items():
            after[col] = level
        ready = ready_mask(index, gainers, after, ctx.done_with(chosen))
        gainers, gain = gainers[ready], gain[ready]
    if not gainers.size:
        return None
    best = np.lexsort((gainers, -gain / index.hours_[gainers]))[0]
    return int(gainers[best]), float(gain[best])
