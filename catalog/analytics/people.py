"""Employees in bulk: who they are, their roles, stated levels and completions.

A selection is one of: everyone, one team, the employees who offered to mentor, or some ids.
Evidence can be narrowed to what bears on some skills (their stated levels, and completions
of items teaching them) or to completions of one kind of item. Rows come back as columns
keyed by the employee's position in ``ids`` (sorted by id as Python sorts, so ties break the
same way on every database). Reads go through the Core connection: at 10,000 employees the
ORM's per-row bookkeeping costs more than the query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from sqlalchemy import Select, select, true
from sqlalchemy.orm import Session

from catalog.models import Completion, Employee, EmployeeSkill, EmployeeTargetRole, Item, ItemSkill
from catalog.queries import chunks


@dataclass(frozen=True)
class People:
    """Some employees and their evidence, by position in ``ids``.

    ``names`` and ``teams`` are None when not read. ``targets``: ``(position, role)`` columns
    in each employee's stored order; ``stated``:
    ``(position, skill, level)`` columns; ``completions``: ``(position, item, completed_at,
    expires_at)`` columns.
    """

    ids: list[str]
    names: list[str | None] | None
    teams: list[str | None] | None
    current_roles: list[str | None]
    created_at: list[dt.datetime] | None = None
    targets: tuple[list, list] = field(default=([], []))
    stated: tuple[list, list, list] = field(default=([], [], []))
    completions: tuple[list, list, list, list] = field(default=([], [], [], []))

    def position(self) -> dict[str, int]:
        """Return each employee's position."""
        return {ident: n for n, ident in enumerate(self.ids)}


def _selections(
    team: str | None, mentors: bool, ids: Sequence[str] | None
) -> list[Select[tuple[str]] | None]:
    """Return queries of the selected employee ids (several when ids come in slices).

    None stands for everyone: no subquery to filter by.
    """
    query = select(Employee.id)
    if team is not None:
        query = query.where(Employee.team == team)
    if mentors:
        query = query.where(Employee.preferences["mentor"].as_boolean() == true())
    if ids is not None:
        return [query.where(Employee.id.in_(chunk)) for chunk in chunks(sorted(set(ids)))]
    return [query] if team is not None or mentors else [None]


def _columns(rows: list, at: dict[str, int]) -> tuple[list, ...]:
    """Turn rows starting with an employee id into columns, the id made a position."""
    if not rows:
        return ()
    columns = list(zip(*rows, strict=True))
    return ([at[e] for e in columns[0]], *(list(c) for c in columns[1:]))


def load_people(
    *,
    session: Session,
    team: str | None = None,
    mentors: bool = False,
    ids: Sequence[str] | None = None,
    names: bool = True,
    created: bool = False,
    targets: bool = True,
    stated: bool = True,
    completions: bool = True,
    skills: Sequence[str] | None = None,
    item_kind: str | None = None,
) -> People:
    """Read the selected employees, their target roles, and the evidence asked for.

    :param names: read their display names and teams (else ``names`` and ``teams`` are None).
    :param created: read when each employee's record was created (``created_at``).
    :param targets: read their target roles (else ``targets`` stays empty).
    :param skills: only stated levels of these skills and completions of items teaching them.
    :param item_kind: only completions of items of this kind.
    """
    connection = session.connection()
    people, aims, levels, done = [], [], [], []
    # At 10,000 employees each column read costs: only the columns a view asks for.
    columns = [Employee.id, Employee.current_role]
    if names:
        columns += [Employee.display_name, Employee.team]
    if created:
        columns.append(Employee.created_at)
    for selection in _selections(team, mentors, ids):

        def among(column, selection=selection):
            return column.in_(selection.scalar_subquery()) if selection is not None else true()

        people += connection.execute(select(*columns).where(among(Employee.id))).all()
        if targets:
            aims += connection.execute(
                select(EmployeeTargetRole.employee_id, EmployeeTargetRole.role_id)
                .where(among(EmployeeTargetRole.employee_id))
                .order_by(EmployeeTargetRole.employee_id, EmployeeTargetRole.position)
            ).all()
        if stated:
            query = select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level)
            query = query.where(among(EmployeeSkill.employee_id))
            if skills is not None:
                query = query.where(EmployeeSkill.skill_id.in_(list(skills)))
            levels += connection.execute(query).all()
        if completions:
            query = select(
                Completion.employee_id,
                Completion.item_id,
                Completion.completed_at,
                Completion.expires_at,
            ).where(among(Completion.employee_id))
            if skills is not None:
                teaching = select(ItemSkill.item_id).where(ItemSkill.skill_id.in_(list(skills)))
                query = query.where(Completion.item_id.in_(teaching.scalar_subquery()))
            if item_kind is not None:
                kind = select(Item.id).where(Item.kind == item_kind)
                query = query.where(Completion.item_id.in_(kind.scalar_subquery()))
            done += connection.execute(query).all()
    people.sort(key=itemgetter(0))
    at = {row[0]: n for n, row in enumerate(people)}
    return People(
        ids=[row[0] for row in people],
        names=[row[2] for row in people] if names else None,
        teams=[row[3] for row in people] if names else None,
        current_roles=[row[1] for row in people],
        created_at=[row[-1] for row in people] if created else None,
        targets=_columns(aims, at) or ([], []),
        stated=_columns(levels, at) or ([], [], []),
        completions=_columns(done, at) or ([], [], [], []),
    )
