"""Hours to ready of many employees for one role, their plans solved as one program.

Each employee's plan toward the role, without limits on hours, items or money, is the
planner's own: the candidates :meth:`~recommender.planner.PathPlanner.candidates` gives,
and the mixed-integer model over them that
:meth:`~recommender.planner.PathPlanner.plan` solves first. Here
:func:`~recommender.planner.solve_together` solves those models as blocks of one program
in one HiGHS call, which saves the solver's per-call set-up, most of a small plan's time.

An answer that closes the whole gap, can be sequenced and is proven optimal is taken. One
that falls short goes on as the planner's own would after its solve
(:meth:`~recommender.planner.PathPlanner.improve`): its proof stages may still find a plan
over the rest of the catalog. An employee without an answer (a prerequisite cycle, no proof
in time, no candidate) is planned alone by :meth:`~recommender.planner.PathPlanner.plan`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from recommender.context import RequestContext, request_context
from recommender.gain import EPS
from recommender.planner import PathPlanner, Plan, Problem, solve_together
from recommender.types import Constraints, Profile, Target

#: The planner's estimate of hours to close a whole gap: no limit on hours, items or money.
UNLIMITED = Constraints(max_hours=None, budget=None, max_items=None)


def hours_to_ready(planner: PathPlanner, profile: Profile, target: Target) -> float | None:
    """Return the planner's hours to close a profile's whole gap, or None if it cannot.

    The planner runs without limits on hours, items or money, so the only gaps it leaves
    open are those no available item closes.
    """
    return _hours(planner.plan(profile, target, UNLIMITED))


def _hours(plan: Plan) -> float | None:
    """Return a plan's hours if it closes the whole gap, else None."""
    if plan.weighted_gap <= 0:
        return 0.0
    return plan.total_hours if plan.closed >= plan.weighted_gap - EPS else None


def hours_to_ready_many(
    planner: PathPlanner, profiles: Sequence[Profile], target: Target
) -> list[float | None]:
    """Return :func:`hours_to_ready` of each profile, solving their plans together.

    Parameters
    ----------
    planner : PathPlanner
        Fitted.
    profiles : sequence of Profile
    target : Target

    Returns
    -------
    hours : list of float or None
        One per profile, in order.
    """
    started = time.perf_counter()
    hours: list[float | None] = [None] * len(profiles)
    together: list[int] = []
    blocks: list[tuple[RequestContext, Problem]] = []
    alone: list[int] = []
    for k, profile in enumerate(profiles):
        ctx = request_context(planner.index_, profile, target, UNLIMITED)
        if ctx.weighted_gap <= 0:
            hours[k] = 0.0
        elif not ctx.gainers.size:
            hours[k] = None  # no available item narrows the gap
        elif planner.solver != "milp":
            alone.append(k)
        else:
            problem = planner.candidates(ctx)
            if problem.rows.size:
                together.append(k)
                blocks.append((ctx, problem))
            else:
                alone.append(k)
    answers = solve_together(
        blocks, time_limit=planner.time_limit, mip_rel_gap=planner.mip_rel_gap, started=started
    )
    for k, (ctx, problem), chosen in zip(together, blocks, answers, strict=True):
        if chosen is None:
            alone.append(k)
        elif ctx.closed(chosen) >= ctx.weighted_gap - EPS:
            hours[k] = float(ctx.index.hours_[chosen].sum())
        else:
            hours[k] = _hours(planner.improve(ctx, problem, chosen))
    for k in alone:
        hours[k] = hours_to_ready(planner, profiles[k], target)
    return hours
