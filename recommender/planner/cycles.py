"""Cycles among chosen items, and the cuts that keep them out of a model.

The planner's model lets an item count on any candidate that teaches its prerequisite, so a
solution may hold items that supply each other and can never start (see
:mod:`recommender.planner.exact`). :class:`Cycles` keeps each one a request's solves find, by
item rows and unmet needs, so its cut is written into every later model of the request
that holds all its items, with that model's own suppliers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.planner.candidates import Problem
from recommender.sequence import Ordering


@dataclass(frozen=True)
class Cycle:
    """Chosen items that could never become ready, and the needs of theirs left unmet.

    ``rows`` are the item rows :func:`recommender.sequence.order_rows` could not place;
    ``needs`` the prerequisite groups of theirs that the items it did place left unmet, as
    ``(row, need)`` with ``need`` as in :attr:`Problem.group_need`.
    """

    rows: frozenset[int]
    needs: frozenset[tuple[int, tuple[str, int, int]]]

    def cut(self, problem: Problem) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(C, U)`` of the cut ``sum_{i in C} x_i - sum_{j in U} x_j <= |C| - 1``.

        ``C`` holds this cycle's items as positions in ``problem``, ``U`` every candidate
        outside ``C`` that supplies one of its unmet needs. Any orderable set containing
        ``C`` holds one of ``U``: every item of ``C`` has an unmet need kept here, and the
        first item of ``C`` in the set's order has it met by an item placed before it,
        outside ``C``. So the cut removes no valid plan, only plans holding ``C`` and
        nothing of ``U``, in any problem holding every item of ``C``.
        """
        rows = problem.rows.tolist()
        position = {r: i for i, r in enumerate(rows)}
        inside = {position[r] for r in self.rows}
        outside: set[int] = set()
        for (i, sup), need in zip(problem.groups, problem.group_need, strict=True):
            if i in inside and (rows[i], need) in self.needs:
                outside.update(j for j in sup.tolist() if j not in inside)
        return np.array(sorted(inside), dtype=np.int64), np.array(sorted(outside), dtype=np.int64)


class Cycles:
    """The cycles one request's solves have found, to cut from each later model at once.

    A request may solve several models: its candidates', then again with more of them
    while proving the plan (:func:`recommender.planner.proof.prove`). A cycle found in one
    is very often chosen again in the next, where finding it anew costs a whole solve; a
    cycle is kept by item rows and needs, so its cut can be written in any problem that
    holds all its items (:meth:`Cycle.cut`).
    """

    def __init__(self):
        self.found: list[Cycle] = []

    def add(self, problem: Problem, ordering: Ordering, levels) -> Cycle:
        """Keep the cycle of a solution that ``ordering`` left ``stuck``, and return it."""
        stuck, placed = set(ordering.stuck), set(ordering.order)
        rows = problem.rows.tolist()
        needs = set()
        for (i, _), need in zip(problem.groups, problem.group_need, strict=True):
            if rows[i] not in stuck:
                continue
            kind, key, level = need
            if kind == "skill":
                met = max(int(levels[key]), ordering.levels.get(key, 0)) >= level
            else:
                met = key in placed
            if not met:
                needs.add((rows[i], need))
        cycle = Cycle(frozenset(stuck), frozenset(needs))
        self.found.append(cycle)
        return cycle

    def cuts(self, problem: Problem) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return the cut of every kept cycle whose items are all candidates of ``problem``."""
        present = set(problem.rows.tolist()) if self.found else set()
        return [cycle.cut(problem) for cycle in self.found if cycle.rows <= present]
