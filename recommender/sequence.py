"""Order chosen items so prerequisites come first, and lay them on a calendar."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from recommender.index import CatalogIndex
from recommender.types import Profile


@dataclass(frozen=True)
class Ordering:
    """Result of :func:`order_rows`: the items placed, those that never became ready, and the
    skill levels reached by the placed ones (column -> level, only where they raised it)."""

    order: list[int]
    stuck: list[int]
    levels: dict[int, int]


def order_rows(
    index: CatalogIndex, rows: Sequence[int], levels: np.ndarray, completed: np.ndarray
) -> Ordering:
    """Place items one at a time, each once its prerequisites are met by earlier ones.

    Among the items that are ready, the most foundational goes first: lowest highest taught
    level, then row (item id). Because levels only grow, an item that is ready stays ready,
    so this finds an order whenever one exists; the items left in ``stuck`` cannot be
    ordered with the others (a cycle, or a prerequisite nobody in the set provides).

    Parameters
    ----------
    index : CatalogIndex
    rows : sequence of int
        Item rows to order.
    levels : ndarray of int, shape (n_skills,)
        Levels before the first item.
    completed : ndarray of bool, shape (n_items,)
        Which items are completed; they satisfy ``requires_items``.
    """
    prereq, taught = index.prereq_, index.taught_
    info = {}
    for row in rows:
        p0, p1 = prereq.indptr[row], prereq.indptr[row + 1]
        t0, t1 = taught.indptr[row], taught.indptr[row + 1]
        info[row] = (
            list(zip(prereq.indices[p0:p1].tolist(), prereq.data[p0:p1].tolist(), strict=True)),
            list(zip(taught.indices[t0:t1].tolist(), taught.data[t0:t1].tolist(), strict=True)),
            index.required_rows(row).tolist(),
            (max(taught.data[t0:t1], default=0), row),
        )
    reached: dict[int, int] = {}
    placed: set[int] = set()
    order: list[int] = []
    remaining = sorted(set(rows))

    def ready(row: int) -> bool:
        needs, _, required, _ = info[row]
        return all(max(int(levels[c]), reached.get(c, 0)) >= p for c, p in needs) and all(
            r in placed or completed[r] for r in required
        )

    while remaining:
        candidates = [r for r in remaining if ready(r)]
        if not candidates:
            break
        row = min(candidates, key=lambda r: info[r][3])
        remaining.remove(row)
        placed.add(row)
        order.append(row)
        for col, level in info[row][1]:
            if level > max(int(levels[col]), reached.get(col, 0)):
                reached[col] = int(level)
    return Ordering(order=order, stuck=remaining, levels=reached)


class Sequencer(BaseEstimator):
    """Order a set of items so every skill prerequisite and required item comes first.

    Attributes
    ----------
    index_ : CatalogIndex
    """

    def __init__(self):
        pass

    def fit(self, index: CatalogIndex):
        """Remember the catalog the items come from.

        Returns
        -------
        self : Sequencer
        """
        check_is_fitted(index)
        self.index_ = index
        return self

    def order(self, item_ids: Sequence[str], profile: Profile) -> list[str]:
        """Return ``item_ids`` in an order where each item's prerequisites are already met.

        Raises
        ------
        ValueError
            If an id is unknown or no such order exists.
        """
        check_is_fitted(self)
        index = self.index_
        unknown = [i for i in item_ids if i not in index.item_index_]
        if unknown:
            raise ValueError(f"unknown items: {unknown}")
        completed = np.zeros(index.n_items, dtype=bool)
        completed[index.rows_of(profile.completed)] = True
        result = order_rows(
            index,
            [index.item_index_[i] for i in item_ids],
            index.level_vector(profile.levels),
            completed,
        )
        if result.stuck:
            stuck = [str(index.item_ids_[r]) for r in result.stuck]
            raise ValueError(f"prerequisites of {stuck} cannot be met by the other items")
        return [str(index.item_ids_[r]) for r in result.order]


@dataclass(frozen=True, slots=True)
class Slot:
    """When one step happens: 1-based weeks and dates from the plan's start."""

    start_week: int
    end_week: int
    start_date: dt.date
    end_date: dt.date


def schedule(hours: Sequence[float], *, start_date: dt.date, hours_per_week: float) -> list[Slot]:
    """Lay steps end to end on a calendar at a steady weekly pace.

    Study time is a continuous stream of ``hours_per_week`` hours per week from
    ``start_date``: a step starts the moment the previous one ends, so partial weeks are
    shared (a 3 h step and a 4 h step at 5 h/week both touch week 1). A step spanning
    cumulative hours ``[a, b)`` runs from week ``floor(a / h) + 1`` to week ``ceil(b / h)``,
    and from day ``ceil(7a / h)`` to day ``ceil(7b / h)`` after ``start_date``: a 40 h
    step at 5 h/week starting on 2026-12-01 spans weeks 1-8 and ends on 2027-01-26.

    ``end_date`` is inclusive, so both ends round up: a step starts on the day the previous
    one ends, never before it (rounding the start down would put it a day before the
    previous ``end_date`` whenever a step ends part way through a day). Day ``d`` of the
    start lies in ``[7 (start_week - 1), 7 start_week]`` and day ``e`` of the end in
    ``(7 (end_week - 1), 7 end_week]``.

    Parameters
    ----------
    hours : sequence of float, length n_steps
        Duration of each step, in order.
    start_date : date
    hours_per_week : float > 0

    Returns
    -------
    slots : list of Slot, length n_steps
    """
    if not hours_per_week > 0:
        raise ValueError("hours_per_week must be > 0")
    slots = []
    done = 0.0
    for duration in hours:
        # Rounding keeps float noise (e.g. 39.99999999) from moving a step by a week or a day.
        start_weeks = round(done / hours_per_week, 9)
        done += float(duration)
        end_weeks = round(done / hours_per_week, 9)
        start_week = math.floor(start_weeks) + 1
        slots.append(
            Slot(
                start_week=start_week,
                end_week=max(start_week, math.ceil(end_weeks)),
                start_date=start_date + dt.timedelta(days=math.ceil(round(7 * start_weeks, 6))),
                end_date=start_date + dt.timedelta(days=math.ceil(round(7 * end_weeks, 6))),
            )
        )
    return slots
