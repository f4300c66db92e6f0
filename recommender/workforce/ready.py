"""Hours to ready of many employees for one role, their plans solved as one program.

Each employee's plan toward the role, without limits on hours, items or money, is the
planner's own: the same candidates and the same mixed-integer model
(:mod:`recommender.planner.exact`). Here those models are laid side by side, as blocks of
one program that share no variable and no constraint, and HiGHS solves them in one call:
minimising the sum of independent objectives minimises each, so each block's answer is the
one :meth:`~recommender.planner.PathPlanner.plan` would find. One call instead of one per
employee saves the solver's per-call set-up, most of a small plan's time.

Only an answer that closes the whole gap, can be sequenced and is proven optimal is taken;
any other employee (a gap no candidate closes, a prerequisite cycle, no proof in time) is
planned alone by :meth:`~recommender.planner.PathPlanner.plan`, whose proof stages may still
find a plan over the rest of the catalog. So the hours are always the planner's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint

from recommender.context import RequestContext, request_context
from recommender.gain import EPS
from recommender.planner import PathPlanner, exact
from recommender.planner.candidates import Problem
from recommender.sequence import order_rows
from recommender.types import Constraints, Profile, Target

#: The planner's estimate of hours to close a whole gap: no limit on hours, items or money.
UNLIMITED = Constraints(max_hours=None, budget=None, max_items=None)


def hours_to_ready(planner: PathPlanner, profile: Profile, target: Target) -> float | None:
    """Return the planner's hours to close a profile's whole gap, or None if it cannot.

    The planner runs without limits on hours, items or money, so the only gaps it leaves
    open are those no available item closes.
    """
    plan = planner.plan(profile, target, UNLIMITED)
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
    blocks: list[tuple[int, RequestContext, Problem]] = []
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
            # The planner's own first candidates: the model plan() solves first.
            problem = planner._candidates(ctx)
            if problem.rows.size:
                blocks.append((k, ctx, problem))
            else:
                alone.append(k)
    for (k, ctx, _), chosen in zip(blocks, _solve_together(blocks, planner, started), strict=True):
        if chosen is not None and ctx.closed(chosen) >= ctx.weighted_gap - EPS:
            hours[k] = float(ctx.index.hours_[chosen].sum())
        else:
            alone.append(k)
    for k in alone:
        hours[k] = hours_to_ready(planner, profiles[k], target)
    return hours


def _solve_together(blocks, planner: PathPlanner, started: float) -> list[list[int] | None]:
    """Solve the blocks' models as one program; None for a block without a usable answer."""
    if not blocks:
        return []
    models = [exact._Model(ctx, problem) for _, ctx, problem in blocks]
    parts = [model.constraints([]) for model in models]
    res = exact._milp(
        np.concatenate([model.c for model in models]),
        integrality=np.concatenate([model.integrality for model in models]),
        bounds=Bounds(0, np.concatenate([model.upper for model in models])),
        constraints=LinearConstraint(
            sparse.block_diag([part.A for part in parts], format="csr"),
            -np.inf,
            np.concatenate([part.ub for part in parts]),
        ),
        options={
            "time_limit": max(planner.time_limit - (time.perf_counter() - started), 1e-3),
            "mip_rel_gap": planner.mip_rel_gap,
        },
    )
    if res.x is None or res.status != 0:  # no proof in time: each is planned alone
        return [None] * len(blocks)
    answers: list[list[int] | None] = []
    at = 0
    for (_, ctx, problem), model in zip(blocks, models, strict=True):
        rows = problem.rows
        chosen = rows[np.flatnonzero(res.x[at : at + rows.size] > 0.5)].tolist()
        at += model.c.size
        usable = (
            ctx.fits([], chosen)
            and not order_rows(ctx.index, chosen, ctx.levels, ctx.completed).stuck
        )
        answers.append(chosen if usable else None)
    return answers
