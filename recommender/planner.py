"""Choose the set of items that closes the most weighted gap within the learner's limits."""

from __future__ import annotations

import functools
import time
import warnings
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from recommender.context import RequestContext, request_context
from recommender.gain import EPS, ready_mask
from recommender.index import CatalogIndex, gather
from recommender.params import Interval, Options, check_params
from recommender.sequence import order_rows
from recommender.types import MAX_LEVEL, Constraints, Profile, Target

# HiGHS's primal heuristics (feasibility jump, RENS/RINS sub-MIPs, ...) hunt for feasible
# points, but "choose nothing" is always feasible here and the models are small: on typical
# requests they cost more than the whole branch and bound, so they are switched off.
_HIGHS_TUNING = {
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_root_reduced_cost": False,
}

# Objective units per unit of weight: coverage differences below 1e-6 weight count as ties,
# which is what lets the hours tie-break stay below one unit (see PathPlanner).
_UNITS_PER_WEIGHT = 1e6


@dataclass(frozen=True, slots=True)
class Plan:
    """The chosen items, in an order where every prerequisite comes first.

    ``planner`` is ``"milp"``, ``"greedy"`` or ``"none"`` (nothing to plan: no gap, or no
    available item narrows it); ``optimal`` is True when the answer is proven optimal over
    the candidate items (always for ``"none"``). ``closed`` is the weighted gap closed,
    levels counted once; ``weighted_gap`` is ``G`` before the plan.
    """

    items: list[str]
    planner: str
    optimal: bool
    closed: float
    weighted_gap: float
    total_hours: float
    total_cost: float
    n_candidates: int = 0


@dataclass
class _Problem:
    """Candidate items of one request and the prerequisite groups among them.

    A group ``(i, suppliers)`` says: item ``i`` may be chosen only with one of ``suppliers``
    (candidate positions, never ``i`` itself). It stands for one skill prerequisite the
    profile does not meet, or one required item that is not completed.
    """

    rows: np.ndarray
    groups: list[tuple[int, np.ndarray]] = field(default_factory=list)
    group_need: list[tuple[str, int, int]] = field(default_factory=list)


