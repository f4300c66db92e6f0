"""What happened to a workforce over time: skill events, kept plans and role changes.

Each reader takes the selection of employees as a query of their ids and reads only what
happened up to ``until`` (expiry events are written ahead of their day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from catalog.models import Employee, Plan, RoleChange, SkillEvent


@dataclass(frozen=True)
class Timeline:
    """Rows of what happened, each starting with the employee's id.

    ``events``: ``(employee, skill, at, to_level)``; ``plans``: ``(employee, status,
    created_at, ended_at)``; ``moves``: ``(employee, at, targeted)``.
    """

    events: list[tuple[str, str, dt.datetime, int]]
    plans: list[tuple[str, str, dt.datetime, dt.datetime | None]]
    moves: list[tuple[str, dt.datetime, bool]]


def team_selection(team: str | None) -> Select[tuple[str]]:
    """Return the query of the ids of a team's employees (everyone's without a team)."""
    query = select(Employee.id)
    return query.where(Employee.team == team) if team is not None else query


def load_timeline(*, session: Session, team: str | None, until: dt.datetime) -> Timeline:
    """Read the skill events, plans and role changes of a team (or everyone) up to ``until``."""
    scope = team_selection(team).scalar_subquery()
    events = session.execute(
        select(SkillEvent.employee_id, SkillEvent.skill_id, SkillEvent.at, SkillEvent.to_level)
        .where(SkillEvent.employee_id.in_(scope), SkillEvent.at <= until)
        .order_by(SkillEvent.id)
    ).all()
    plans = session.execute(
        select(Plan.employee_id, Plan.status, Plan.created_at, Plan.ended_at).where(
            Plan.employee_id.in_(scope), Plan.created_at <= until
        )
    ).all()
    moves = session.execute(
        select(RoleChange.employee_id, RoleChange.at, RoleChange.targeted).where(
            RoleChange.employee_id.in_(scope), RoleChange.at <= until
        )
    ).all()
    return Timeline(
        events=[tuple(row) for row in events],
        plans=[tuple(row) for row in plans],
        moves=[tuple(row) for row in moves],
    )
