"""Upper bounds on the coverage any plan over all available items can reach.

The exact planner is optimal over its candidates only; to say a plan is optimal over the
whole catalog, the estimator compares it with a bound on what any plan could close. Every
bound here comes from a relaxation, a model with fewer constraints than the whole catalog's
(dropping constraints can only raise the optimum, so the relaxed optimum bounds every valid
plan). Cheapest first:

1. :func:`cheap_bound`, vectorised over the gainers: what all of them close together; the
   gains of the ``max_items`` best; and the fractional knapsack of gains over the hours and
   over the budget (a sum of single-item gains is at least what the items close together,
   since levels are counted once).
2. :func:`relaxed_bound` over :func:`first_round`: every gainer with the direct suppliers of
   its own prerequisites, the suppliers' prerequisites and every required item left out.
   It is the same model as the exact planner's
   (:class:`~recommender.planner.exact.MilpModel`), solved to its integer optimum: its LP
   relaxation alone would bound too, but with many near-duplicate items its fractional
   optimum stays above the integer one and would leave most exact answers unproven. Its
   plan usually keeps every prerequisite anyway, and is then a valid plan that no other
   plan beats.

HiGHS is told the coverage to beat (``objective_bound``), so a relaxation that cannot beat
the answer is usually settled at its root.

When HiGHS stops at the time limit, its dual bound still bounds the relaxed optimum. The
objective's hours tie-break is worth less than half a unit (see
:class:`~recommender.planner.exact.MilpModel`), so the weight a plan closes is at most
``(0.5 - dual bound) / UNITS_PER_WEIGHT``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import Bounds

from recommender.context import RequestContext
from recommender.gain import EPS
from recommender.index import gather
from recommender.planner import exact
from recommender.planner.candidates import Problem
from recommender.planner.dominance import undominated
from recommender.types import MAX_LEVEL

# Weight a plan may fall short of the bound by and still count as reaching it: the model's
# own tie (1e-6 weight is one objective unit) plus HiGHS's tolerances.
TOLERANCE = 2e-6


def cheap_bound(ctx: RequestContext, rows: np.ndarray) -> float:
    """Bound the weighted gap any plan closes, without a solver.

    Parameters
    ----------
    ctx : RequestContext
    rows : ndarray of int64
        Gainers that include an optimal plan without prerequisites (all of them, or a subset
        that dominance keeps).

    Returns
    -------
    bound : float
        The least of: what every gainer closes together; the sum of the ``max_items``
        largest gains; the fractional knapsack of gains within ``max_hours``, and within
        ``budget``.
    """
    bound = ctx.closed(rows)
    gain = ctx.gain[np.searchsorted(ctx.gainers, rows)]
    if np.isfinite(ctx.max_items):
        k = int(ctx.max_items)
        bound = min(bound, float(np.sort(gain)[::-1][:k].sum()))
    index = ctx.index
    for use, limit in ((index.hours_[rows], ctx.max_hours), (index.cost_[rows], ctx.budget)):
        if np.isfinite(limit):
            bound = min(bound, _fractional_knapsack(gain, use, limit + EPS))
    return bound


def _fractional_knapsack(gain: np.ndarray, use: np.ndarray, limit: float) -> float:
    """Return the best sum of gains with ``use`` within ``limit``, items taken fractionally."""
    free = use <= 0
    total = float(gain[free].sum())
    gain, use = gain[~free], use[~free]
    order = np.argsort(-gain / use, kind="stable")
    gain, use = gain[order], use[order]
    filled = np.cumsum(use)
    whole = int(np.searchsorted(filled, limit, side="right"))
    total += float(gain[:whole].sum())
    if whole < gain.size:
        room = limit - (filled[whole - 1] if whole else 0.0)
        total += float(gain[whole]) * max(0.0, room) / float(use[whole])
    return total


def first_round(ctx: RequestContext) -> Problem:
    """Return every gainer and its direct suppliers, with prerequisite groups on gainers only.

    The model over this problem keeps each gainer's unmet skill prerequisites (it may be
    chosen only with an item teaching that skill high enough) but leaves out the suppliers'
    own prerequisites and every required item: a relaxation of the whole catalog's model,
    so its optimum bounds every valid plan, and a much tighter one than leaving all
    prerequisites out. Gainers are compared on the levels they reach, the levels they
    supply to others, the levels they need, hours and cost; suppliers that close no gap on
    the levels they supply, hours and cost; dominated ones are dropped, which keeps the
    optimum.
    """
    index, gaps, levels = ctx.index, ctx.gaps, ctx.levels
    gainers = ctx.gainers
    need_col, need_of, need = gather(index.prereq_, gainers)
    need = need.astype(np.int64)
    unmet = need > levels[need_col]
    need_col, need_of, need = need_col[unmet].astype(np.int64), need_of[unmet], need[unmet]
    cols = np.unique(need_col)
    # Suppliers: available items teaching a needed skill at the lowest level some gainer needs.
    lowest = np.full(cols.size, np.iinfo(np.int64).max)
    np.minimum.at(lowest, np.searchsorted(cols, need_col), need)
    sup_rows, sup_of, sup_level = gather(index.taught_csc_, cols)
    sup_rows = sup_rows[sup_level >= lowest[sup_of]].astype(np.int64)
    suppliers = np.unique(sup_rows)
    suppliers = suppliers[~ctx.is_gainer[suppliers]]
    suppliers = suppliers[ctx.availability.mask(suppliers)]
    pool = np.union1d(gainers, suppliers)
    # Features: levels reached on gaps, levels taught on needed skills, minus levels needed.
    position = np.searchsorted(pool, gainers)
    raised = np.zeros((pool.size, gaps.cols.size))
    keep = ctx.is_gainer[gaps.entry_rows]
    raised[np.searchsorted(pool, gaps.entry_rows[keep]), gaps.entry_gap[keep]] = np.maximum(
        gaps.entry_level[keep] - gaps.current[gaps.entry_gap[keep]], 0
    )
    taught_col, taught_of, taught = gather(index.taught_, pool)
    on_needed = np.isin(taught_col, cols)
    supplies = np.zeros((pool.size, cols.size))
    supplies[taught_of[on_needed], np.searchsorted(cols, taught_col[on_needed])] = taught[on_needed]
    needs = np.zeros((pool.size, cols.size))
    needs[position[need_of], np.searchsorted(cols, need_col)] = need
    # A level supplied counts only by the needs it meets: round it down to the highest of them.
    # ``floor[c, l]`` is the highest level needed on ``cols[c]`` up to ``l`` (0 if none).
    floor = np.zeros((cols.size, MAX_LEVEL + 1), dtype=np.int64)
    floor[np.searchsorted(cols, need_col), need] = need
    floor = np.maximum.accumulate(floor, axis=1)
    supplies = floor[np.arange(cols.size), supplies.astype(np.int64)].astype(float)
    features = np.hstack([raised, supplies, -needs])
    kept = undominated(features, index.hours_[pool], index.cost_[pool], pool)
    rows = pool[kept]
    at = np.flatnonzero(kept)
    supplies, needs = supplies[at], needs[at]
    # One group per unmet need, by item then column; its suppliers in one comparison.
    item, col = np.nonzero(needs)
    level = needs[item, col]
    supplying = supplies[:, col].T >= level[:, None]
    supplying[np.arange(item.size), item] = False
    group, supplier = np.nonzero(supplying)
    counts = np.bincount(group, minlength=item.size)
    suppliers = np.split(supplier, np.cumsum(counts)[:-1]) if item.size else []
    return Problem(
        rows=rows,
        groups=list(zip(item.tolist(), suppliers, strict=True)),
        group_need=[
            ("skill", c, lv)
            for c, lv in zip(cols[col].tolist(), level.astype(np.int64).tolist(), strict=True)
        ],
    )


def relaxed_bound(
    ctx: RequestContext,
    problem: Problem,
    *,
    beat: float | None,
    time_limit: float,
    started: float,
) -> tuple[list[int] | None, float]:
    """Bound the weighted gap any plan over all available items can close.

    Parameters
    ----------
    ctx : RequestContext
    problem : Problem
        A relaxation of the whole catalog's model that keeps its optimum or raises it, such
        as :func:`first_round`.
    beat : float or None
        The weighted gap the plan in hand closes. HiGHS is told to look only for plans
        closing more (its ``objective_bound``), so it prunes every branch that cannot and,
        most often, proves at once that none can. None, without a plan in hand: HiGHS
        solves the relaxation to its optimum, hours tie-break included.
    time_limit : float
        Seconds allowed since ``started``.
    started : float
        ``time.perf_counter()`` when planning began.

    Returns
    -------
    rows : list of int or None
        The relaxed model's best plan (its prerequisites may be unmet), None when HiGHS
        found none in time or none closes more than ``beat``.
    bound : float
        An upper bound on the weighted gap closed; at most what all items together close,
        and ``beat`` (plus HiGHS's tolerance) when no plan closes more.
    """
    rows = problem.rows
    everything = ctx.closed(rows)
    remaining = time_limit - (time.perf_counter() - started)
    if remaining <= 0 or not rows.size:
        return None, everything
    model = exact.MilpModel(ctx, problem)
    options = {"time_limit": remaining, "mip_rel_gap": 0.0}
    if beat is not None:
        options["objective_bound"] = exact.beaten(beat)
    res = exact.call_milp(
        model.c,
        integrality=model.integrality,
        bounds=Bounds(0, model.upper),
        constraints=model.constraints([]),
        options=options,
    )
    if beat is not None and res.status == 2:
        # Infeasible under the objective bound: no plan of the relaxation closes more.
        return None, min(everything, beat + TOLERANCE / 2)
    bound = everything
    dual = getattr(res, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        bound = min(bound, (0.5 - float(dual)) / exact.UNITS_PER_WEIGHT)
    chosen = None
    if res.x is not None:
        chosen = rows[np.flatnonzero(res.x[: rows.size] > 0.5)].tolist()
        if res.status == 0:
            bound = min(bound, proven_bound(ctx, chosen, everything))
        bound = max(bound, ctx.closed(chosen))
    return chosen, bound


def proven_bound(ctx: RequestContext, chosen: list[int], everything: float) -> float:
    """Return the bound a relaxation's proven optimum ``chosen`` gives: what it closes.

    HiGHS's tolerance is added; no bound exceeds ``everything``, what all the relaxation's
    items close together.
    """
    return min(everything, ctx.closed(chosen) + TOLERANCE / 2)
