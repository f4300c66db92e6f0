"""The exact planner: a mixed-integer program over the candidates, solved by HiGHS.

The model (``scipy.optimize.milp``):

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
if some chosen items can never become ready, a cut that removes no valid plan is added
(see :mod:`recommender.planner.cycles`) and the model re-solved, so the loop ends on a plan
that can be sequenced. That plan is then optimal for the true problem over the candidates,
since it is optimal for a relaxation of it.
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from recommender.context import RequestContext
from recommender.gain import EPS
from recommender.planner.candidates import Problem
from recommender.planner.cycles import Cycles
from recommender.sequence import order_rows
from recommender.types import MAX_LEVEL

# HiGHS's primal heuristics (feasibility jump, RENS/RINS sub-MIPs, ...) hunt for feasible
# points, but "choose nothing" is always feasible here and the models are small: on typical
# requests they cost more than the whole branch and bound, so they are switched off. These
# models are settled at the root (0-1 nodes), where HiGHS spends its time separating cuts;
# keeping its cut pool small (10 cuts, not 10,000) took a tenth off the CPU time of 90 models
# of the 100k benchmark, with the same status and optimum for every one. Presolve finds
# little to remove in models this small and costs more than it saves: without it the
# pool and relaxation models of 60 requests of the 100k benchmark solved in a fifth less
# time, p50 and mean alike, with the same optimum for every pool model and the same verdict
# (no plan beats the one in hand, or this one does) for every relaxation.
_HIGHS_TUNING = {
    "presolve": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_pool_soft_limit": 10,
}

#: Objective units per unit of weight: coverage differences below 1e-6 weight count as ties,
#: which is what lets the hours tie-break stay below one unit (see :class:`MilpModel`).
UNITS_PER_WEIGHT = 1e6


def solve(
    ctx: RequestContext,
    problem: Problem,
    *,
    time_limit: float,
    mip_rel_gap: float,
    started: float,
    cycles: Cycles | None = None,
    beat: float | None = None,
) -> tuple[list[int] | None, bool]:
    """Solve the MILP, adding cycle cuts until the solution can be ordered.

    Parameters
    ----------
    ctx : RequestContext
    problem : Problem
        The candidates and their prerequisite groups.
    time_limit : float
        Seconds allowed since ``started``, all re-solves included.
    mip_rel_gap : float
        HiGHS relative optimality gap.
    started : float
        ``time.perf_counter()`` when planning began.
    cycles : Cycles, optional
        The cycles one request's earlier solves found: they are cut from the start, and
        those this solve finds are added to them.
    beat : float, optional
        The weighted gap a valid plan in hand closes. HiGHS is told to look only for plans
        closing more (its ``objective_bound``), so it prunes every branch that cannot.

    Returns
    -------
    chosen : list of int or None
        Item rows, or None when HiGHS found no usable solution in time, or, with ``beat``,
        proved that no plan over the candidates closes more than it.
    optimal : bool
        Whether ``chosen`` is proven optimal over the candidates; with ``beat`` and no
        ``chosen``, whether HiGHS proved that nothing closes more than ``beat``.
    """
    rows = problem.rows
    n = rows.size
    model = MilpModel(ctx, problem)
    cycles = Cycles() if cycles is None else cycles
    cuts = cycles.cuts(problem)
    options = {"mip_rel_gap": mip_rel_gap}
    if beat is not None:
        options["objective_bound"] = beaten(beat)
    while True:
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0:
            return None, False
        res = call_milp(
            model.c,
            integrality=model.integrality,
            bounds=Bounds(0, model.upper),
            constraints=model.constraints(cuts),
            options={**options, "time_limit": remaining},
        )
        if beat is not None and res.status == 2:
            # Infeasible under the objective bound: no plan here closes more than ``beat``.
            return None, True
        if res.x is None:
            return None, False
        chosen = rows[np.flatnonzero(res.x[:n] > 0.5)].tolist()
        if not ctx.fits([], chosen):  # HiGHS's tolerances let a limit slip by a hair
            return None, False
        ordering = order_rows(ctx.index, chosen, ctx.levels, ctx.completed)
        if not ordering.stuck:
            return chosen, res.status == 0
        cuts.append(cycles.add(problem, ordering, ctx.levels).cut(problem))


def beaten(closed: float) -> float:
    """Return the objective a plan must get below to close more weight than ``closed``.

    A plan closing 1e-6 more has an objective at least half a unit below it: the hours
    tie-break stays under half a unit, so no such plan is ever pruned by it.
    """
    return -closed * UNITS_PER_WEIGHT - 0.5


def solve_together(
    blocks: Sequence[tuple[RequestContext, Problem]],
    *,
    time_limit: float,
    mip_rel_gap: float,
    started: float,
) -> list[list[int]] | None:
    """Solve several problems' models as one program, without cycle cuts, and split the answers.

    Parameters
    ----------
    blocks : sequence of (RequestContext, Problem)
        Each problem with at least one candidate.
    time_limit : float
        Seconds allowed since ``started`` (at least a millisecond is always given).
    mip_rel_gap : float
        HiGHS relative optimality gap, of the whole program's objective.
    started : float
        ``time.perf_counter()`` when planning began.

    Returns
    -------
    answers : list of (list of int) or None
        One per block, in order: the item rows of its optimum, which the caller checks
        (they may not fit by a hair or not be orderable, as before a cycle cut). None when
        HiGHS proves no optimum in time.
    """
    if not blocks:
        return []
    # The models are blocks that share no variable and no constraint, so minimising the sum
    # of their objectives minimises each: every block's answer is an optimum of its own
    # model, as :func:`solve` would find before any cut. One HiGHS call instead of one per
    # problem saves the per-call set-up, most of a small model's time.
    models = [MilpModel(ctx, problem) for ctx, problem in blocks]
    # The blocks' rows laid along the diagonal: each block's rows and columns shifted past
    # the blocks before it, and one matrix built from all of them.
    parts = [model.entries([]) for model in models]
    row_at = np.cumsum([0] + [ub.size for *_, ub in parts])[:-1]
    column_at = np.cumsum([0] + [model.c.size for model in models])
    shifted = [
        (row + dr, column + dc, value, ub)
        for (row, column, value, ub), dr, dc in zip(parts, row_at, column_at[:-1], strict=True)
    ]
    row, column, value, ub = (np.concatenate(part) for part in zip(*shifted, strict=True))
    res = call_milp(
        np.concatenate([model.c for model in models]),
        integrality=np.concatenate([model.integrality for model in models]),
        bounds=Bounds(0, np.concatenate([model.upper for model in models])),
        constraints=_constraint(row, column, value, ub, int(column_at[-1])),
        options={
            "time_limit": max(time_limit - (time.perf_counter() - started), 1e-3),
            "mip_rel_gap": mip_rel_gap,
        },
    )
    if res.x is None or res.status != 0:
        return None
    answers = []
    at = 0
    for (_, problem), model in zip(blocks, models, strict=True):
        rows = problem.rows
        answers.append(rows[np.flatnonzero(res.x[at : at + rows.size] > 0.5)].tolist())
        at += model.c.size
    return answers


def call_milp(c, *, options, **kwargs):
    """Call ``scipy.optimize.milp`` with the HiGHS tuning this scipy accepts.

    ``options`` are HiGHS's for this call (time limit, gap, objective bound); the tuning
    every model of the planner shares is added to them.
    """
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


class MilpModel:
    """The MILP arrays of one problem: objective, bounds and constraint rows.

    Variables are the candidates' ``x`` (binary), then the ``y`` (continuous in [0, 1]) of
    each reachable (skill, level) step. Ties in coverage go to the plan with fewer hours:
    each hour costs ``0.5 / (1 + total candidate hours)`` of an objective unit, one unit
    being 1e-6 of weight (:data:`UNITS_PER_WEIGHT`), so the hours of any plan cost less
    than half a unit and the tie-break can never outweigh a real difference in coverage.
    The exact planner solves it over the candidates; :mod:`recommender.planner.bound`
    solves it over a relaxation of the whole catalog.

    Parameters
    ----------
    ctx : RequestContext
    problem : Problem
        The candidates (``rows``, n of them) and their prerequisite groups.

    Attributes
    ----------
    c : ndarray of float, shape (n + n_y,)
        The objective, minimised: hours of each ``x``, minus the weight of each ``y``.
    integrality : ndarray of float, shape (n + n_y,)
        1 for each ``x``, 0 for each ``y``.
    upper : ndarray of float, shape (n + n_y,)
        Upper bounds (all 1; lower bounds are 0).
    """

    def __init__(self, ctx: RequestContext, problem: Problem):
        index, gaps, constraints = ctx.index, ctx.gaps, ctx.constraints
        rows = problem.rows
        n = rows.size
        # Entries of candidates on gap skills, with the level they reach (capped at required).
        keep = ctx.entries_of(rows)
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
                -gaps.weight[y_gap] * (y_level - below) * UNITS_PER_WEIGHT,
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

    def entries(self, cuts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Return every constraint row, the cycle cuts found so far included, as entries.

        Returns
        -------
        row, column, value : ndarray
            The matrix's entries.
        ub : ndarray of float
            Each row's upper bound (every row is ``A x <= ub``).
        """
        r, c, v, ub = self._base
        extra_r, extra_c, extra_v, extra_ub = [r], [c], [v], [ub]
        n_rows = self._n_rows
        for inside, outside in cuts:
            extra_r.append(np.full(inside.size + outside.size, n_rows))
            extra_c.append(np.concatenate([inside, outside]))
            extra_v.append(np.concatenate([np.ones(inside.size), -np.ones(outside.size)]))
            extra_ub.append(np.array([inside.size - 1.0]))
            n_rows += 1
        return (
            np.concatenate(extra_r),
            np.concatenate(extra_c),
            np.concatenate(extra_v),
            np.concatenate(extra_ub),
        )

    def constraints(self, cuts) -> LinearConstraint:
        """Return all constraint rows, the cycle cuts found so far included."""
        return _constraint(*self.entries(cuts), self.c.size)


def _constraint(row, column, value, ub, n_columns: int) -> LinearConstraint:
    """Return the rows ``A x <= ub`` of the entries given, as HiGHS takes them.

    ``scipy.optimize.milp`` hands HiGHS a CSC matrix: built as one, it is not converted again.
    """
    matrix = sparse.csc_array((value, (row, column)), shape=(ub.size, n_columns))
    return LinearConstraint(matrix, -np.inf, ub)
