"""Upper bounds on the coverage any plan over all available items can reach.

The exact planner is optimal over its candidates only; to say a plan is optimal over the
whole catalog, the estimator compares it with a bound on what any plan could close. All
bounds here drop the prerequisite rows: dropping constraints can only raise the optimum, so
the optimum without them bounds every valid plan. Three of them, cheapest first:

1. :func:`cheap_bound`, vectorised over the gainers: what all of them close together; the
   gains of the ``max_items`` best; and the fractional knapsack of gains over the hours and
   over the budget (a sum of single-item gains is at least what the items close together,
   since levels are counted once).
2. :func:`relaxed_bound`: the same model as the exact planner
   (:class:`recommender.planner.exact._Model`) over the gainers :func:`undominated_gainers`
   keeps, prerequisite rows left out; a covering knapsack of a few rows that HiGHS solves at
   or near its root LP. Its LP relaxation alone would bound too, but with many
   near-duplicate items its fractional optimum stays above the integer one and would leave
   most exact answers unproven; the integer optimum closes that gap.

When HiGHS stops at the time limit, its dual bound still bounds the relaxed optimum. The
objective's hours tie-break is worth less than half a unit (see ``_Model``), so the weight a
plan closes is at most ``(0.5 - dual bound) / units per weight``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import Bounds

from recommender.context import RequestContext
from recommender.gain import EPS
from recommender.planner import exact
from recommender.planner.candidates import Problem
from recommender.planner.dominance import undominated

# Weight a plan may fall short of the bound by and still count as reaching it: the model's
# own tie (1e-6 weight is one objective unit) plus HiGHS's tolerances.
TOLERANCE = 2e-6


def undominated_gainers(ctx: RequestContext) -> np.ndarray:
    """Return the gainers no other gainer dominates when prerequisites are left out.

    Without prerequisites an item counts only by the levels it reaches on the open gaps
    (capped at the required level), its hours and its cost. Item ``i`` dominates ``j`` when
    it reaches every such level at least as high and takes no more hours and money, and is
    strictly better somewhere or has the smaller row; putting ``i`` in ``j``'s place in any
    plan (dropping ``j`` if ``i`` is already in it) keeps the limits and closes as much, so
    the optimum over the rows kept is the optimum over all gainers.

    Returns
    -------
    rows : ndarray of int64
        Sorted rows, a subset of ``ctx.gainers``.
    """
    rows, gaps, index = ctx.gainers, ctx.gaps, ctx.index
    if rows.size <= 1:
        return rows
    keep = ctx.is_gainer[gaps.entry_rows]
    raised = gaps.entry_level[keep] - gaps.current[gaps.entry_gap[keep]]
    levels = np.zeros((rows.size, gaps.cols.size), dtype=np.int8)
    levels[np.searchsorted(rows, gaps.entry_rows[keep]), gaps.entry_gap[keep]] = np.maximum(
        raised, 0
    )
    kept = undominated(levels.astype(np.float64), index.hours_[rows], index.cost_[rows], rows)
    return rows[kept]


def cheap_bound(ctx: RequestContext, rows: np.ndarray) -> float:
    """Bound the weighted gap any plan closes, without a solver.

    Parameters
    ----------
    ctx : RequestContext
    rows : ndarray of int64
        Gainers that include an optimal plan without prerequisites (all of them, or those
        :func:`undominated_gainers` keeps).

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


def relaxed_bound(
    ctx: RequestContext, rows: np.ndarray, *, time_limit: float, started: float
) -> tuple[list[int] | None, float]:
    """Bound the weighted gap any plan over all available items can close.

    Parameters
    ----------
    ctx : RequestContext
    rows : ndarray of int64
        Gainers that include an optimal plan without prerequisites (see
        :func:`undominated_gainers`).
    time_limit : float
        Seconds allowed since ``started``.
    started : float
        ``time.perf_counter()`` when planning began.

    Returns
    -------
    rows : list of int or None
        The relaxed model's best plan (its prerequisites may be unmet), None when HiGHS
        found none in time.
    bound : float
        An upper bound on the weighted gap closed; at most what all items together close.
    """
    everything = ctx.closed(rows)
    remaining = time_limit - (time.perf_counter() - started)
    if remaining <= 0 or not rows.size:
        return None, everything
    model = exact._Model(ctx, Problem(rows=rows))
    res = exact._milp(
        model.c,
        integrality=model.integrality,
        bounds=Bounds(0, model.upper),
        constraints=model.constraints([]),
        options={"time_limit": remaining, "mip_rel_gap": 0.0},
    )
    bound = everything
    dual = getattr(res, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        bound = min(bound, (0.5 - float(dual)) / exact._UNITS_PER_WEIGHT)
    chosen = None
    if res.x is not None:
        chosen = rows[np.flatnonzero(res.x[: rows.size] > 0.5)].tolist()
        if res.status == 0:
            bound = min(bound, ctx.closed(chosen) + TOLERANCE / 2)
        bound = max(bound, ctx.closed(chosen))
    return chosen, bound