class PathPlanner(BaseEstimator):
    """Choose items maximising the weighted gap closed, subject to the constraints.

    The exact model is a mixed-integer program solved by HiGHS (``scipy.optimize.milp``) over
    a bounded set of candidate items:

    - binary ``x_i`` per candidate; continuous ``y[s, l]`` in [0, 1] per open gap skill ``s``
      and level ``l`` in ``(cur[s], req[s]]``, with ``y[s, l] <= sum x_i`` over candidates
      teaching ``s`` to at least ``l``; the objective ``max sum w[s] * y[s, l]`` counts each
      level once, whatever number of items teach it (consecutive levels reached by the same
      candidates share one ``y``, weighted by the number of levels);
    - ``sum hours * x <= max_hours``, ``sum cost * x <= budget``, ``sum x <= max_items``;
    - for every skill prerequisite ``(s, p)`` of candidate ``i`` the profile does not meet,
      ``x_i <= sum x_j`` over the other candidates teaching ``s`` to at least ``p``, and for
      every required item ``j`` not completed, ``x_i <= x_j``. Prerequisites on skills
      outside the target are handled the same way, straight on ``x``.

    Those constraints allow cycles (A teaches what B needs and B what A needs), which no
    order can satisfy. Rather than restrict who may supply whom up front, which would cut
    off valid plans, each solution is checked with :func:`recommender.sequence.order_rows`;
    if some chosen items ``C`` can never become ready, the cut
    ``sum_{i in C} x_i - sum_{j in U} x_j <= |C| - 1`` is added and the model re-solved,
    where ``U`` holds the candidates outside ``C`` that supply a prerequisite of ``C`` the
    orderable part left unmet. Any orderable set containing ``C`` holds one of ``U`` (the
    first item of ``C`` in its order gets its prerequisites from outside ``C``), so the cut
    removes no valid plan, and the loop ends on a plan that can be sequenced. It is then
    optimal for the true problem over the candidates, since it is optimal for a relaxation.

    Ties in coverage go to the plan with fewer hours: each hour costs
    ``0.5 / (1 + total candidate hours)`` of an objective unit, one unit being 1e-6 of
    weight, so the tie-break can never outweigh a real difference in coverage.

    Candidates are the ``n_candidates`` available items with the highest gain, the
    ``n_candidates`` with the highest gain per use of the limits (``hours / max_hours +
    cost / budget + 1 / max_items``), and the ``n_per_level`` cheapest by that measure
    reaching each open level of each gap skill; then, for up to ``prerequisite_depth``
    rounds, up to ``n_suppliers`` of the readiest and shortest items supplying each unmet
    prerequisite, and every required item. Candidates that another candidate dominates are
    dropped (see ``_undominated``), which keeps the optimum. If HiGHS finds no plan within
    ``time_limit`` seconds, a greedy gain-per-hour heuristic answers instead. Finally any
    available item that still fits and still helps is added (reported as not optimal,
    since the candidates missed it).

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
            return Plan([], "none", True, 0.0, ctx.weighted_gap, 0.0, 0.0)

        problem = self._candidates(ctx)
        chosen, planner, optimal = [], "none", True
        if problem.rows.size:
            chosen, planner, optimal = None, "greedy", False
            if self.solver == "milp":
                chosen, optimal = self._solve(ctx, problem, started)
                planner = "milp"
            if not optimal:  # the greedy solver, or HiGHS without a proof in time
                greedy = self._greedy(ctx, problem)
                if chosen is None or ctx.closed(greedy) > ctx.closed(chosen) + EPS:
                    chosen, planner = greedy, "greedy"
        improved = self._augment(ctx, chosen)
        changed = sorted(improved) != sorted(chosen)
        if changed and planner == "none":
            planner = "greedy"
        chosen = improved
        ordering = order_rows(ctx.index, chosen, ctx.levels, ctx.completed)
        assert not ordering.stuck, "planned items must be orderable"
        index = ctx.index
        return Plan(
            items=[str(index.item_ids_[r]) for r in ordering.order],
            planner=planner,
            optimal=optimal and not changed,
            closed=ctx.closed(chosen),
            weighted_gap=ctx.weighted_gap,
            total_hours=float(index.hours_[chosen].sum()),
            total_cost=float(index.cost_[chosen].sum()),
            n_candidates=len(problem.rows),
        )

    def _candidates(self, ctx: RequestContext) -> _Problem:
        """Pick the candidate items and the prerequisite groups among them."""
        look = _Lookups(ctx)
        rows, gain = ctx.gainers, ctx.gain
        n = self.n_candidates
        picked = [
            rows[np.lexsort((rows, -gain))[:n]],
            rows[np.lexsort((rows, -gain / ctx.usage(rows)))[:n]],
            self._cheapest_per_level(ctx),
        ]
        chosen = set(np.concatenate(picked).tolist())
        frontier = sorted(chosen)
        for _ in range(self.prerequisite_depth):
            added: set[int] = set()
            for row in frontier:
                for col, need in look.unmet_prerequisites(row):
                    fresh = [r for r in look.suppliers(col, need).tolist() if r not in chosen]
                    added.update(fresh[: self.n_suppliers])
                for required in look.unmet_requirements(row):
                    if ctx.availability.mask(np.array([required]))[0]:
                        added.add(required)
            frontier = sorted(added - chosen)
            chosen.update(frontier)
            if not frontier:
                break
        return self._groups(look, chosen)

    def _cheapest_per_level(self, ctx: RequestContext) -> np.ndarray:
        """Return, per gap skill and level, the ``n_per_level`` cheapest items reaching it."""
        gaps = ctx.gaps
        keep = ctx.is_gainer[gaps.entry_rows] & (gaps.entry_level > gaps.current[gaps.entry_gap])
        rows = gaps.entry_rows[keep].astype(np.int64)
        gap, level = gaps.entry_gap[keep], gaps.entry_level[keep]
        order = np.lexsort((rows, ctx.index.hours_[rows], ctx.usage(rows), gap))
        rows, gap, level = rows[order], gap[order], level[order]
        starts = np.r_[True, gap[1:] != gap[:-1]]
        picked = np.zeros(rows.size, dtype=bool)
        for threshold in range(1, MAX_LEVEL + 1):
            # Rank among this skill's entries reaching the threshold, in order of usage.
            reaches = level >= threshold
            seen = np.cumsum(reaches)
            before_group = np.maximum.accumulate(np.where(starts, seen - reaches, 0))
            picked |= reaches & (seen - before_group <= self.n_per_level)
        return np.unique(rows[picked])

    def _groups(self, look: _Lookups, candidates: set[int]) -> _Problem:
        """Build prerequisite groups and drop candidates that can never be satisfied or help."""
        alive = self._undominated(look, candidates)
        useful = look.ctx.is_gainer
        pool = np.array(sorted(alive), dtype=np.int64)
        in_pool = np.zeros(look.ctx.index.n_items, dtype=bool)
        in_pool[pool] = True
        needs: dict[int, list] = {}
        for row in pool.tolist():
            groups = []
            for col, need in look.unmet_prerequisites(row):
                sup = look.suppliers(col, need)
                sup = sup[in_pool[sup] & (sup != row)].tolist()
                groups.append((sup, ("skill", col, need)))
            for required in look.unmet_requirements(row):
                groups.append(([required], ("item", required, 0)))
            needs[row] = groups
        while True:
            needs = {
                row: [([r for r in sup if r in alive], what) for sup, what in groups]
                for row, groups in needs.items()
                if row in alive
            }
            supplying = {r for groups in needs.values() for sup, _ in groups for r in sup}
            dead = {
                row
                for row, groups in needs.items()
                if any(not sup for sup, _ in groups) or not (useful[row] or row in supplying)
            }
            if not dead:
                break
            alive -= dead
        rows = np.array(sorted(alive), dtype=np.int64)
        position = {r: i for i, r in enumerate(rows.tolist())}
        problem = _Problem(rows=rows)
        for row in rows.tolist():
            for sup, what in needs[row]:
                problem.groups.append(
                    (position[row], np.array([position[r] for r in sup], dtype=np.int64))
                )
                problem.group_need.append(what)
        return problem

    def _undominated(self, look: _Lookups, candidates: set[int]) -> set[int]:
        """Drop candidates that another candidate beats on every count.

        Item ``i`` dominates ``j`` when it teaches every relevant skill at least as high
        (gap skills capped at the required level, and every skill some candidate needs),
        takes no more hours, costs no more, needs no more (each unmet prerequisite of ``i``
        is also one of ``j`` at the same or a higher level, each required item of ``i`` is
        also required by ``j``), and is strictly better somewhere or has the smaller id.
        Putting ``i`` in ``j``'s place in any plan (and dropping ``j`` if ``i`` was already
        in it) keeps the plan orderable and within limits and closes as much, so the optimum
        over the remaining candidates is the optimum over all of them. Items that another
        candidate requires by id are kept.
        """
        index, gaps = look.ctx.index, look.ctx.gaps
        rows = np.array(sorted(candidates), dtype=np.int64)
        needs = {r: look.unmet_prerequisites(r) for r in rows.tolist()}
        required = {r: look.unmet_requirements(r) for r in rows.tolist()}
        need_cols = sorted({col for ns in needs.values() for col, _ in ns})
        cols = np.concatenate([gaps.cols, np.setdiff1d(need_cols, gaps.cols)]).astype(np.int64)
        lookup = {c: k for k, c in enumerate(cols.tolist())}
        # Levels taught on the relevant columns, and levels needed on them.
        taught_cols, which, taught = gather(index.taught_, rows)
        keep = np.isin(taught_cols, cols)
        levels = np.zeros((rows.size, cols.size))
        levels[which[keep], [lookup[c] for c in taught_cols[keep].tolist()]] = taught[keep]
        gap_only = np.flatnonzero(~np.isin(gaps.cols, need_cols))
        levels[:, gap_only] = np.clip(
            levels[:, gap_only], gaps.current[gap_only], gaps.required[gap_only]
        )
        need = np.zeros((rows.size, cols.size))
        for k, r in enumerate(rows.tolist()):
            for col, level in needs[r]:
                need[k, lookup[col]] = level
        all_required = sorted({q for qs in required.values() for q in qs})
        requires = np.zeros((rows.size, len(all_required)), dtype=bool)
        for k, r in enumerate(rows.tolist()):
            requires[k, np.searchsorted(all_required, required[r])] = True
        # Pairwise comparisons: axis 0 is the dominating item i, axis 1 the dominated j.
        hours = index.hours_[rows][:, None]
        cost = index.cost_[rows][:, None]
        features = np.hstack([levels, -need, -requires.astype(float), -hours, -cost])
        no_worse = (features[:, None, :] >= features[None, :, :]).all(axis=2)
        same = (features[:, None, :] == features[None, :, :]).all(axis=2)
        dominates = no_worse & (~same | (rows[:, None] < rows[None, :]))
        np.fill_diagonal(dominates, False)
        pinned = np.isin(rows, all_required)
        return set(rows[~(dominates.any(axis=0) & ~pinned)].tolist())

    # -- exact model ----------------------------------------------------------------------

    def _solve(self, ctx: RequestContext, problem: _Problem, started: float):
        """Solve the MILP, adding cycle cuts until the solution can be ordered.

        Returns
        -------
        chosen : list of int or None
            Item rows, or None when HiGHS found no usable solution in time.
        optimal : bool
        """
        rows = problem.rows
        n = rows.size
        model = _Model(ctx, problem)
        cuts: list[tuple[np.ndarray, np.ndarray]] = []
        while True:
            remaining = self.time_limit - (time.perf_counter() - started)
            if remaining <= 0:
                return None, False
            res = _milp(
                model.c,
                integrality=model.integrality,
                bounds=Bounds(0, model.upper),
                constraints=model.constraints(cuts),
                options={"time_limit": remaining, "mip_rel_gap": self.mip_rel_gap},
            )
            if res.x is None:
                return None, False
            chosen = rows[np.flatnonzero(res.x[:n] > 0.5)].tolist()
            if not ctx.fits([], chosen):  # HiGHS's tolerances let a limit slip by a hair
                return None, False
            ordering = order_rows(ctx.index, chosen, ctx.levels, ctx.completed)
            if not ordering.stuck:
                return chosen, res.status == 0
            cuts.append(_cycle_cut(problem, ordering, ctx.levels))

    # -- heuristics -----------------------------------------------------------------------

    def _greedy(self, ctx: RequestContext, problem: _Problem) -> list[int]:
        """Add the best gain-per-hour bundle (an item plus ready suppliers) until none fits."""
        index = ctx.index
        rows = problem.rows.tolist()
        groups_of: dict[int, list[np.ndarray]] = {}
        for i, sup in problem.groups:
            groups_of.setdefault(i, []).append(sup)
        chosen: list[int] = []
        taken: set[int] = set()
        while True:
            best = None
            closed = ctx.closed(chosen)
            for i in range(len(rows)):
                if i in taken:
                    continue
                bundle = _bundle(i, groups_of, taken)
                if bundle is None:
                    continue
                bundle_rows = [rows[b] for b in bundle]
                if not ctx.fits(chosen, bundle_rows):
                    continue
                gain = ctx.closed(chosen + bundle_rows) - closed
                if gain <= EPS:
                    continue
                hours = float(index.hours_[bundle_rows].sum())
                key = (-gain / hours, hours, rows[i])
                if best is None or key < best[0]:
                    best = (key, bundle)
            if best is None:
                return chosen
            for b in best[1]:
                taken.add(b)
                chosen.append(rows[b])

    def _augment(self, ctx: RequestContext, chosen: list[int]) -> list[int]:
        """Add any available item (candidate or not) that fits the limits left and helps."""
        chosen = list(chosen)
        while (added := _best_addition(ctx, chosen)) is not None:
            chosen.append(added[0])
        return chosen


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


class _Lookups:
    """Per-item facts candidate selection asks for again and again, kept for one request."""

    def __init__(self, ctx: RequestContext):
        self.ctx = ctx
        self._suppliers: dict[tuple[int, int], np.ndarray] = {}
        self._unmet: dict[int, list[tuple[int, int]]] = {}

    def unmet_prerequisites(self, row: int) -> list[tuple[int, int]]:
        """Return ``(col, level)`` prerequisites of an item that the profile does not meet."""
        if row not in self._unmet:
            prereq = self.ctx.index.prereq_
            start, end = prereq.indptr[row], prereq.indptr[row + 1]
            cols = prereq.indices[start:end]
            need = prereq.data[start:end].astype(np.int64)
            unmet = need > self.ctx.levels[cols]
            self._unmet[row] = list(zip(cols[unmet].tolist(), need[unmet].tolist(), strict=True))
        return self._unmet[row]

    def unmet_requirements(self, row: int) -> list[int]:
        """Return the rows of the items an item requires that are not completed."""
        required = self.ctx.index.required_rows(row)
        return required[~self.ctx.completed[required]].tolist()

    def suppliers(self, col: int, need: int) -> np.ndarray:
        """Return available items teaching ``col`` to ``need``: readiest, shortest, then id."""
        key = (col, need)
        if key not in self._suppliers:
            index, levels = self.ctx.index, self.ctx.levels
            taught = index.taught_csc_
            start, end = taught.indptr[col], taught.indptr[col + 1]
            rows = taught.indices[start:end][taught.data[start:end] >= need].astype(np.int64)
            rows = rows[self.ctx.availability.mask(rows)]
            cols, which, needs = gather(index.prereq_, rows)
            n_unmet = np.bincount(which, weights=needs > levels[cols], minlength=rows.size)
            self._suppliers[key] = rows[np.lexsort((rows, index.hours_[rows], n_unmet))]
        return self._suppliers[key]


def _milp(c, *, options, **kwargs):
    """Call ``scipy.optimize.milp`` with the HiGHS tuning this scipy accepts."""
    with warnings.catch_warnings():
        # milp passes options it does not list to HiGHS verbatim and warns that it does.
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        return milp(c, options={**options, **_highs_tuning()}, **kwargs)


@functools.cache
def _highs_tuning() -> dict:
    """Return :data:`_HIGHS_TUNING`, or nothing if this scipy's HiGHS lacks those options."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
            milp([1.0], integrality=[1], bounds=Bounds(0, 1), options=_HIGHS_TUNING)
    except (AttributeError, TypeError, ValueError):
        return {}
    return _HIGHS_TUNING


