"""Stored records read as the recommender's plain inputs: the catalog, and one employee.

Plain column selects, not ORM objects: building a few hundred thousand mapped objects (and the
garbage collector chasing them) cost ten times the model fitting at 100k items, and an
employee read per request need not load relationships it then throws away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from catalog.models import Completion as CompletionRow
from catalog.models import (
    Employee,
    EmployeeSkill,
    EmployeeTargetRole,
    Item,
    ItemPrerequisite,
    ItemRequirement,
    ItemSkill,
    Role,
    RoleCompetency,
    Skill,
    SkillAlias,
)
from recommender.types import CatalogItem, Competency, Completion, SkillRecord, Target


@dataclass(frozen=True, slots=True)
class CatalogSnapshot:
    """The taxonomy, every catalog item (retired ones too) and every role, sorted by id."""

    skills: list[SkillRecord]
    items: list[CatalogItem]
    roles: dict[str, Target]


@dataclass(frozen=True, slots=True)
class EmployeeSnapshot:
    """A stored employee as the recommender reads them; ``target_roles`` in the stored order."""

    id: str
    skills: Mapping[str, int]
    completions: tuple[Completion, ...]
    target_roles: tuple[str, ...]
    preferences: Mapping[str, Any]


def _grouped(session: Session, *columns) -> dict[str, list[tuple]]:
    """Return rows of ``(key, *values)`` grouped by key, in key and value order."""
    groups: dict[str, list[tuple]] = {}
    for key, *values in session.execute(select(*columns).order_by(*columns)):
        groups.setdefault(key, []).append(tuple(values))
    return groups


def catalog_snapshot(*, session: Session) -> CatalogSnapshot:
    """Read the taxonomy, the catalog and the roles as recommender inputs."""
    aliases = _grouped(session, SkillAlias.skill_id, SkillAlias.position, SkillAlias.alias)
    skills = [
        SkillRecord(sid, name, tuple(a for _, a in aliases.get(sid, ())), description or "")
        for sid, name, description in session.execute(
            select(Skill.id, Skill.name, Skill.description).order_by(Skill.id)
        )
    ]
    taught = _grouped(session, ItemSkill.item_id, ItemSkill.skill_id, ItemSkill.level)
    prereqs = _grouped(
        session, ItemPrerequisite.item_id, ItemPrerequisite.skill_id, ItemPrerequisite.level
    )
    requires = _grouped(session, ItemRequirement.item_id, ItemRequirement.required_item_id)
    columns = (
        Item.id, Item.title, Item.kind, Item.modality, Item.duration_hours, Item.cost,
        Item.currency, Item.language, Item.description, Item.provider, Item.url,
        Item.valid_months, Item.active,
    )  # fmt: skip
    items = [
        CatalogItem(
            id=row.id,
            title=row.title,
            kind=row.kind,
            modality=row.modality,
            duration_hours=row.duration_hours,
            cost=row.cost,
            currency=row.currency,
            language=row.language,
            description=row.description or "",
            provider=row.provider or "",
            url=row.url,
            skills=tuple(taught.get(row.id, ())),
            prerequisites=tuple(prereqs.get(row.id, ())),
            requires_items=tuple(r for (r,) in requires.get(row.id, ())),
            valid_months=row.valid_months,
            active=row.active,
        )
        for row in session.execute(select(*columns).order_by(Item.id))
    ]
    competencies = _grouped(
        session,
        RoleCompetency.role_id,
        RoleCompetency.skill_id,
        RoleCompetency.level,
        RoleCompetency.weight,
    )
    roles = {
        role_id: Target(
            competencies=tuple(Competency(*c) for c in competencies.get(role_id, ())),
            role_id=role_id,
            title=title,
        )
        for role_id, title in session.execute(select(Role.id, Role.title).order_by(Role.id))
    }
    return CatalogSnapshot(skills=skills, items=items, roles=roles)


# One employee's rows, as plain table selects built once: a request pays neither for
# building the statements nor for the ORM's handling of mapped columns, only for the rows.
_EMPLOYEE_ID = bindparam("employee_id")
_employees, _skills = Employee.__table__, EmployeeSkill.__table__
_completions, _targets = CompletionRow.__table__, EmployeeTargetRole.__table__
_EMPLOYEE_ROW = select(_employees.c.preferences).where(_employees.c.id == _EMPLOYEE_ID)
_EMPLOYEE_SKILLS = select(_skills.c.skill_id, _skills.c.level).where(
    _skills.c.employee_id == _EMPLOYEE_ID
)
_EMPLOYEE_COMPLETIONS = (
    select(_completions.c.item_id, _completions.c.completed_at, _completions.c.expires_at)
    .where(_completions.c.employee_id == _EMPLOYEE_ID)
    .order_by(_completions.c.item_id)
)
_EMPLOYEE_TARGETS = (
    select(_targets.c.role_id)
    .where(_targets.c.employee_id == _EMPLOYEE_ID)
    .order_by(_targets.c.position)
)


def employee_snapshot(*, session: Session, employee_id: str) -> EmployeeSnapshot | None:
    """Read one stored employee's levels, completions, target roles and preferences.

    :return: None when there is no such employee.
    """
    connection = session.connection()
    params = {"employee_id": employee_id}
    employee = connection.execute(_EMPLOYEE_ROW, params).one_or_none()
    if employee is None:
        return None
    skills = connection.execute(_EMPLOYEE_SKILLS, params)
    completions = connection.execute(_EMPLOYEE_COMPLETIONS, params)
    targets = connection.execute(_EMPLOYEE_TARGETS, params).scalars()
    return EmployeeSnapshot(
        id=employee_id,
        skills={skill: level for skill, level in skills},
        completions=tuple(Completion(*row) for row in completions),
        target_roles=tuple(targets),
        preferences=employee.preferences or {},
    )
