"""Role profiles: what makes a role, deleting one, and listing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from catalog.changes import record_deletion
from catalog.errors import ConflictError
from catalog.models import Employee, EmployeeTargetRole, Role, RoleCompetency, RoleTitle
from catalog.queries import LIKE_ESCAPE, Page, changed_since, contains, paginate
from catalog.records import Record, RecordType, by_skill, get, get_or_raise, no_repeated_skills
from catalog.skills import resolve_skill_refs
from catalog.version import bump_catalog_version


def role_state(role: Role) -> dict[str, Any]:
    """Return the writable fields of a role, in the shape writes take them."""
    return {
        "title": role.title,
        "description": role.description,
        "family": role.family,
        "alternate_titles": list(role.alternate_titles),
        "external_ids": dict(role.external_ids or {}),
        "competencies": by_skill(
            {"skill": c.skill_id, "level": c.level, "weight": c.weight} for c in role.competencies
        ),
    }


def _normalised(record: Record, skill_ids: Mapping[str, str]) -> dict[str, Any]:
    out = dict(record)
    out.pop("id", None)
    out["competencies"] = by_skill(
        {"skill": skill_ids[r["skill"]], "level": r["level"], "weight": r["weight"]}
        for r in out.get("competencies") or ()
    )
    out["alternate_titles"] = list(dict.fromkeys(out.get("alternate_titles") or ()))
    out["external_ids"] = dict(out.get("external_ids") or {})
    return out


def _apply(session: Session, role: Role, data: Record) -> None:
    role.title = data["title"]
    role.description = data.get("description")
    role.family = data.get("family")
    role.external_ids = data["external_ids"]
    no_repeated_skills(data["competencies"], "competencies")
    role.competencies = [
        RoleCompetency(skill_id=r["skill"], level=r["level"], weight=r["weight"])
        for r in data["competencies"]
    ]
    role.title_rows = [
        RoleTitle(title=title, position=position)
        for position, title in enumerate(data["alternate_titles"])
    ]


ROLE: RecordType[Role] = RecordType(
    name="role",
    model=Role,
    state=role_state,
    normalise=_normalised,
    apply=_apply,
    skill_fields=("competencies",),
    find_skills=resolve_skill_refs,
)


def get_role(*, session: Session, role_id: str) -> Role | None:
    """Return the role ``role_id``, or None."""
    return get(session=session, record_type=ROLE, ident=role_id)


def delete_role(*, session: Session, role_id: str) -> None:
    """Delete a role no employee holds or targets.

    :raise NotFoundError: there is no such role.
    :raise ConflictError: an employee holds or targets it.
    """
    role = get_or_raise(session=session, record_type=ROLE, ident=role_id)
    holders = session.scalar(select(func.count()).where(Employee.current_role == role_id))
    targets = session.scalar(select(func.count()).where(EmployeeTargetRole.role_id == role_id))
    if holders or targets:
        raise ConflictError(
            f"role {role_id!r} is still in use: {holders} employees hold it, {targets} target it"
        )
    session.delete(role)
    record_deletion(session=session, record_type="role", record_id=role_id)
    bump_catalog_version(session=session, record_type="role", deleted=[role_id])


def list_roles(
    *,
    session: Session,
    page: int,
    page_size: int,
    q: str | None = None,
    family: str | None = None,
    updated_since: dt.datetime | None = None,
    after_id: str | None = None,
) -> Page[Role]:
    """List roles by id, filtered by a query over titles and alternate titles, and by family.

    With ``updated_since``, only roles changed since then, in the order they changed.
    """
    query = select(Role).order_by(Role.id)
    if q:
        pattern = contains(q.casefold())
        titled = select(RoleTitle.role_id).where(
            func.lower(RoleTitle.title).like(pattern, escape=LIKE_ESCAPE)
        )
        query = query.where(
            or_(
                func.lower(Role.id).like(pattern, escape=LIKE_ESCAPE),
                func.lower(Role.title).like(pattern, escape=LIKE_ESCAPE),
                Role.id.in_(titled),
            )
        )
    if family:
        query = query.where(func.lower(Role.family) == family.casefold())
    query = changed_since(
        query, updated_at=Role.updated_at, key=Role.id, since=updated_since, after=after_id
    )
    return paginate(session, query, page=page, page_size=page_size)
