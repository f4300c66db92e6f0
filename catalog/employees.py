"""Employee skill profiles: what makes a profile, erasing one, and listing them.

Profiles are not catalog data: writing one leaves the catalog version alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.changes import record_deletion
from catalog.errors import InvalidCatalogError
from catalog.models import (
    Completion,
    Employee,
    EmployeeSkill,
    EmployeeTargetRole,
    Item,
    Role,
)
from catalog.queries import Page, changed_since, paginate
from catalog.records import (
    Record,
    RecordType,
    Reference,
    by_skill,
    get,
    get_or_raise,
    no_repeated_skills,
)
from catalog.skills import resolve_skill_refs


def _by_completion(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    # Undated completions first, then by date, then by item: the same on every database.
    return sorted(
        rows, key=lambda c: (c["completed_at"] is not None, c["completed_at"] or 0, c["item"])
    )


def employee_state(employee: Employee) -> dict[str, Any]:
    """Return the writable fields of an employee, in the shape writes take them."""
    return {
        "display_name": employee.display_name,
        "team": employee.team,
        "current_role": employee.current_role,
        "target_roles": list(employee.target_roles),
        "skills": by_skill(
            {
                "skill": s.skill_id,
                "level": s.level,
                "source": s.source,
                "assessed_at": s.assessed_at,
            }
            for s in employee.skills
        ),
        "completed": _by_completion(
            {"item": c.item_id, "completed_at": c.completed_at, "expires_at": c.expires_at}
            for c in employee.completed
        ),
        "preferences": dict(employee.preferences or {}),
    }


def _normalised(record: Record, skill_ids: Mapping[str, str]) -> dict[str, Any]:
    out = dict(record)
    out.pop("id", None)
    out["skills"] = by_skill(
        {
            "skill": skill_ids[r["skill"]],
            "level": r["level"],
            "source": r.get("source") or "self",
            "assessed_at": r.get("assessed_at"),
        }
        for r in out.get("skills") or ()
    )
    out["completed"] = _by_completion(
        {
            "item": c["item"],
            "completed_at": c.get("completed_at"),
            "expires_at": c.get("expires_at"),
        }
        for c in out.get("completed") or ()
    )
    out["target_roles"] = list(dict.fromkeys(out.get("target_roles") or ()))
    out["preferences"] = dict(out.get("preferences") or {})
    return out


def _apply(session: Session, employee: Employee, data: Record) -> None:
    employee.display_name = data.get("display_name")
    employee.team = data.get("team")
    employee.current_role = data.get("current_role")
    employee.preferences = data["preferences"]
    no_repeated_skills(data["skills"], "skills")
    items = [c["item"] for c in data["completed"]]
    if len(items) != len(set(items)):
        raise InvalidCatalogError("an item is listed twice in completed", field="completed")
    employee.skills = [
        EmployeeSkill(
            skill_id=r["skill"],
            level=r["level"],
            source=r.get("source") or "self",
            assessed_at=r.get("assessed_at"),
        )
        for r in data["skills"]
    ]
    employee.completed = [
        Completion(
            item_id=c["item"], completed_at=c.get("completed_at"), expires_at=c.get("expires_at")
        )
        for c in data["completed"]
    ]
    employee.target_rows = [
        EmployeeTargetRole(role_id=role_id, position=position)
        for position, role_id in enumerate(data["target_roles"])
    ]


def _references(record: Record) -> Iterable[Reference]:
    for n, row in enumerate(record.get("completed") or ()):
        yield Reference(Item, "item", f"completed[{n}].item", row["item"])
    if record.get("current_role"):
        yield Reference(Role, "role", "current_role", record["current_role"])
    for n, ident in enumerate(record.get("target_roles") or ()):
        yield Reference(Role, "role", f"target_roles[{n}]", ident)


EMPLOYEE: RecordType[Employee] = RecordType(
    name="employee",
    model=Employee,
    state=employee_state,
    normalise=_normalised,
    apply=_apply,
    skill_fields=("skills",),
    find_skills=resolve_skill_refs,
    references=_references,
    moves_catalog=False,
)


def get_employee(*, session: Session, employee_id: str) -> Employee | None:
    """Return the employee ``employee_id``, or None."""
    return get(session=session, record_type=EMPLOYEE, ident=employee_id)


def erase_employee(*, session: Session, employee_id: str) -> None:
    """Erase everything stored about an employee: profile, skills, completions, targets.

    :raise NotFoundError: there is no such employee.
    """
    employee = get_or_raise(session=session, record_type=EMPLOYEE, ident=employee_id)
    session.delete(employee)
    record_deletion(session=session, record_type="employee", record_id=employee_id)
    session.flush()


def list_employees(
    *,
    session: Session,
    page: int,
    page_size: int,
    team: str | None = None,
    role: str | None = None,
    updated_since: dt.datetime | None = None,
    after_id: str | None = None,
) -> Page[Employee]:
    """List employees by id, filtered by team and by current role.

    With ``updated_since``, only employees changed since then, in the order they changed.
    """
    query = select(Employee).order_by(Employee.id)
    if team:
        query = query.where(Employee.team == team)
    if role:
        query = query.where(Employee.current_role == role)
    query = changed_since(
        query, updated_at=Employee.updated_at, key=Employee.id, since=updated_since, after=after_id
    )
    return paginate(session, query, page=page, page_size=page_size)
