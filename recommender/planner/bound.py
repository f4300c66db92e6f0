"""An upper bound on the coverage any plan over all available items can reach.

The exact planner is optimal over its candidates only; to say a plan is optimal over the
whole catalog, the estimator compares it with :func:`relaxed_bound`: the same model
(:class:`recommender.planner.exact._Model`) over *every* available item that narrows a gap,
with the prerequisite rows left out. Dropping constraints can only raise the optimum, so
that optimum bounds every valid plan; and it is cheap, since without prerequisite rows the
model is a covering knapsack of a few rows (one per reachable level, plus the limits) that
HiGHS solves at or near its root LP. The LP relaxation alone would bound too, but with many
near-duplicate items its fractional optimum stays above the integer one and would leave
most exact answers unproven; the integer optimum of the relaxed model closes that gap.

When HiGHS stops at the time limit, its dual bound still bounds the relaxed optimum. The
objective's hours tie-break is worth less than half a unit (see ``_Model``), so the weight a
plan closes is at most ``(0.5 - dual bound) / units per weight``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import Bounds

from recommender.context import RequestContext
from recommender.planner import exact
from recommender.planner.candidates import Problem

# Weight a plan may fall short of the bound by and still count as reaching it: the model's
# own tie (1e-6 weight is one objective unit) plus HiGHS's tolerances.
TOLERANCE = 2e-6


def relaxed_bound(
    ctx: RequestContext, *, time_limit: float, started: float
) -> tuple[list[int] | None, float]:
    """Bound the weighted gap any plan over all available items can close.

    Parameters
    ----------
    ctx : RequestContext
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
    everything = ctx.closed(ctx.gainers)
    remaining = time_limit - (time.perf_counter() - started)
    if remaining <= 0 or not ctx.gainers.size:
        return None, everything
    model = exact._Model(ctx, Problem(rows=ctx.gainers))
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
    rows = None
    if res.x is not None:
        rows = ctx.gainers[np.flatnonzero(res.x[: ctx.gainers.size] > 0.5)].tolist()
        if res.status == 0:
            bound = min(bound, ctx.closed(rows) + TOLERANCE / 2)
        bound = max(bound, ctx.closed(rows))
    return rows, bound
