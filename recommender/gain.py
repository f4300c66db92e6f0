"""Per-request vectors shared by the ranker and the planner: open gaps, item gains, filters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.gap import GapVector
from recommender.index import CatalogIndex, gather
from recommender.types import Constraints, Profile

# Float slack when comparing hours and money with limits.
EPS = 1e-9


@dataclass(frozen=True)
class OpenGaps:
    """The open gaps of a target that the index has columns for, and who teaches them.

    Attributes
    ----------
    vector : GapVector
        The whole target.
    positions : ndarray of int64, shape (k,)
        Positions in ``vector`` of open gaps on skills the index knows.
    cols : ndarray of int64, shape (k,)
        Their index columns.
    current, required : ndarray of int64, shape (k,)
    weight : ndarray of float64, shape (k,)
    entry_rows : ndarray of int32, shape (nnz,)
        Item row of every taught level on these columns.
    entry_gap : ndarray of int64, shape (nnz,)
        Position in ``cols`` of each entry.
    entry_level : ndarray of int64, shape (nnz,)
        Level taught, capped at the required level.
    entry_taught : ndarray of int64, shape (nnz,)
        Level taught.
    """

    vector: GapVector
    positions: np.ndarray
    cols: np.ndarray
    current: np.ndarray
    required: np.ndarray
    weight: np.ndarray
    entry_rows: np.ndarray
    entry_gap: np.ndarray
    entry_level: np.ndarray
    entry_taught: np.ndarray

    @classmethod
    def build(cls, index: CatalogIndex, vector: GapVector) -> OpenGaps:
        """Select the open gaps the index knows and gather who teaches them."""
        open_ = np.flatnonzero(vector.gap > 0)
        found = [(p, index.skill_index_.get(vector.skills[p])) for p in open_.tolist()]
        found = [(p, c) for p, c in found if c is not None]
        positions = np.array([p for p, _ in found], dtype=np.int64)
        cols = np.array([c for _, c in found], dtype=np.int64)
        rows, which, levels = gather(index.taught_csc_, cols)
        required = vector.required[positions]
        taught = levels.astype(np.int64)
        return cls(
            vector=vector,
            positions=positions,
            cols=cols,
            current=vector.current[positions],
            required=required,
            weight=vector.weight[positions],
            entry_rows=rows,
            entry_gap=which,
            entry_level=np.minimum(taught, required[which]),
            entry_taught=taught,
        )

    def gains(self, reached: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return the items that raise some open gap above ``reached`` and their gain.

        Parameters
        ----------
        reached : ndarray of int64, shape (k,), optional
            Levels already reached on the gap skills; the profile's levels by default.

        Returns
        -------
        rows : ndarray of int64, shape (n_gainers,)
            Sorted item rows with positive gain.
        gain : ndarray of float64, shape (n_gainers,)
            ``u_i = sum_s w[s] * max(0, min(T[i, s], req[s]) - reached[s])``.
        """
        reached = self.current if reached is None else reached
        step = self.entry_level - reached[self.entry_gap]
        up = step > 0
        rows, inverse = np.unique(self.entry_rows[up], return_inverse=True)
        weighted = self.weight[self.entry_gap[up]] * step[up]
        return rows.astype(np.int64), np.bincount(inverse, weights=weighted, minlength=rows.size)


class Availability:
    """Which items one request may use: the availability rules, evaluated on demand.

    Rules: ``active``, ``not_completed``, ``modality``, ``language``, ``kind``, ``hours``
    (fits ``max_hours`` alone), ``budget`` (fits ``budget`` alone) and ``requires`` (every
    required item the catalog lacks was completed). Filters set to None always pass.

    Every rule is an array lookup per row (the filters through a mask over their
    vocabulary codes), so the many small calls of candidate selection stay cheap.

    Parameters
    ----------
    index : CatalogIndex
    profile : Profile
    constraints : Constraints
    completed : ndarray of bool, shape (n_items,)
        Which rows the profile completed.
    """

    def __init__(
        self,
        index: CatalogIndex,
        profile: Profile,
        constraints: Constraints,
        completed: np.ndarray,
    ):
        c = constraints
        self.index = index
        self.constraints = c
        self.completed = completed
        self.filters = []
        for name, allowed, codes, vocabulary in (
            ("modality", c.modalities, index.modality_, index.modalities_),
            ("language", c.languages, index.language_, index.languages_),
            ("kind", c.kinds, index.kind_, index.kinds_),
        ):
            if allowed is not None:
                passes = np.zeros(len(vocabulary), dtype=bool)
                passes[index.codes_of(vocabulary, allowed)] = True
                self.filters.append((name, codes, passes))
        unavailable = [
            r for r, ids in index.requires_missing_.items() if not set(ids) <= profile.completed
        ]
        self.unavailable = None
        if unavailable:
            self.unavailable = np.zeros(len(completed), dtype=bool)
            self.unavailable[unavailable] = True

    def checks(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Evaluate each rule on some items.

        Returns
        -------
        checks : dict of str to ndarray of bool, each shape (n_rows,)
        """
        index, c = self.index, self.constraints
        checks = {"active": index.active_[rows], "not_completed": ~self.completed[rows]}
        for name, codes, passes in self.filters:
            checks[name] = passes[codes[rows]]
        if c.max_hours is not None:
            checks["hours"] = index.hours_[rows] <= c.max_hours + EPS
        if c.budget is not None:
            checks["budget"] = index.cost_[rows] <= c.budget + EPS
        if self.unavailable is not None:
            checks["requires"] = ~self.unavailable[rows]
        return checks

    def mask(self, rows: np.ndarray) -> np.ndarray:
        """Return which items pass every rule, shape (n_rows,)."""
        ok = np.ones(len(rows), dtype=bool)
        for passed in self.checks(rows).values():
            ok &= passed
        return ok


def ready_mask(
    index: CatalogIndex, rows: np.ndarray, levels: np.ndarray, done: np.ndarray
) -> np.ndarray:
    """Tell which items have every prerequisite met by ``levels`` and required item ``done``.

    Parameters
    ----------
    index : CatalogIndex
    rows : ndarray of int, shape (n_rows,)
    levels : ndarray of int, shape (n_skills,)
        Skill levels reached so far.
    done : ndarray of bool, shape (n_items,)
        Which items are completed or already planned.

    Returns
    -------
    ready : ndarray of bool, shape (n_rows,)
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols, which, need = gather(index.prereq_, rows)
    unmet = np.bincount(which, weights=need > levels[cols], minlength=rows.size)
    required, which, _ = gather(index.requires_, rows)
    missing = np.bincount(which, weights=~done[required], minlength=rows.size)
    return (unmet == 0) & (missing == 0)
