"""A plan optimal over the whole catalog: the relaxation first, then proof or improvement.

The planner's candidates are a small part of the catalog, so an optimum over them is not yet
an optimum over the catalog. :func:`relax` solves the relaxation of the whole catalog's model
(:func:`recommender.planner.bound.first_round`) before anything else: when its plan is
valid, it is the answer. Otherwise :func:`prove` takes the plan over the candidates and
proves it optimal against the relaxation's bound, or improves it (pricing, then the model
over everything reachable), or reports the best bound found.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from recommender.context import RequestContext
from recommender.gain import EPS
from recommender.planner import exact, greedy
from recommender.planner.bound import (
    TOLERANCE,
    cheap_bound,
    first_round,
    proven_bound,
    relaxed_bound,
)
from recommender.planner.candidates import OutOfTime, Problem
from recommender.planner.cycles import Cycles
from recommender.sequence import Ordering, order_rows

#: Selects candidates for a context with some rows added, or everything a valid plan may hold,
#: within a deadline: ``select(ctx, extra, everything=..., deadline=...)``.
Select = Callable[..., Problem]


@dataclass(frozen=True, slots=True)
class Relaxation:
    """What :func:`relax` found: a plan, a bound, and whether it is proven.

    ``ordering`` is the plan's order when it is proven: a valid plan reaching ``bound``.
    Otherwise it is None, ``chosen`` is the relaxation's plan (None when HiGHS found none
    in time) and ``bound`` bounds every valid plan.
    """

    chosen: list[int] | None
    bound: float
    ordering: Ordering | None


def sequenced(ctx: RequestContext, rows: list[int]) -> Ordering | None:
    """Return the order of a relaxation's plan if it is a valid plan: it fits and can be ordered.

    The relaxation leaves some prerequisites and required items out, so its plan is valid
    only when ordering it leaves nothing stuck.
    """
    if not ctx.fits([], rows):
        return None
    ordering = order_rows(ctx.index, rows, ctx.levels, ctx.completed)
    return None if ordering.stuck else ordering


def relax(ctx: RequestContext, *, time_limit: float, started: float) -> Relaxation:
    """Solve the relaxation over the whole catalog first; keep its plan when it is valid.

    :func:`recommender.planner.bound.relaxed_bound` over
    :func:`recommender.planner.bound.first_round` is the model that proves a plan
    optimal (see :func:`prove`), and on the 100k benchmark catalog its own plan keeps
    every prerequisite and fits in 168 requests of 200: a valid plan that no plan
    beats. Solving it first spares those requests the candidates and their model.
    Without a plan in hand there is no coverage to tell HiGHS to beat; on the benchmark
    catalogs the one :func:`recommender.planner.greedy.augment` builds from nothing
    pruned too little to pay for itself.

    Returns
    -------
    relaxation : Relaxation
    Optimal with its plan, or the relaxed plan and bound for :func:`prove`.
    """
    relaxed, bound = relaxed_bound(
        ctx, first_round(ctx), beat=None, time_limit=time_limit, started=started
    )
    return _relaxation(ctx, relaxed, bound)


def relax_together(
    contexts: Sequence[RequestContext], *, time_limit: float, started: float
) -> list[Relaxation] | None:
    """Return :func:`relax` of each context, their relaxations solved as one program.

    The models are those :func:`relax` solves, as blocks of one HiGHS call
    (:func:`recommender.planner.exact.solve_together`), so each block's answer is an optimum
    of its own model and each relaxation is the one :func:`relax` would give: the same
    plan when it is valid, or the same hours and coverage on a tie. None when HiGHS proves
    no optimum of the whole program in time.
    """
    problems = [first_round(ctx) for ctx in contexts]
    solved = exact.solve_together(
        list(zip(contexts, problems, strict=True)),
        time_limit=time_limit,
        mip_rel_gap=0.0,
        started=started,
    )
    if solved is None:
        return None
    return [
        _relaxation(ctx, chosen, proven_bound(ctx, chosen, ctx.closed(problem.rows)))
        for ctx, problem, chosen in zip(contexts, problems, solved, strict=True)
    ]


def _relaxation(ctx: RequestContext, relaxed: list[int] | None, bound: float) -> Relaxation:
    """Describe a relaxed plan and its bound: proven and ordered when it is a valid plan."""
    ordering = None
    if relaxed is not None and ctx.closed(relaxed) >= bound - TOLERANCE:
        ordering = sequenced(ctx, relaxed)
    return Relaxation(relaxed, bound, ordering)


def prove(
    ctx: RequestContext,
    chosen: list[int],
    planner: str,
    started: float,
    *,
    time_limit: float,
    mip_rel_gap: float,
    select: Select,
    solved: np.ndarray | None = None,
    relaxation: Relaxation | None = None,
    cycles: Cycles | None = None,
):
    """Prove ``chosen`` optimal over every available item, or improve it, or bound it.

    1. :func:`recommender.planner.bound.cheap_bound` bounds what any plan over the whole
       catalog closes; reaching a bound proves the plan optimal.
    2. :func:`recommender.planner.bound.relaxed_bound` over
       :func:`recommender.planner.bound.first_round`, the relaxation that keeps the
       gainers' own prerequisites, bounds again. Its plan, when it closes more, fits and
       can be sequenced, is a valid plan: it becomes the answer, optimal at the bound.
       On the benchmark catalogs this settles most requests the cheap bound leaves.
    3. Pricing: otherwise the relaxation's items are the ones that could improve the
       answer: they join the candidates (with suppliers) and the exact model is solved
       again.
    4. Last, the exact model is solved over every gainer and every supplier reachable
       from them; its optimum, when HiGHS proves it in time, is the optimum over the
       catalog.

    Pricing is skipped when it would select exactly the candidates already ``solved``
    (rows whose optimum HiGHS proved, which ``chosen`` holds): the same model has the
    same optimum. That happened in about two of three requests that reach pricing on
    the benchmark catalogs, at the cost of a whole solve each.

    Every solve here tells HiGHS the coverage to beat, the plan in hand's, so it prunes
    what cannot beat it and, when nothing can, proves that without finding a plan: on the
    100k benchmark catalog that took a fifth off a path's 95th percentile, the answers
    unchanged.
    ``relaxation``, from :func:`relax`, stands for step 2 when that solve was made
    already. All solves share ``time_limit``; ``select`` picks candidates as the planner
    does; the cycles found by earlier solves of the request (``cycles``) are cut from
    each model at once, and those found here are added to them. Without a proof the plan
    is reported as not optimal, with the best bound found.

    Returns
    -------
    chosen : list of int
    planner : str
    optimal : bool
    bound : float
        Upper bound on the weighted gap any plan closes.
    """
    bound = cheap_bound(ctx, ctx.gainers)
    if ctx.closed(chosen) >= bound - TOLERANCE:
        return chosen, planner, True, bound
    cycles = Cycles() if cycles is None else cycles
    if relaxation is None:
        relaxed, relaxed_at = relaxed_bound(
            ctx,
            first_round(ctx),
            beat=ctx.closed(chosen),
            time_limit=time_limit,
            started=started,
        )
    else:
        relaxed, relaxed_at = relaxation.chosen, relaxation.bound
    bound = min(bound, relaxed_at)
    if ctx.closed(chosen) >= bound - TOLERANCE:
        return chosen, planner, True, bound
    if relaxed is not None and ctx.closed(relaxed) > ctx.closed(chosen) + EPS:
        # A plan of the relaxation that can be sequenced is a valid plan: take it if it
        # closes more, and it is optimal when it reaches the bound (HiGHS may have
        # stopped at the time limit with a plan short of it).
        if sequenced(ctx, relaxed) is not None:
            chosen, planner = relaxed, "milp"
            if ctx.closed(chosen) >= bound - TOLERANCE:
                return chosen, planner, True, bound
    for everything in (False, True):
        if time.perf_counter() - started >= time_limit:
            break
        if not everything and not relaxed:
            continue
        try:
            problem = select(
                ctx,
                relaxed or (),
                everything=everything,
                deadline=started + time_limit,
            )
        except OutOfTime:  # the whole catalog's selection alone ran out of time
            break
        if not everything and solved is not None and np.array_equal(problem.rows, solved):
            continue
        # No candidate left means no valid plan holds any of them: nothing beats none.
        found, proven = None, not problem.rows.size
        if problem.rows.size:
            found, proven = exact.solve(
                ctx,
                problem,
                time_limit=time_limit,
                mip_rel_gap=mip_rel_gap,
                started=started,
                cycles=cycles,
                beat=ctx.closed(chosen),
            )
        if found is not None:
            found = greedy.augment(ctx, found)
            if ctx.closed(found) > ctx.closed(chosen) + EPS:
                chosen, planner = found, "milp"
        if everything and proven and mip_rel_gap == 0:
            # Every valid plan is a plan over these candidates, so nothing closes more.
            return chosen, planner, True, ctx.closed(chosen)
        if ctx.closed(chosen) >= bound - TOLERANCE:
            return chosen, planner, True, bound
    return chosen, planner, False, bound
