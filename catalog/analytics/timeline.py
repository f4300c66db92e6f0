"""What happened to a workforce over time: skill events, kept plans and role changes.

Each reader takes the selection of employees as a query of their ids and reads only what
happened up to ``until`` (expiry events are written ahead of their day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, String, func, select, type_coerce
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


def team_selection(team: str | None) -> Select[tuple[str]]:
    """Return the query of the ids of a team's employees (everyone's without a team)."""
    query = select(Employee.id)
    return query.where(Employee.team == team) if team is not None else query


def load_timeline(*, session: Session, team: str | None, until: dt.datetime) -> Timeline:
    """Read the skill events, plans and role changes of a team (or everyone) up to ``until``."""
    scope = team_selection(team).scalar_subquery()
    # Core reads: at two years of a large organisation's history, ORM rows cost more than SQL.
    connection = session.connection()
    # The times as text, which numpy parses in one call: a datetime object for each of a few
    # hundred thousand rows (then a numpy date from each) cost more than the rest of the read.
    at = _utc_text(SkillEvent.at, session.get_bind().dialect.name)
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
