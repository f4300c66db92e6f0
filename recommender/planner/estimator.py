"""The path planner as an estimator: parameters, fit, and the three stages of a plan."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from recommender.context import RequestContext, request_context
from recommender.gain import EPS
from recommender.index import CatalogIndex
from recommender.params import Interval, Options, check_params
from recommender.planner import exact, greedy, proof
from recommender.planner.bound import (
    TOLERANCE,
)
from recommender.planner.candidates import (
    Problem,
    problem_over,
    select_candidates,
)
from recommender.planner.cycles import Cycles
from recommender.sequence import Ordering, order_rows
from recommender.types import Constraints, Profile, Target


@dataclass(frozen=True, slots=True)
class Plan:
    """The chosen items, in an order where every prerequisite comes first.

    ``planner`` is ``"milp"``, ``"greedy"`` or ``"none"`` (nothing to plan: no gap, or no
    available item narrows it); ``optimal`` is True only when no plan over all available
    items closes more (see :func:`recommender.planner.proof.prove`). ``bound`` is the best coverage
    (share of ``weighted_gap``) any plan could reach, as far as the planner proved: equal
    to the plan's coverage when optimal, None when there was no gap. ``closed`` is the
    weighted gap closed, levels counted once; ``weighted_gap`` is ``G`` before the plan.
    """

    items: list[str]
    planner: str
    optimal: bool
    closed: float
    weighted_gap: float
    total_hours: float
    total_cost: float
    n_candidates: int = 0
    bound: float | None = None


class PathPlanner(BaseEstimator):
    """Choose items maximising the weighted gap closed, subject to the constraints.

    With ``solver="milp"`` the relaxation of the whole catalog that proves plans optimal
    (:mod:`recommender.planner.bound`) is solved first; when its plan fits and can be
    sequenced, that plan is the answer, optimal over the catalog
    (see :func:`recommender.planner.proof.relax`).
    Otherwise a plan takes three stages, one module each:

    1. :mod:`recommender.planner.candidates` picks a bounded set of candidate items: the
       best by gain and by gain per use of the limits, the cheapest per open level, and
       suppliers of their prerequisites; candidates another one dominates are dropped,
       which keeps the optimum.
    2. :mod:`recommender.planner.exact` chooses among them with a mixed-integer program
       solved by HiGHS (``scipy.optimize.milp``): each level counted once, every limit
       and prerequisite respected, cycles cut off until the plan can be sequenced, ties
       in coverage going to fewer hours. If HiGHS finds no plan within ``time_limit``
       seconds (or ``solver="greedy"``), :func:`recommender.planner.greedy.greedy`, a
       gain-per-hour heuristic, answers instead.
    3. :func:`recommender.planner.greedy.augment` adds any available item that still fits
       and still helps (then the plan is reported as not optimal, since the candidates
       missed it).

    Parameters
    ----------
    time_limit : float > 0
        Seconds HiGHS may spend on one plan, all re-solves included.
    n_candidates : int >= 1
        Candidates taken by gain, and again by gain per use of the limits.
    n_per_level : int >= 0
        Cheapest candidates taken per gap skill and level.
    n_suppliers : int >= 0
        Suppliers added per unmet prerequisite and round.
    prerequisite_depth : int >= 0
        Rounds of adding suppliers of suppliers.
    mip_rel_gap : float in [0, 1]
        HiGHS relative optimality gap; 0 asks for proven optimality.
    solver : {"milp", "greedy"}

    Attributes
    ----------
    index_ : CatalogIndex
    """

    _parameter_rules = {
        "time_limit": Interval(Real, 0, None, closed="neither"),
        "n_candidates": Interval(Integral, 1, None),
        "n_per_level": Interval(Integral, 0, None),
        "n_suppliers": Interval(Integral, 0, None),
        "prerequisite_depth": Interval(Integral, 0, None),
        "mip_rel_gap": Interval(Real, 0, 1),
        "solver": Options(("milp", "greedy")),
    }

    def __init__(
        self,
        *,
        time_limit=1.0,
        n_candidates=20,
        n_per_level=2,
        n_suppliers=3,
        prerequisite_depth=3,
        mip_rel_gap=0.0,
        solver="milp",
    ):
        self.time_limit = time_limit
        self.n_candidates = n_candidates
        self.n_per_level = n_per_level
        self.n_suppliers = n_suppliers
        self.prerequisite_depth = prerequisite_depth
        self.mip_rel_gap = mip_rel_gap
        self.solver = solver

    def fit(self, index: CatalogIndex):
        """Remember the catalog to plan over.

        Parameters
        ----------
        index : CatalogIndex

        Returns
        -------
        self : PathPlanner

        Raises
        ------
        ValueError
            If a parameter is out of its range.
        """
        check_params(self)
        check_is_fitted(index)
        self.index_ = index
        return self

    def plan(
        self,
        profile: Profile | RequestContext,
        target: Target | None = None,
        constraints: Constraints | None = None,
    ) -> Plan:
        """Choose and order the items of a learning path.

        Parameters
        ----------
        profile : Profile or RequestContext
            The employee's profile, or a context built on this planner's index (then
            ``target`` and ``constraints`` are left out: the context holds them).
        target : Target
            Required with a profile.
        constraints : Constraints, optional
            Defaults to ``Constraints()``.

        Returns
        -------
        plan : Plan
        """
        check_is_fitted(self)
        started = time.perf_counter()
        ctx = request_context(self.index_, profile, target, constraints, default=Constraints())
        if ctx.weighted_gap <= 0 or not ctx.gainers.size:
            bound = None if ctx.weighted_gap <= 0 else 0.0
            return Plan([], "none", True, 0.0, ctx.weighted_gap, 0.0, 0.0, bound=bound)

        relaxation = None
        if self.solver == "milp":
            relaxation = proof.relax(ctx, time_limit=self.time_limit, started=started)
            if relaxation.ordering is not None:
                return self._plan_of(
                    ctx,
                    relaxation.chosen,
                    "milp",
                    True,
                    relaxation.bound,
                    ordering=relaxation.ordering,
                )

        problem = self.candidates(ctx)
        chosen, planner, optimal = [], "none", True
        solved = None  # the candidates whose optimum HiGHS proved, if it did
        cycles = Cycles()  # found by this request's solves, cut from each later one
        if problem.rows.size:
            chosen, planner, optimal = None, "greedy", False
            if self.solver == "milp":
                chosen, optimal = exact.solve(
                    ctx,
                    problem,
                    time_limit=self.time_limit,
                    mip_rel_gap=self.mip_rel_gap,
                    started=started,
                    cycles=cycles,
                )
                planner = "milp"
                solved = problem.rows if optimal else None
            if not optimal:  # the greedy solver, or HiGHS without a proof in time
                fallback = greedy.greedy(ctx, problem)
                if chosen is None or ctx.closed(fallback) > ctx.closed(chosen) + EPS:
                    chosen, planner = fallback, "greedy"
        return self._finish(
            ctx,
            problem,
            chosen,
            planner,
            started,
            solved=solved,
            relaxation=relaxation,
            cycles=cycles,
        )

    def improve(
        self,
        ctx: RequestContext,
        problem: Problem,
        chosen: list[int],
        relaxation: proof.Relaxation | None = None,
    ) -> Plan:
        """Finish a plan from an optimum of the candidates' model that the caller solved.

        :func:`recommender.planner.solve_together` solves many employees' candidate models
        at once; an answer goes on from here as :meth:`plan` would after its own solve:
        augmented, then proven optimal over the catalog or improved
        (:func:`recommender.planner.proof.prove`), without solving the same model again.

        Parameters
        ----------
        ctx : RequestContext
            Built on this planner's index.
        problem : Problem
            What :meth:`candidates` gave for ``ctx``.
        chosen : list of int
            An optimum of the model over ``problem``, as solved with this planner's
            ``mip_rel_gap``, that can be sequenced.
        relaxation : Relaxation, optional
            What :func:`recommender.planner.proof.relax` (or ``relax_together``) found for
            ``ctx``, as :meth:`plan` solves it first; without it the proof solves the
            relaxation with the candidates' optimum as its cut-off.

        Returns
        -------
        plan : Plan
        """
        check_is_fitted(self)
        solved = problem.rows if self.mip_rel_gap == 0 else None
        return self._finish(
            ctx,
            problem,
            list(chosen),
            "milp",
            time.perf_counter(),
            solved=solved,
            relaxation=relaxation,
        )

    def _finish(
        self,
        ctx: RequestContext,
        problem: Problem,
        chosen: list[int],
        planner: str,
        started: float,
        *,
        solved: np.ndarray | None = None,
        relaxation: proof.Relaxation | None = None,
        cycles: Cycles | None = None,
    ) -> Plan:
        """Augment a plan over the candidates, prove or improve it (``"milp"``), describe it."""
        improved = greedy.augment(ctx, chosen)
        if sorted(improved) != sorted(chosen) and planner == "none":
            planner = "greedy"
        chosen = improved
        bound = ctx.closed(ctx.gainers)
        if self.solver == "milp":
            chosen, planner, optimal, bound = proof.prove(
                ctx,
                chosen,
                planner,
                started,
                time_limit=self.time_limit,
                mip_rel_gap=self.mip_rel_gap,
                select=self._candidates,
                solved=solved,
                relaxation=relaxation,
                cycles=cycles,
            )
        else:
            optimal = ctx.closed(chosen) >= bound - TOLERANCE
        return self._plan_of(ctx, chosen, planner, optimal, bound, n_candidates=len(problem.rows))

    @staticmethod
    def _plan_of(
        ctx: RequestContext,
        chosen: list[int],
        planner: str,
        optimal: bool,
        bound: float,
        *,
        n_candidates: int = 0,
        ordering: Ordering | None = None,
    ) -> Plan:
        """Order the chosen rows (unless ``ordering`` did) and describe them as a :class:`Plan`."""
        if ordering is None:
            ordering = order_rows(ctx.index, chosen, ctx.levels, ctx.completed)
        assert not ordering.stuck, "planned items must be orderable"
        closed = ctx.closed(chosen)
        index = ctx.index
        return Plan(
            items=[str(index.item_ids_[r]) for r in ordering.order],
            planner=planner,
            optimal=optimal,
            closed=closed,
            weighted_gap=ctx.weighted_gap,
            total_hours=float(index.hours_[chosen].sum()),
            total_cost=float(index.cost_[chosen].sum()),
            n_candidates=n_candidates,
            bound=(closed if optimal else max(closed, min(bound, ctx.weighted_gap)))
            / ctx.weighted_gap,
        )

    def plan_over(self, ctx: RequestContext, rows) -> list[str]:
        """Return the best plan over some items and the suppliers they need, in order.

        A quick re-plan of a few items (no proof, no augmentation): what a plan would take
        if these were the whole catalog.

        Parameters
        ----------
        ctx : RequestContext
            Built on this planner's index.
        rows : sequence of int
            Item rows; those ``ctx`` may not use are left out.

        Returns
        -------
        items : list of str
            Item ids, in an order where every prerequisite comes first.
        """
        check_is_fitted(self)
        started = time.perf_counter()
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        rows = rows[ctx.availability.mask(rows)]
        problem = problem_over(
            ctx, rows, n_suppliers=self.n_suppliers, prerequisite_depth=self.prerequisite_depth
        )
        if not problem.rows.size or ctx.weighted_gap <= 0:
            return []
        chosen = None
        if self.solver == "milp":
            chosen, _ = exact.solve(
                ctx,
                problem,
                time_limit=self.time_limit,
                mip_rel_gap=self.mip_rel_gap,
                started=started,
            )
        if chosen is None:
            chosen = greedy.greedy(ctx, problem)
        order = order_rows(ctx.index, chosen, ctx.levels, ctx.completed).order
        return [str(ctx.index.item_ids_[r]) for r in order]

    def candidates(self, ctx: RequestContext) -> Problem:
        """Return the candidates :meth:`plan` solves first, with their prerequisite groups.

        Parameters
        ----------
        ctx : RequestContext
            Built on this planner's index.

        Returns
        -------
        problem : Problem
            Empty rows when no available item narrows the gap.
        """
        check_is_fitted(self)
        return self._candidates(ctx)

    def _candidates(self, ctx: RequestContext, extra=(), *, everything=False, deadline=math.inf):
        """Select candidates; with ``everything``, all items any valid plan may hold."""
        if everything:
            n = ctx.index.n_items
            return select_candidates(
                ctx,
                n_candidates=self.n_candidates,
                n_per_level=self.n_per_level,
                n_suppliers=n,
                prerequisite_depth=n,
                extra=ctx.gainers,
                deadline=deadline,
            )
        return select_candidates(
            ctx,
            n_candidates=self.n_candidates,
            n_per_level=self.n_per_level,
            n_suppliers=self.n_suppliers,
            prerequisite_depth=self.prerequisite_depth,
            extra=extra,
        )
