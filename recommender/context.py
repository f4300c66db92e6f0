"""One request's context: what a profile, a target and constraints mean on one catalog.

A learning path needs the gap vector, the open gaps and who teaches them, the profile's
levels and completed items as arrays, the availability rules and the limits in the planner,
in the step explanations and in the reasons for unmet gaps; the ranker needs most of them
too. :meth:`RequestContext.build` computes them once and every stage reads the same object.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.gain import EPS, Availability, OpenGaps
from recommender.gap import GapVector
from recommender.index import CatalogIndex
from recommender.types import Constraints, Profile, Target


@dataclass(frozen=True, eq=False)
class RequestContext:
    """Per-request arrays, built once by :meth:`build` and only read afterwards.

    Attributes
    ----------
    index : CatalogIndex
    profile : Profile
    target : Target
    constraints : Constraints
        The limits and filters in force; ``None`` given to :meth:`build` reads as
        ``Constraints(max_hours=None, max_items=None)``, no limit and no filter.
    vector : GapVector
        The target aligned with the profile's levels.
    gaps : OpenGaps
        Its open gaps on skills the index knows, and the items teaching them.
    levels : ndarray of int8, shape (n_skills,)
        The profile's levels on the index columns.
    completed_rows : ndarray of int64, shape (n_completed,)
        Sorted rows of the completed items the catalog holds.
    completed : ndarray of bool, shape (n_items,)
        True on ``completed_rows``: a constant-time "is it completed" per row.
    availability : Availability
        The rules deciding which items this request may use.
    gainers : ndarray of int64, shape (n_gainers,)
        Sorted rows of the available items with positive gain.
    gain : ndarray of float64, shape (n_gainers,)
        Their gain ``u_i`` (DESIGN.md) from the profile's levels.
    is_gainer : ndarray of bool, shape (n_items,)
        True on ``gainers``.
    max_hours, budget, max_items : float
        The limits, ``inf`` where there is none.
    """

    index: CatalogIndex
    profile: Profile
    target: Target
    constraints: Constraints
    vector: GapVector
    gaps: OpenGaps
    levels: np.ndarray
    completed_rows: np.ndarray
    completed: np.ndarray
    availability: Availability
    gainers: np.ndarray
    gain: np.ndarray
    is_gainer: np.ndarray
    max_hours: float
    budget: float
    max_items: float

    @classmethod
    def build(
        cls,
        index: CatalogIndex,
        profile: Profile,
        target: Target,
        constraints: Constraints | None = None,
    ) -> RequestContext:
        """Compute what one request needs from its inputs.

        Parameters
        ----------
        index : CatalogIndex
            A fitted index.
        profile : Profile
        target : Target
        constraints : Constraints, optional
            None means no limit and no filter (callers that default to ``Constraints()``
            pass it explicitly).

        Returns
        -------
        context : RequestContext
        """
        c = constraints or Constraints(max_hours=None, max_items=None)
        vector = GapVector.build(profile, target)
        gaps = OpenGaps.build(index, vector)
        completed_rows = index.rows_of(profile.completed)
        completed = np.zeros(index.n_items, dtype=bool)
        completed[completed_rows] = True
        availability = Availability(index, profile, c, completed)
        gainers, gain = gaps.gains()
        keep = availability.mask(gainers)
        gainers, gain = gainers[keep], gain[keep]
        is_gainer = np.zeros(index.n_items, dtype=bool)
        is_gainer[gainers] = True
        return cls(
            index=index,
            profile=profile,
            target=target,
            constraints=c,
            vector=vector,
            gaps=gaps,
            levels=index.level_vector(profile.levels),
            completed_rows=completed_rows,
            completed=completed,
            availability=availability,
            gainers=gainers,
            gain=gain,
            is_gainer=is_gainer,
            max_hours=np.inf if c.max_hours is None else c.max_hours,
            budget=np.inf if c.budget is None else c.budget,
            max_items=np.inf if c.max_items is None else c.max_items,
        )

    @property
    def weighted_gap(self) -> float:
        """``G``, the weighted gap before any item."""
        return self.vector.weighted_gap

    def usage(self, rows: np.ndarray) -> np.ndarray:
        """Return the share of the limits each item uses: hours, budget and one item slot.

        Without max_hours, hours count as a share of 40 so that time always weighs.

        Returns
        -------
        usage : ndarray of float64, shape (n_rows,)
        """
        index, c = self.index, self.constraints
        usage = index.hours_[rows] / (c.max_hours or 40.0)
        if c.budget:
            usage = usage + index.cost_[rows] / c.budget
        if c.max_items:
            usage = usage + 1.0 / c.max_items
        return usage

    def reached(self, chosen) -> np.ndarray:
        """Return the levels on the open gap skills after ``chosen``, capped at required.

        Returns
        -------
        reached : ndarray of int64, shape (k,)
            Aligned with ``gaps.cols``.
        """
        gaps = self.gaps
        reached = gaps.current.copy()
        hit = self.entries_of(chosen)
        np.maximum.at(reached, gaps.entry_gap[hit], gaps.entry_level[hit])
        return reached

    def entries_of(self, rows) -> np.ndarray:
        """Return which of the open gaps' entries the items ``rows`` teach, shape (nnz,).

        A mask over the catalog's items picks them out: a few microseconds, where
        ``np.isin`` sorts both sides (16-160 us, from the demo's catalog to 100k items).
        """
        picked = np.zeros(self.index.n_items, dtype=bool)
        picked[rows] = True
        return picked[self.gaps.entry_rows]

    def closed(self, chosen) -> float:
        """Return the weighted gap closed by ``chosen``, each level counted once."""
        return float(self.gaps.weight @ (self.reached(chosen) - self.gaps.current))

    def left(self, chosen) -> tuple[float, float, float]:
        """Return hours, money and number of items still free after ``chosen``."""
        return (
            self.max_hours - float(self.index.hours_[chosen].sum()),
            self.budget - float(self.index.cost_[chosen].sum()),
            self.max_items - len(chosen),
        )

    def fits(self, chosen, more) -> bool:
        """Tell whether ``more`` items fit next to ``chosen``."""
        hours, budget, items = self.left(chosen)
        return (
            float(self.index.hours_[more].sum()) <= hours + EPS
            and float(self.index.cost_[more].sum()) <= budget + EPS
            and len(more) <= items
        )

    def done_with(self, rows) -> np.ndarray:
        """Return the completed mask with ``rows`` marked done too, shape (n_items,)."""
        done = self.completed.copy()
        done[np.asarray(rows, dtype=np.int64)] = True
        return done


def request_context(
    index: CatalogIndex,
    profile: Profile | RequestContext,
    target: Target | None,
    constraints: Constraints | None,
    *,
    default: Constraints | None = None,
) -> RequestContext:
    """Return the context a model was handed, or build one from a profile and a target.

    Parameters
    ----------
    index : CatalogIndex
        The index the model was fitted on; a given context must have been built on it.
    profile : Profile or RequestContext
    target : Target or None
        Required with a profile, left out with a context.
    constraints : Constraints or None
        Left out with a context.
    default : Constraints, optional
        What ``constraints=None`` means for this model; no limit and no filter when None.

    Raises
    ------
    TypeError
        If a context comes with a target or constraints, or a profile without a target.
    ValueError
        If the context was built on another index.
    """
    if isinstance(profile, RequestContext):
        if target is not None or constraints is not None:
            raise TypeError("pass either a RequestContext, or a profile and a target")
        if profile.index is not index:
            raise ValueError("the context was built on another index than the model was fitted on")
        return profile
    if target is None:
        raise TypeError("a target is needed with a profile")
    return RequestContext.build(index, profile, target, constraints or default)
