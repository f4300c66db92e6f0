"""Hours to ready of many employees for one role, their plans solved as one program.

Each employee's plan toward the role, without limits on hours, items or money, is the
planner's own (:meth:`~recommender.planner.PathPlanner.plan`), and so are its hours: the
view of a role's candidates and the employee's learning path say the same. The planner's
solves are made for all the employees at once, each as a block of one HiGHS program, which
saves the solver's per-call set-up, most of a small plan's time:

1. the relaxation of the whole catalog the planner solves first
   (:func:`~recommender.planner.proof.relax_together`). A valid plan there is the planner's
   answer; a relaxed optimum short of the gap proves that no plan closes it;
2. for the others, the model over the planner's candidates
   (:func:`~recommender.planner.solve_together`). An answer that closes the whole gap is
   the planner's; one that falls short goes on as the planner's own would
   (:meth:`~recommender.planner.PathPlanner.improve`).

An employee without an answer (no candidate, a plan that cannot be ordered before a cycle
cut, no proof in time) is planned alone.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from recommender.context import RequestContext, request_context
from recommender.gain import EPS
from recommender.planner import PathPlanner, Plan, Problem, proof, solve_together
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
    return _if_closing(plan.closed, plan.weighted_gap, plan.total_hours)


def _closing(ctx: RequestContext, rows: list[int]) -> float | None:
    """Return the hours of a context's plan of ``rows`` if it closes the whole gap, else None."""
    return _if_closing(ctx.closed(rows), ctx.weighted_gap, float(ctx.index.hours_[rows].sum()))


def _if_closing(closed: float, weighted_gap: float, hours: float) -> float | None:
    """Return ``hours`` of a plan closing ``closed`` of ``weighted_gap`` if it closes it all."""
    if weighted_gap <= 0:
        return 0.0
    return hours if closed >= weighted_gap - EPS else None


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
    relaxing: dict[int, RequestContext] = {}
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
            relaxing[k] = ctx
    relaxations = proof.relax_together(
        list(relaxing.values()), time_limit=planner.time_limit, started=started
    )
    if relaxations is None:  # no proof in time: each is planned alone
        alone.extend(relaxing)
        relaxing, relaxations = {}, []
    pooled: dict[int, tuple[RequestContext, Problem, proof.Relaxation]] = {}
    for (k, ctx), relaxation in zip(relaxing.items(), relaxations, strict=True):
        closing = _closing(ctx, relaxation.chosen)
        if relaxation.ordering is not None or closing is None:
            # A valid plan is the planner's answer; a relaxed optimum short of the gap bounds
            # every plan, so none closes it.
            hours[k] = closing
        else:
            problem = planner.candidates(ctx)
            if problem.rows.size:
                pooled[k] = (ctx, problem, relaxation)
            else:
                alone.append(k)
    answers = solve_together(
        [(ctx, problem) for ctx, problem, _ in pooled.values()],
        time_limit=planner.time_limit,
        mip_rel_gap=planner.mip_rel_gap,
        started=started,
    )
    if answers is None:
        alone.extend(pooled)
        pooled, answers = {}, []
    for (k, (ctx, problem, relaxation)), chosen in zip(pooled.items(), answers, strict=True):
        if proof.sequenced(ctx, chosen) is None:
            alone.append(k)  # the planner would cut this plan off and solve again
        elif (closing := _closing(ctx, chosen)) is not None:
            hours[k] = closing
        else:
            hours[k] = _hours(planner.improve(ctx, problem, chosen, relaxation))
    for k in alone:
        hours[k] = hours_to_ready(planner, profiles[k], target)
    return hours
