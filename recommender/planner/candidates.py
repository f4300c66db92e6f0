"""Candidate selection: the few items the exact model chooses among, and what they need.

Candidates are the ``n_candidates`` available items with the highest gain, the
``n_candidates`` with the highest gain per use of the limits (``hours / max_hours +
cost / budget + 1 / max_items``), and the ``n_per_level`` cheapest by that measure
reaching each open level of each gap skill; then, for up to ``prerequisite_depth``
rounds, up to ``n_suppliers`` of the readiest and shortest items supplying each unmet
prerequisite, and every required item. Candidates that another candidate dominates are
dropped (see :func:`_undominated`), which keeps the optimum; so are candidates whose
prerequisites no candidate left can supply, and those that neither narrow a gap nor
supply another candidate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from recommender.context import RequestContext
from recommender.index import gather
from recommender.planner.dominance import undominated
from recommender.types import MAX_LEVEL


@dataclass
class Problem:
    """Candidate items of one request and the prerequisite groups among them.

    A group ``(i, suppliers)`` says: item ``i`` may be chosen only with one of ``suppliers``
    (candidate positions, never ``i`` itself). It stands for one skill prerequisite the
    profile does not meet, or one required item that is not completed; ``group_need`` says
    which: ``("skill", col, level)`` or ``("item", row, 0)``.

    Attributes
    ----------
    rows : ndarray of int64, shape (n_candidates,)
        Sorted candidate rows.
    groups : list of (int, ndarray of int64)
    group_need : list of (str, int, int), one per group
    """

    rows: np.ndarray
    groups: list[tuple[int, np.ndarray]] = field(default_factory=list)
    group_need: list[tuple[str, int, int]] = field(default_factory=list)


def select_candidates(
    ctx: RequestContext,
    *,
    n_candidates: int,
    n_per_level: int,
    n_suppliers: int,
    prerequisite_depth: int,
    extra=(),
    deadline: float = math.inf,
) -> Problem:
    """Pick the candidate items and the prerequisite groups among them.

    Parameters
    ----------
    ctx : RequestContext
    n_candidates, n_per_level, n_suppliers, prerequisite_depth : int
        See :class:`recommender.planner.PathPlanner`.
    extra : sequence of int, optional
        Item rows to take as candidates too (their suppliers are added like the others').
        With every gainer here, ``n_suppliers`` and ``prerequisite_depth`` at least the
        number of items, the candidates hold every item of every valid plan, and the exact
        model's optimum is the optimum over the whole available catalog.
    deadline : float, optional
        ``time.perf_counter()`` past which selection gives up (whole-catalog selections are
        long): :class:`OutOfTime` is raised.

    Returns
    -------
    problem : Problem
    """
    look = _Lookups(ctx, deadline)
    rows, gain = ctx.gainers, ctx.gain
    n = n_candidates
    picked = [
        rows[np.lexsort((rows, -gain))[:n]],
        rows[np.lexsort((rows, -gain / ctx.usage(rows)))[:n]],
        _cheapest_per_level(ctx, n_per_level),
        np.asarray(extra, dtype=np.int64),
    ]
    return problem_over(
        ctx,
        np.concatenate(picked),
        n_suppliers=n_suppliers,
        prerequisite_depth=prerequisite_depth,
        look=look,
    )


def problem_over(
    ctx: RequestContext,
    rows,
    *,
    n_suppliers: int,
    prerequisite_depth: int,
    look: _Lookups | None = None,
) -> Problem:
    """Take some items as candidates, add suppliers of their prerequisites, and group them.

    Parameters
    ----------
    ctx : RequestContext
    rows : sequence of int
        Available item rows to start from.
    n_suppliers, prerequisite_depth : int
        See :class:`recommender.planner.PathPlanner`.
    look : _Lookups, optional
        Lookups already made for this request.

    Returns
    -------
    problem : Problem
    """
    look = look or _Lookups(ctx)
    chosen = set(np.asarray(rows, dtype=np.int64).tolist())
    frontier = sorted(chosen)
    for _ in range(prerequisite_depth):
        added: set[int] = set()
        for row in frontier:
            look.check_time()
            for col, need in look.unmet_prerequisites(row):
                fresh = [r for r in look.suppliers(col, need).tolist() if r not in chosen]
                added.update(fresh[:n_suppliers])
            for required in look.unmet_requirements(row):
                if ctx.availability.mask(np.array([required]))[0]:
                    added.add(required)
        frontier = sorted(added - chosen)
        chosen.update(frontier)
        if not frontier:
            break
    return _groups(look, chosen)


def _cheapest_per_level(ctx: RequestContext, n_per_level: int) -> np.ndarray:
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
        picked |= reaches & (seen - before_group <= n_per_level)
    return np.unique(rows[picked])


def _groups(look: _Lookups, candidates: set[int]) -> Problem:
    """Build prerequisite groups and drop candidates that can never be satisfied or help."""
    alive = _undominated(look, candidates)
    useful = look.ctx.is_gainer
    pool = np.array(sorted(alive), dtype=np.int64)
    in_pool = np.zeros(look.ctx.index.n_items, dtype=bool)
    in_pool[pool] = True
    needs: dict[int, list] = {}
    for row in pool.tolist():
        look.check_time()
        groups = []
        for col, need in look.unmet_prerequisites(row):
            sup = look.suppliers(col, need)
            sup = sup[in_pool[sup] & (sup != row)].tolist()
            groups.append((sup, ("skill", col, need)))
        for required in look.unmet_requirements(row):
            groups.append(([required], ("item", required, 0)))
        needs[row] = groups
    while True:
        look.check_time()
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
    problem = Problem(rows=rows)
    for row in rows.tolist():
        for sup, what in needs[row]:
            problem.groups.append(
                (position[row], np.array([position[r] for r in sup], dtype=np.int64))
            )
            problem.group_need.append(what)
    return problem


def _undominated(look: _Lookups, candidates: set[int]) -> set[int]:
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
    features = np.hstack([levels, -need, -requires.astype(float)])
    kept = undominated(features, index.hours_[rows], index.cost_[rows], rows)
    pinned = np.isin(rows, all_required)
    return set(rows[kept | pinned].tolist())


class OutOfTime(Exception):
    """Candidate selection passed its deadline."""


class _Lookups:
    """Per-item facts candidate selection asks for again and again, kept for one request."""

    def __init__(self, ctx: RequestContext, deadline: float = math.inf):
        self.ctx = ctx
        self.deadline = deadline
        self._suppliers: dict[tuple[int, int], np.ndarray] = {}
        self._unmet: dict[int, list[tuple[int, int]]] = {}

    def check_time(self) -> None:
        """Raise :class:`OutOfTime` past the deadline."""
        if self.deadline < math.inf and time.perf_counter() > self.deadline:
            raise OutOfTime

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
        if not required.size:  # most items require none: skip the array work
            return []
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
