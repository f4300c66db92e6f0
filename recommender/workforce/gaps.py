"""Gap arithmetic for many employees and roles at once: demand, shortfall, readiness, cover.

Each ``(employee, role)`` pair expands into one entry per competency of the role, in the
role's skill-id order; sums run through :func:`recommender.gap.weighted_sums` in that order,
so a readiness here is the very float :func:`recommender.gap.analyze_gap` gives for the same
employee and role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from recommender.gap import RoleIndex, readiness_from, weighted_sums
from recommender.types import MAX_LEVEL
from recommender.workforce.levels import LevelTable, ranges

N_LEVELS = MAX_LEVEL + 1


@dataclass(frozen=True)
class RoleTable:
    """Every role's competencies over the catalog's skill columns, each in skill-id order.

    Attributes
    ----------
    role_ids : ndarray of str, shape (n_roles,)
    role_index : dict of str to int
    indptr : ndarray of int64, shape (n_roles + 1,)
    cols, required : ndarray of int64, shape (n_competencies,)
    weight : ndarray of float64, shape (n_competencies,)
    total_weight : ndarray of float64, shape (n_roles,)
        ``sum w * req`` per role, as :class:`~recommender.gap.RoleIndex` sums it.
    """

    role_ids: np.ndarray
    role_index: dict[str, int]
    indptr: np.ndarray
    cols: np.ndarray
    required: np.ndarray
    weight: np.ndarray
    total_weight: np.ndarray

    @classmethod
    def of(cls, roles: RoleIndex, skill_index: Mapping[str, int]) -> RoleTable:
        """Map a fitted role index onto the columns of ``skill_index`` (a catalog index's)."""
        column = np.array([skill_index[s] for s in roles.skill_ids_], dtype=np.int64)
        required = roles.required_
        return cls(
            role_ids=roles.role_ids_,
            role_index={str(r): i for i, r in enumerate(roles.role_ids_)},
            indptr=required.indptr.astype(np.int64),
            cols=column[required.indices],
            required=required.data.astype(np.int64),
            weight=roles.weight_.data.astype(np.float64),
            total_weight=roles.total_weight_,
        )


@dataclass(frozen=True)
class Entries:
    """The competencies of some ``(employee, role)`` pairs, one entry each, with levels.

    Attributes
    ----------
    pair : ndarray of int64, shape (n,)
        Which pair an entry belongs to (pairs in the given order, entries of a pair together
        in its role's skill-id order).
    employee, col, required, current : ndarray of int64, shape (n,)
    weight : ndarray of float64, shape (n,)
    """

    pair: np.ndarray
    employee: np.ndarray
    col: np.ndarray
    required: np.ndarray
    current: np.ndarray
    weight: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        """Missing levels per entry."""
        return np.maximum(0, self.required - self.current)


def entries(roles: RoleTable, levels: LevelTable, employees, role_rows) -> Entries:
    """Expand ``(employees[i], role_rows[i])`` pairs into competency entries."""
    employees = np.asarray(employees, np.int64)
    pair, at = ranges(roles.indptr, np.asarray(role_rows, np.int64))
    employee = employees[pair]
    col = roles.cols[at]
    return Entries(
        pair=pair,
        employee=employee,
        col=col,
        required=roles.required[at],
        current=levels.lookup(employee, col),
        weight=roles.weight[at],
    )


def pair_readiness(roles: RoleTable, found: Entries, role_rows) -> tuple[np.ndarray, np.ndarray]:
    """Return the readiness and weighted gap of every pair, as the gap analysis rounds neither.

    Returns
    -------
    readiness, weighted_gap : ndarray of float64, shape (n_pairs,)
    """
    role_rows = np.asarray(role_rows, np.int64)
    weighted = weighted_sums(found.weight, found.gap, found.pair, role_rows.size)
    return readiness_from(weighted, roles.total_weight[role_rows]), weighted


@dataclass(frozen=True)
class SkillSummary:
    """Supply and demand per skill column of a population.

    Attributes
    ----------
    by_level : ndarray of int64, shape (n_skills, 6)
        Employees at each level 0-5.
    demand : ndarray of int64, shape (n_skills,)
        Employees whose current or a target role requires the skill.
    demand_by_level : ndarray of int64, shape (n_skills, 6)
        Those employees by the level required (the highest of their roles').
    met : ndarray of int64, shape (n_skills,)
        Those already at or above it.
    shortfall : ndarray of float64, shape (n_skills,)
        Sum of their weighted gaps.
    """

    by_level: np.ndarray
    demand: np.ndarray
    demand_by_level: np.ndarray
    met: np.ndarray
    shortfall: np.ndarray


def merged_demand(found: Entries) -> Entries:
    """Merge entries of one employee and skill: the highest level, with the highest weight.

    The rule :class:`~recommender.gap.GapVector` applies to a skill required twice.
    """
    n = int(found.col.max()) + 1 if found.col.size else 1
    keys = found.employee * n + found.col
    order = np.lexsort((found.required, keys))
    keys = keys[order]
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = first.nonzero()[0]
    last = np.append(starts[1:], keys.size) - 1
    weight = np.maximum.reduceat(found.weight[order], starts) if starts.size else found.weight[:0]
    pick = order[last]
    return Entries(
        pair=np.arange(pick.size, dtype=np.int64),
        employee=found.employee[pick],
        col=found.col[pick],
        required=found.required[pick],
        current=found.current[pick],
        weight=weight,
    )


def skill_summary(
    levels: LevelTable, population: np.ndarray, demand: Entries, n_skills: int
) -> SkillSummary:
    """Count levels held in ``population`` per skill, and weigh the demand against them."""
    population = np.asarray(population, np.int64)
    held = np.isin(levels.employees(), population)
    cells = levels.skills()[held] * N_LEVELS + levels.levels[held]
    by_level = np.bincount(cells, minlength=n_skills * N_LEVELS).reshape(n_skills, N_LEVELS)
    by_level[:, 0] = population.size - by_level[:, 1:].sum(axis=1)
    merged = merged_demand(demand)
    gap = merged.gap
    return SkillSummary(
        by_level=by_level,
        demand=np.bincount(merged.col, minlength=n_skills),
        demand_by_level=np.bincount(
            merged.col * N_LEVELS + merged.required, minlength=n_skills * N_LEVELS
        ).reshape(n_skills, N_LEVELS),
        met=np.bincount(merged.col, weights=gap == 0, minlength=n_skills).astype(np.int64),
        shortfall=np.bincount(merged.col, weights=merged.weight * gap, minlength=n_skills),
    )


def cover(
    levels: LevelTable, mentors: np.ndarray, cols, required, current, weight
) -> tuple[np.ndarray, np.ndarray]:
    """Weigh how much of one employee's gap each mentor's levels would close.

    A mentor covers a skill up to the lower of their own level and the level required.

    Parameters
    ----------
    mentors : ndarray of int64, shape (n_mentors,)
    cols, required, current : ndarray of int64, shape (k,)
        The target's skills, the levels it requires and the employee's.
    weight : ndarray of float64, shape (k,)

    Returns
    -------
    covered : ndarray of float64, shape (n_mentors,)
        Weighted gap each mentor's levels close.
    mentor_levels : ndarray of int64, shape (n_mentors, k)
    """
    mentors = np.asarray(mentors, np.int64)
    k = len(cols)
    mentor_levels = levels.lookup(np.repeat(mentors, k), np.tile(cols, mentors.size)).reshape(
        mentors.size, k
    )
    reach = np.minimum(mentor_levels, np.asarray(required)[None, :])
    closed = np.maximum(0, reach - np.asarray(current)[None, :])
    group = np.repeat(np.arange(mentors.size, dtype=np.int64), k)
    covered = weighted_sums(np.tile(weight, mentors.size), closed.ravel(), group, mentors.size)
    return covered, mentor_levels
