"""Employees read in bulk, turned into the arrays the workforce arithmetic takes.

Skills and items become the columns and rows of the fitted catalog index, roles the rows of
a :class:`~recommender.workforce.gaps.RoleTable` built from the fitted role index: the same
models ``/gaps`` answers with, so the levels and readiness here are the ones it gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from catalog.analytics.people import People
from recommender.workforce.gaps import Entries, RoleTable, entries
from recommender.workforce.levels import LevelTable, effective_levels, last_days
from service.engine import Models

NAT = np.datetime64("NaT", "D")


def days(values) -> np.ndarray:
    """Return dates (None for unknown) as ``datetime64[D]``, NaT for None."""
    return np.array([NAT if v is None else np.datetime64(v, "D") for v in values], "datetime64[D]")


@dataclass(frozen=True)
class Completions:
    """The completions of some employees as arrays, with the last day each counts.

    ``item`` is the catalog index row, -1 for an item the catalog lacks.
    """

    employee: np.ndarray
    item: np.ndarray
    completed_at: np.ndarray
    last_day: np.ndarray


def completions_of(models: Models, people: People) -> Completions:
    """Return the completions of ``people`` over the rows of the catalog index."""
    index = models.index
    employee, items, completed, expires = people.completions
    item = index.item_index_.rows(items)
    months = index.valid_months_[np.maximum(item, 0)] if item.size else item
    months = np.where(item >= 0, months, 0)
    completed_at = days(completed)
    return Completions(
        employee=np.array(employee, dtype=np.int64),
        item=item,
        completed_at=completed_at,
        last_day=last_days(completed_at, days(expires), months),
    )


@dataclass(frozen=True)
class Frame:
    """Some employees with their effective levels, current and target roles, as arrays.

    Attributes
    ----------
    people : People
    models : Models
    roles : RoleTable
    levels : LevelTable
        Effective levels on the day the frame was built for.
    current_role : ndarray of int64, shape (n_employees,)
        Row in ``roles``, -1 for none (or a role the models do not know yet).
    target_employee, target_role : ndarray of int64, shape (n_targets,)
        Every employee's target roles, in their stored order.
    completions : Completions
    """

    people: People
    models: Models
    roles: RoleTable
    levels: LevelTable
    current_role: np.ndarray
    target_employee: np.ndarray
    target_role: np.ndarray
    completions: Completions

    @property
    def size(self) -> int:
        """How many employees the frame holds."""
        return len(self.people.ids)

    def role_row(self, role_id: str) -> int:
        """Return a role's row (the caller checked that it exists)."""
        return self.roles.role_index[role_id]

    def entries(self, employees, role_rows) -> Entries:
        """Expand ``(employee, role)`` pairs into competency entries with current levels."""
        return entries(self.roles, self.levels, employees, role_rows)

    def own_targets(self, employees=None) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(employee, role)`` pairs of the employees' target roles (all employees'
        without ``employees``), in their stored order."""
        if employees is None:
            return self.target_employee, self.target_role
        keep = np.isin(self.target_employee, np.asarray(employees, np.int64))
        return self.target_employee[keep], self.target_role[keep]


def build_frame(models: Models, people: People, *, as_of: dt.date) -> Frame:
    """Work out the effective levels of ``people`` on ``as_of`` and index their roles."""
    index = models.index
    roles = RoleTable.of(models.roles, index.skill_index_)
    holder, skills, stated_levels = people.stated
    cols = np.array([index.skill_index_.get(s, -1) for s in skills], dtype=np.int64)
    known_skill = cols >= 0
    done = completions_of(models, people)
    levels = effective_levels(
        n_skills=index.n_skills,
        stated=(
            np.array(holder, dtype=np.int64)[known_skill],
            cols[known_skill],
            np.array(stated_levels, dtype=np.int64)[known_skill],
        ),
        completions=(done.employee, done.item, done.last_day),
        taught=index.taught_,
        as_of=np.datetime64(as_of, "D"),
    )
    known = roles.role_index
    # By employee (ids sorted as Python sorts them), each one's targets in stored order.
    targets = sorted(
        ((n, known[r]) for n, r in zip(*people.targets, strict=True) if r in known),
        key=lambda pair: pair[0],
    )
    return Frame(
        people=people,
        models=models,
        roles=roles,
        levels=levels,
        current_role=np.array(
            [known.get(r, -1) if r else -1 for r in people.current_roles], dtype=np.int64
        ),
        target_employee=np.array([t[0] for t in targets], dtype=np.int64),
        target_role=np.array([t[1] for t in targets], dtype=np.int64),
        completions=done,
    )
