"""Stored records read as the recommender's plain inputs: the catalog, and one employee.

Plain column selects, not ORM objects: building a few hundred thousand mapped objects (and the
garbage collector chasing them) cost ten times the model fitting at 100k items, and an
employee read per request need not load relationships it then throws away.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from catalog.db import DriverSQL, read_alone
from catalog.feedback import NO_FEEDBACK, FeedbackSets, feedback_from
from catalog.models import (
    CatalogState,
    Employee,
    EmployeeSkill,
    EmployeeTargetRole,
    Feedback,
    Item,
    ItemPrerequisite,
    ItemRequirement,
    ItemSkill,
    Role,
    RoleCompetency,
    Skill,
    SkillAlias,
)
from catalog.models import Completion as CompletionRow
from catalog.version import CATALOG_ROW
from recommender.types import CatalogItem, Competency, Completion, SkillRecord, Target


@dataclass(frozen=True, slots=True)
class CatalogSnapshot:
    """The taxonomy, every catalog item (retired ones too) and every role, sorted by id."""

    skills: list[SkillRecord]
    items: list[CatalogItem]
    roles: dict[str, Target]


@dataclass(frozen=True, slots=True)
class EmployeeSnapshot:
    """A stored employee as the recommender reads them; ``target_roles`` in the stored order.

    ``catalog_version`` is the catalog's version read in the same statement (0 before the
    first catalog write), so a request that goes on to the catalog's models need not read it
    again.
    """

    id: str
    skills: Mapping[str, int]
    completions: tuple[Completion, ...]
    target_roles: tuple[str, ...]
    preferences: Mapping[str, Any]
    feedback: FeedbackSets = NO_FEEDBACK
    catalog_version: int = 0


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


# One employee's rows in one statement, a round trip instead of six: the employee row, then
# their levels, completions, target roles and feedback, each branch of the union putting its
# columns in the few slots of its kind, and the catalog's version. Built once: a request pays
# only for the rows.
_EMPLOYEES, _SKILLS = Employee.__table__, EmployeeSkill.__table__
_COMPLETIONS, _TARGETS = CompletionRow.__table__, EmployeeTargetRole.__table__
_FEEDBACK = Feedback.__table__
_STATE = CatalogState.__table__
_EMPLOYEE, _SKILL, _COMPLETION, _TARGET, _FEEDBACK_ROW, _CATALOG_VERSION = range(6)


def _part(kind: int, where, *, name=None, text=None, number=None, dates=(None, None), prefs=None):
    """Return one branch of the employee union: ``kind``, its columns and typed NULLs elsewhere.

    :param where: the column holding the employee's id, or the branch's own condition.
    """

    def slot(column, type_):
        # Typed NULLs: PostgreSQL must know each column's type in every branch.
        return cast(null(), type_) if column is None else column

    return select(
        literal_column(str(kind), Integer).label("kind"),
        slot(name, String).label("name"),
        slot(text, String).label("text"),
        slot(number, Integer).label("number"),
        slot(dates[0], Date).label("first"),
        slot(dates[1], Date).label("second"),
        slot(prefs, JSON).label("prefs"),
    ).where(where == bindparam("employee_id") if isinstance(where, Column) else where)


_EMPLOYEE_ROWS = union_all(
    _part(_EMPLOYEE, _EMPLOYEES.c.id, prefs=_EMPLOYEES.c.preferences),
    _part(_SKILL, _SKILLS.c.employee_id, name=_SKILLS.c.skill_id, number=_SKILLS.c.level),
    _part(
        _COMPLETION,
        _COMPLETIONS.c.employee_id,
        name=_COMPLETIONS.c.item_id,
        dates=(_COMPLETIONS.c.completed_at, _COMPLETIONS.c.expires_at),
    ),
    _part(_TARGET, _TARGETS.c.employee_id, name=_TARGETS.c.role_id, number=_TARGETS.c.position),
    _part(
        _FEEDBACK_ROW, _FEEDBACK.c.employee_id, name=_FEEDBACK.c.item_id, text=_FEEDBACK.c.action
    ),
    _part(_CATALOG_VERSION, _STATE.c.id == CATALOG_ROW, number=_STATE.c.version),
).order_by("kind", "number", "name")


@dataclass(frozen=True, slots=True)
class _DriverStatement:
    """The employee statement as one dialect's SQL, and how to bind an employee's id to it."""

    sql: str
    names: tuple[str, ...]  # the parameters in order (positional dialects), or ()
    constants: Mapping[str, Any]  # the values bound at build time (the catalog row's id)

    def bound(self, employee_id: str) -> DriverSQL:
        """Return the SQL and the driver's parameters for one employee."""
        values = {**self.constants, "employee_id": employee_id}
        return self.sql, tuple(values[name] for name in self.names) if self.names else values


_DRIVER_STATEMENTS: dict[tuple[str, str], _DriverStatement] = {}


def _driver_statement(dialect: Dialect) -> _DriverStatement:
    """Compile the employee statement once per dialect.

    Executing the statement object makes SQLAlchemy derive its cache key from the whole union
    on every call, and run a type processor on every value of every row: most of the
    statement's time on SQLite, where the query itself takes tens of microseconds. The
    compiled SQL is run as it is, and :func:`_date` and :func:`_document` convert the few
    values the driver does not give as Python's types.
    """
    key = (dialect.name, dialect.paramstyle)
    found = _DRIVER_STATEMENTS.get(key)
    if found is None:
        compiled = _EMPLOYEE_ROWS.compile(dialect=dialect)
        constants = compiled.construct_params({"employee_id": None})
        constants.pop("employee_id")
        found = _DRIVER_STATEMENTS[key] = _DriverStatement(
            sql=compiled.string,
            names=tuple(compiled.positiontup or ()),
            constants=constants,
        )
    return found


def _date(value: Any) -> dt.date | None:
    """Return a date column's value as a date: SQLite's driver gives the ISO text it stores."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _document(value: Any) -> Any:
    """Return a JSON column's value decoded: SQLite's driver gives its text."""
    return json.loads(value) if isinstance(value, str) else value


def employee_snapshot(*, session: Session, employee_id: str) -> EmployeeSnapshot | None:
    """Read one stored employee's levels, completions, target roles, preferences and feedback.

    :return: None when there is no such employee.
    """
    rows = read_alone(session, lambda dialect: _driver_statement(dialect).bound(employee_id))
    if not rows or rows[0][0] != _EMPLOYEE:
        return None
    skills: dict[str, int] = {}
    completions, targets, feedback = [], [], []
    catalog_version = 0
    for kind, name, text, number, first, second, _ in rows[1:]:
        if kind == _CATALOG_VERSION:
            catalog_version = number or 0
        elif kind == _SKILL:
            skills[name] = number
        elif kind == _COMPLETION:
            completions.append(Completion(name, _date(first), _date(second)))
        elif kind == _TARGET:
            targets.append(name)
        else:
            feedback.append((name, text))
    return EmployeeSnapshot(
        id=employee_id,
        skills=skills,
        completions=tuple(completions),
        target_roles=tuple(targets),
        preferences=_document(rows[0][6]) or {},
        feedback=feedback_from(feedback),
        catalog_version=catalog_version,
    )
