"""Employee skill profiles: what makes a profile, erasing one, and listing them.

Profiles are not catalog data: writing one leaves the catalog version alone. A write records
the skill history it causes, matches the xAPI statements waiting for the employee's id or
email, and completes the plans it finishes, in its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import history, plans, xapi
from catalog.changes import record_deletion
from catalog.errors import InvalidCatalogError, RowError
from catalog.models import (
    Completion,
    Employee,
    EmployeeSkill,
    EmployeeTargetRole,
    Item,
    Role,
)
from catalog.queries import Page, changed_since, chunks, paginate
from catalog.records import (
    Changes,
    Numbered,
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


def email_key(email: str | None) -> str | None:
    """Return the form emails are compared in (lower case), or None."""
    return email.strip().lower() if email else None


def employee_state(employee: Employee) -> dict[str, Any]:
    """Return the writable fields of an employee, in the shape writes take them."""
    return {
        "display_name": employee.display_name,
        "email": employee.email,
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
            {
                "item": c.item_id,
                "completed_at": c.completed_at,
                "expires_at": c.expires_at,
                "score": c.score,
                "source": c.source,
            }
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
            "score": c.get("score"),
            "source": c.get("source"),
        }
        for c in out.get("completed") or ()
    )
    out["email"] = out.get("email")
    out["target_roles"] = list(dict.fromkeys(out.get("target_roles") or ()))
    out["preferences"] = dict(out.get("preferences") or {})
    return out


def _apply(session: Session, employee: Employee, data: Record) -> None:
    employee.display_name = data.get("display_name")
    employee.team = data.get("team")
    employee.current_role = data.get("current_role")
    employee.preferences = data["preferences"]
    # Another employee holding the email was refused before the batch (_emails_held).
    employee.email = data.get("email")
    employee.email_key = email_key(data.get("email"))
    no_repeated_skills(data["skills"], "skills")
    keys = [(c["item"], c.get("completed_at")) for c in data["completed"]]
    if len(keys) != len(set(keys)):
        raise InvalidCatalogError(
            "an item is listed twice in completed with the same completed_at", field="completed"
        )
    employee.skills = [
        EmployeeSkill(
            skill_id=r["skill"],
            level=r["level"],
            source=r.get("source") or "self",
            assessed_at=r.get("assessed_at"),
        )
        for r in data["skills"]
    ]
    # A completion kept keeps its row (and the statement that recorded it): replacing it by
    # a new row would insert the new one before deleting the old, against the unique key.
    held = {(c.item_id, c.completed_at): c for c in employee.completed}
    completed = []
    for c in data["completed"]:
        row = held.get((c["item"], c.get("completed_at")))
        if row is None:
            row = Completion(item_id=c["item"], completed_at=c.get("completed_at"))
        row.expires_at = c.get("expires_at")
        row.score = c.get("score")
        row.source = c.get("source")
        completed.append(row)
    employee.completed = completed
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


def _repeated_emails(records: Sequence[Numbered]) -> list[RowError]:
    """Name every row whose email an earlier row of the batch already gives."""
    first: dict[str, int] = {}
    errors = []
    for n, record in records:
        key = email_key(record.get("email"))
        if key is None:
            continue
        if key in first:
            message = f"email {record['email']!r} already appears in row {first[key]}"
            errors.append(RowError(n, "email", message, conflict=True))
        first.setdefault(key, n)
    return errors


def _emails_held(session: Session, records: Sequence[Record]) -> list[RowError]:
    """Name every row whose email another stored employee holds (one query per slice)."""
    wanted = {email_key(r.get("email")): (n, r) for n, r in enumerate(records, 1)}
    wanted.pop(None, None)
    errors = []
    for chunk in chunks(sorted(wanted)):
        for holder, key in session.execute(
            select(Employee.id, Employee.email_key).where(Employee.email_key.in_(chunk))
        ):
            n, record = wanted[key]
            if holder != record["id"]:
                message = f"employee {holder!r} already has the email {record['email']!r}"
                errors.append(RowError(n, "email", message, conflict=True))
    return sorted(errors, key=lambda error: error.row)


def _written(session: Session, changes: Changes) -> None:
    """Record the history a batch of profile writes causes, and what it matches and finishes."""
    history.record_changes(
        session=session,
        changes={
            ident: (
                history.evidence_of_state(before) if before is not None else None,
                history.evidence_of_state(after),
            )
            for ident, (before, after) in changes.items()
        },
        cause="profile",
    )
    xapi.match_employees(
        session=session,
        employees={ident: after.get("email") for ident, (_, after) in changes.items()},
    )
    plans.refresh_status(
        session=session,
        employee_ids=changes,
        before={
            ident: [(c["item"], c.get("completed_at")) for c in before["completed"]]
            for ident, (before, _) in changes.items()
            if before is not None
        },
    )


EMPLOYEE: RecordType[Employee] = RecordType(
    name="employee",
    model=Employee,
    state=employee_state,
    normalise=_normalised,
    apply=_apply,
    skill_fields=("skills",),
    find_skills=resolve_skill_refs,
    references=_references,
    check_batch=_repeated_emails,
    check_stored=_emails_held,
    on_written=_written,
    moves_catalog=False,
)


def get_employee(*, session: Session, employee_id: str) -> Employee | None:
    """Return the employee ``employee_id``, or None."""
    return get(session=session, record_type=EMPLOYEE, ident=employee_id)


def erase_employee(*, session: Session, employee_id: str) -> None:
    """Erase everything stored about an employee: profile, skills, completions, targets,
    skill history, xAPI statements, plans and feedback (the database cascades to them).

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
