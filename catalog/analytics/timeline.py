"""What happened to a workforce over time: skill events, kept plans and role changes.

Each reader takes the selection of employees as a query of their ids and reads only what
happened up to ``until`` (expiry events are written ahead of their day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import DateTime, Select, select, type_coerce
from sqlalchemy.orm import Session

from catalog.models import Employee, Plan, RoleChange, SkillEvent


@dataclass(frozen=True)
class Timeline:
    """Columns of what happened, the first of each the employee's id.

    ``events``: ``(employee, skill, at, to_level)``, ``at`` naive on some databases (then
    in UTC); ``plans``: ``(employee, status,
    created_at, ended_at)``; ``moves``: ``(employee, at, targeted)``.
    """

    events: tuple[list, list, list, list]
    plans: tuple[list, list, list, list]
    moves: tuple[list, list, list]


def team_selection(team: str | None) -> Select[tuple[str]]:
    """Return the query of the ids of a team's employees (everyone's without a team)."""
    query = select(Employee.id)
    return query.where(Employee.team == team) if team is not None else query


def load_timeline(*, session: Session, team: str | None, until: dt.datetime) -> Timeline:
    """Read the skill events, plans and role changes of a team (or everyone) up to ``until``."""
    scope = team_selection(team).scalar_subquery()
    # Core reads: at two years of a large organisation's history, ORM rows cost more than SQL.
    connection = session.connection()
    # The times as the driver gives them (naive UTC on SQLite): marking each of a few hundred
    # thousand rows aware would cost more than the rest of the read.
    at = type_coerce(SkillEvent.at, DateTime())
    events = connection.execute(
        select(SkillEvent.employee_id, SkillEvent.skill_id, at, SkillEvent.to_level)
        .where(SkillEvent.employee_id.in_(scope), SkillEvent.at <= until)
        .order_by(SkillEvent.id)
    ).all()
    plans = connection.execute(
        select(Plan.employee_id, Plan.status, Plan.created_at, Plan.ended_at).where(
            Plan.employee_id.in_(scope), Plan.created_at <= until
        )
    ).all()
    moves = connection.execute(
        select(RoleChange.employee_id, RoleChange.at, RoleChange.targeted).where(
            RoleChange.employee_id.in_(scope), RoleChange.at <= until
        )
    ).all()
    return Timeline(events=_columns(events, 4), plans=_columns(plans, 4), moves=_columns(moves, 3))


def _columns(rows: list, width: int) -> tuple[list, ...]:
    """Turn rows into ``width`` columns (empty ones when there are no rows)."""
    return (
        tuple(list(c) for c in zip(*rows, strict=True)) if rows else tuple([] for _ in range(width))
    )
