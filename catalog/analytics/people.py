"""Employees in bulk: who they are, their roles, stated levels and completions.

A selection is one of: everyone, one team, the employees who offered to mentor, or some ids.
Rows come back as plain lists keyed by the employee's position in ``ids`` (sorted by id as
Python sorts, so ties break the same way on every database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select, true
from sqlalchemy.orm import Session

from catalog.models import Completion, Employee, EmployeeSkill, EmployeeTargetRole
from catalog.queries import chunks


@dataclass(frozen=True)
class People:
    """Some employees and their evidence, by position in ``ids``.

    ``targets`` are ``(position, role)`` in each employee's stored order; ``stated`` are
    ``(position, skill, level)``; ``completions`` ``(position, item, completed_at,
    expires_at)``.
    """

    ids: list[str]
    names: list[str | None]
    teams: list[str | None]
    current_roles: list[str | None]
    created_at: list[dt.datetime]
    targets: list[tuple[int, str]]
    stated: list[tuple[int, str, int]]
    completions: list[tuple[int, str, dt.date | None, dt.date | None]]

    def position(self) -> dict[str, int]:
        """Return each employee's position."""
        return {ident: n for n, ident in enumerate(self.ids)}


def _selection(
    team: str | None, mentors: bool, ids: Sequence[str] | None
) -> list[Select[tuple[str]]]:
    """Return queries of the selected employee ids (several when ids come in slices)."""
    query = select(Employee.id)
    if team is not None:
        query = query.where(Employee.team == team)
    if mentors:
        query = query.where(Employee.preferences["mentor"].as_boolean() == true())
    if ids is None:
        return [query]
    return [query.where(Employee.id.in_(chunk)) for chunk in chunks(sorted(set(ids)))]


def load_people(
    *,
    session: Session,
    team: str | None = None,
    mentors: bool = False,
    ids: Sequence[str] | None = None,
    evidence: bool = True,
) -> People:
    """Read the selected employees; with ``evidence``, their stated levels and completions."""
    rows = []
    for selection in _selection(team, mentors, ids):
        scope = selection.subquery()
        rows += session.execute(
            select(
                Employee.id,
                Employee.display_name,
                Employee.team,
                Employee.current_role,
                Employee.created_at,
            ).where(Employee.id.in_(select(scope.c.id)))
        ).all()
    rows.sort(key=lambda row: row[0])
    ids_ = [row[0] for row in rows]
    at = {ident: n for n, ident in enumerate(ids_)}
    targets, stated, completions = [], [], []
    for selection in _selection(team, mentors, ids):
        scope = select(selection.subquery().c.id)
        for employee, role in session.execute(
            select(EmployeeTargetRole.employee_id, EmployeeTargetRole.role_id)
            .where(EmployeeTargetRole.employee_id.in_(scope))
            .order_by(EmployeeTargetRole.employee_id, EmployeeTargetRole.position)
        ):
            targets.append((at[employee], role))
        if not evidence:
            continue
        for employee, skill, level in session.execute(
            select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level).where(
                EmployeeSkill.employee_id.in_(scope)
            )
        ):
            stated.append((at[employee], skill, level))
        for employee, item, completed_at, expires_at in session.execute(
            select(
                Completion.employee_id,
                Completion.item_id,
                Completion.completed_at,
                Completion.expires_at,
            ).where(Completion.employee_id.in_(scope))
        ):
            completions.append((at[employee], item, completed_at, expires_at))
    return People(
        ids=ids_,
        names=[row[1] for row in rows],
        teams=[row[2] for row in rows],
        current_roles=[row[3] for row in rows],
        created_at=[row[4] for row in rows],
        targets=targets,
        stated=stated,
        completions=completions,
    )