class _Model:
    """The MILP arrays of one problem (see :class:`PathPlanner`)."""

    def __init__(self, ctx: RequestContext, problem: _Problem):
        index, gaps, constraints = ctx.index, ctx.gaps, ctx.constraints
        rows = problem.rows
        n = rows.size
        # Entries of candidates on gap skills, with the level they reach (capped at required).
        keep = np.isin(gaps.entry_rows, rows)
        item = np.searchsorted(rows, gaps.entry_rows[keep])
        g = gaps.entry_gap[keep]
        level = gaps.entry_level[keep]
        up = level > gaps.current[g]
        item, g, level = item[up], g[up], level[up]
        # Only the levels some candidate reaches matter, and levels between two of them are
        # reached by the same items: one y per (skill, reachable level) stands for the whole
        # step from the next lower reachable level (or the current one), weighted by its size.
        # Merging those identical y columns makes the model markedly faster to solve.
        key = g * (MAX_LEVEL + 1) + level
        thresholds = np.unique(key)
        y_gap, y_level = np.divmod(thresholds, MAX_LEVEL + 1)
        below = np.where(
            np.r_[True, y_gap[1:] != y_gap[:-1]], gaps.current[y_gap], np.r_[0, y_level[:-1]]
        )
        n_y = thresholds.size
        # Each entry reaches every threshold of its skill up to its own level.
        first = np.searchsorted(thresholds, g * (MAX_LEVEL + 1))
        last = np.searchsorted(thresholds, key, side="right")
        covered = last - first
        within = np.arange(int(covered.sum())) - np.repeat(np.cumsum(covered) - covered, covered)
        y_of = np.repeat(first, covered) + within
        x_of = np.repeat(item, covered)
        hours = index.hours_[rows]
        self.c = np.concatenate(
            [
                hours * 0.5 / (1.0 + hours.sum()),
                -gaps.weight[y_gap] * (y_level - below) * _UNITS_PER_WEIGHT,
            ]
        )
        self.integrality = np.concatenate([np.ones(n), np.zeros(n_y)])
        self.upper = np.ones(n + n_y)
        # y[s, l] - sum x_i <= 0
        r = [np.arange(n_y), y_of]
        c = [n + np.arange(n_y), x_of]
        v = [np.ones(n_y), -np.ones(y_of.size)]
        ub = [np.zeros(n_y)]
        n_rows = n_y
        for i, sup in problem.groups:
            r += [np.full(1 + sup.size, n_rows)]
            c += [np.concatenate([[i], sup])]
            v += [np.concatenate([[1.0], -np.ones(sup.size)])]
            ub += [np.zeros(1)]
            n_rows += 1
        for values, limit in (
            (hours, constraints.max_hours),
            (index.cost_[rows], constraints.budget),
            (np.ones(n), constraints.max_items),
        ):
            if limit is not None:
                r.append(np.full(n, n_rows))
                c.append(np.arange(n))
                v.append(values.astype(float))
                ub.append(np.array([float(limit) + EPS]))
                n_rows += 1
        self._base = (np.concatenate(r), np.concatenate(c), np.concatenate(v), np.concatenate(ub))
        self._n_rows = n_rows

    def constraints(self, cuts) -> LinearConstraint:
        """Return all constraint rows, the cycle cuts found so far included."""
        r, c, v, ub = self._base
        extra_r, extra_c, extra_v, extra_ub = [r], [c], [v], [ub]
        n_rows = self._n_rows
        for inside, outside in cuts:
            extra_r.append(np.full(inside.size + outside.size, n_rows))
            extra_c.append(np.concatenate([inside, outside]))
            extra_v.append(np.concatenate([np.ones(inside.size), -np.ones(outside.size)]))
            extra_ub.append(np.array([inside.size - 1.0]))
            n_rows += 1
        matrix = sparse.csr_matrix(
            (np.concatenate(extra_v), (np.concatenate(extra_r), np.concatenate(extra_c))),
            shape=(n_rows, self.c.size),
        )
        return LinearConstraint(matrix, -np.inf, np.concatenate(extra_ub))


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


def _cycle_cut(problem: _Problem, ordering, levels) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(C, U)`` of the cut ``sum_C x - sum_U x <= |C| - 1`` (see PathPlanner)."""
    position = {r: i for i, r in enumerate(problem.rows.tolist())}
    stuck = {position[r] for r in ordering.stuck}
    placed = {position[r] for r in ordering.order}
    outside: set[int] = set()
    for (i, sup), (kind, key, need) in zip(problem.groups, problem.group_need, strict=True):
        if i not in stuck:
            continue
        if kind == "skill":
            met = max(int(levels[key]), ordering.levels.get(key, 0)) >= need
        else:
            met = position.get(key) in placed
        if not met:
            outside.update(j for j in sup.tolist() if j not in stuck)
    return np.array(sorted(stuck), dtype=np.int64), np.array(sorted(outside), dtype=np.int64)
