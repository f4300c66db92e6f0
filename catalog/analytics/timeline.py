"""What happened to a workforce over time: skill events, kept plans and role changes.

The reader takes a team (or everyone) and reads only what happened up to ``until`` (expiry
events are written ahead of their day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, func, select, true, type_coerce
from sqlalchemy.orm import Session

from catalog.models import Employee, Plan, RoleChange, SkillEvent


@dataclass(frozen=True)
class Timeline:
    """Columns of what happened, the first of each the employee's id.

    ``events``: ``(employee, skill, at, to_level)``, ``at`` as ISO 8601 text in UTC without
    a zone (``YYYY-MM-DD HH:MM:SS.ffffff``, ``T`` for the space on PostgreSQL); ``plans``:
    ``(employee, status, created_at, ended_at)``; ``moves``: ``(employee, at, targeted)``.
    """

    events: tuple[list, list, list, list]
    plans: tuple[list, list, list, list]
    moves: tuple[list, list, list]


def _of_team(column, team: str | None):
    """Return the condition that ``column`` (an employee id) is in the team; none for all.

    Every row of these tables belongs to a stored employee, so without a team there is no
    employee filter at all: checking each of a few hundred thousand events against every
    employee id cost a third of the read.
    """
    if team is None:
        return true()
    return column.in_(select(Employee.id).where(Employee.team == team).scalar_subquery())


def load_timeline(*, session: Session, team: str | None, until: dt.datetime) -> Timeline:
    """Read the skill events, plans and role changes of a team (or everyone) up to ``until``."""
    # Core reads: at two years of a large organisation's history, ORM rows cost more than SQL.
    connection = session.connection()
    # The times as text, which numpy parses in one call: a datetime object for each of a few
    # hundred thousand rows (then a numpy date from each) cost more than the rest of the read.
    at = _utc_text(SkillEvent.at, session.get_bind().dialect.name)
    events = connection.execute(
        select(SkillEvent.employee_id, SkillEvent.skill_id, at, SkillEvent.to_level)
        .where(_of_team(SkillEvent.employee_id, team), SkillEvent.at <= until)
        .order_by(SkillEvent.id)
    ).all()
    plans = connection.execute(
        select(Plan.employee_id, Plan.status, Plan.created_at, Plan.ended_at).where(
            _of_team(Plan.employee_id, team), Plan.created_at <= until
        )
    ).all()
    moves = connection.execute(
        select(RoleChange.employee_id, RoleChange.at, RoleChange.targeted).where(
            _of_team(RoleChange.employee_id, team), RoleChange.at <= until
        )
    ).all()
    return Timeline(events=_columns(events, 4), plans=_columns(plans, 4), moves=_columns(moves, 3))


def _utc_text(column, dialect: str):
    """Return a timestamp column as ISO 8601 text in UTC, without a zone."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US')
    # SQLite keeps the UTC time as that text already.
    return type_coerce(column, String())


def _columns(rows: list, width: int) -> tuple[list, ...]:
    """Turn rows into ``width`` columns (empty ones when there are no rows)."""
    return (
        tuple(list(c) for c in zip(*rows, strict=True)) if rows else tuple([] for _ in range(width))
    )
