"""Reads and writes of the domain data; keyword-only functions over a SQLAlchemy session.

Write functions take plain dicts in the shape of the public API (already checked for types and
bounds by the caller) and raise :mod:`catalog.errors` for anything the data itself gets wrong.
Every taxonomy, catalog or role write bumps the catalog version in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from catalog.errors import (
    ConflictError,
    ImportRowsError,
    InvalidCatalogError,
    NotFoundError,
    RecordError,
    RowError,
    UnknownSkillError,
)
from catalog.models import (
    ApiKey,
    CatalogState,
    Completion,
    Employee,
    EmployeeSkill,
    EmployeeTargetRole,
    Item,
    ItemPrerequisite,
    ItemRequirement,
    ItemSkill,
    Role,
    RoleCompetency,
    RoleTitle,
    Skill,
    SkillAlias,
    utcnow,
)
from catalog.vocabulary import MAX_KEY_LENGTH
from recommender.text import name_key

# SQL engines cap the number of bound parameters; look ids up in slices of this size.
IN_CHUNK = 500


def _chunks(values: Sequence[str], size: int = IN_CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class Page:
    """One page of a listing and the total number of matches."""

    items: list[Any]
    total: int


def _paginate(session: Session, query: Select, *, page: int, page_size: int) -> Page:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    offset = (page - 1) * page_size
    if offset >= total:
        # Past the last page; also keeps absurd page numbers from overflowing SQL integers.
        return Page(items=[], total=total)
    rows = session.scalars(query.limit(page_size).offset(offset)).all()
    return Page(items=list(rows), total=total)


def _like(text: str) -> str:
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# -- catalog version ---------------------------------------------------------------------------


def get_catalog_version(*, session: Session) -> int:
    """Return the current catalog version (0 before the first catalog write)."""
    return session.scalar(select(CatalogState.version).where(CatalogState.id == 1)) or 0


def bump_catalog_version(*, session: Session) -> None:
    """Move the catalog version on, in the caller's transaction."""
    result = session.execute(
        update(CatalogState).where(CatalogState.id == 1).values(version=CatalogState.version + 1)
    )
    if result.rowcount == 0:
        session.add(CatalogState(id=1, version=1))
    session.flush()


# -- reference resolution ----------------------------------------------------------------------


def resolve_skill_refs(
    *, session: Session, refs: Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """Map skill references (id, or exact name or alias, any case) to skill ids.

    :return: the mapping of every resolved reference, and the unresolved ones in input order.
    """
    wanted = list(dict.fromkeys(refs))
    found: dict[str, str] = {}
    for chunk in _chunks(wanted):
        found.update(
            (sid, sid) for sid in session.scalars(select(Skill.id).where(Skill.id.in_(chunk)))
        )
    rest = [ref for ref in wanted if ref not in found]
    by_key: dict[str, list[str]] = {}
    for ref in rest:
        by_key.setdefault(name_key(ref), []).append(ref)
    keys = list(by_key)
    for chunk in _chunks(keys):
        for sid, key in session.execute(
            select(Skill.id, Skill.name_key).where(Skill.name_key.in_(chunk))
        ):
            for ref in by_key.pop(key, []):
                found[ref] = sid
    keys = list(by_key)
    for chunk in _chunks(keys):
        hits: dict[str, set[str]] = {}
        rows = session.execute(
            select(SkillAlias.skill_id, SkillAlias.alias_key).where(SkillAlias.alias_key.in_(chunk))
        )
        for sid, key in rows:
            hits.setdefault(key, set()).add(sid)
        for key, sids in hits.items():
            # An alias two skills share names neither of them: the caller must say which.
            if len(sids) == 1:
                for ref in by_key.pop(key, []):
                    found[ref] = next(iter(sids))
    unknown = [ref for ref in wanted if ref not in found]
    return found, unknown


def _existing_ids(session: Session, model: type, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    present: set[str] = set()
    for chunk in _chunks(wanted):
        present.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
    return present


def _no_repeated_skills(rows: Sequence[Mapping[str, Any]], field: str) -> None:
    seen: set[str] = set()
    for row in rows:
        if row["skill"] in seen:
            raise InvalidCatalogError(f"skill {row['skill']!r} is listed twice", field=field)
        seen.add(row["skill"])


# The fields of each record kind that list ``{"skill": ..., ...}`` rows.
SKILL_FIELDS: dict[str, tuple[str, ...]] = {
    "item": ("skills", "prerequisites"),
    "role": ("competencies",),
    "employee": ("skills",),
}


def skill_refs_of(kind: str, data: Mapping[str, Any]) -> list[str]:
    """Return every skill reference a record of ``kind`` makes, in order."""
    return [row["skill"] for name in SKILL_FIELDS.get(kind, ()) for row in data.get(name) or ()]


def with_skill_ids(kind: str, data: Mapping[str, Any], mapping: Mapping[str, str]) -> dict:
    """Return ``data`` with each skill reference that ``mapping`` knows replaced by its id."""
    out = dict(data)
    for name in SKILL_FIELDS.get(kind, ()):
        if name in out:
            out[name] = [
                {**row, "skill": mapping.get(row["skill"], row["skill"])} for row in out[name]
            ]
    return out


# -- state snapshots (what a write would change) ------------------------------------------------


def _by_skill(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: r["skill"])


def _by_completion(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    # Undated completions first, then by date, then by item: the same on every database.
    return sorted(
        rows, key=lambda c: (c["completed_at"] is not None, c["completed_at"] or 0, c["item"])
    )


def skill_state(skill: Skill) -> dict[str, Any]:
    """Return the writable fields of a skill, in the shape writes take them."""
    return {
        "name": skill.name,
        "aliases": list(skill.aliases),
        "category": skill.category,
        "description": skill.description,
        "external_ids": dict(skill.external_ids or {}),
    }


def item_state(item: Item) -> dict[str, Any]:
    """Return the writable fields of an item, in the shape writes take them."""
    return {
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "provider": item.provider,
        "url": item.url,
        "language": item.language,
        "modality": item.modality,
        "duration_hours": item.duration_hours,
        "cost": item.cost,
        "currency": item.currency,
        "skills": _by_skill({"skill": r.skill_id, "level": r.level} for r in item.skills),
        "prerequisites": _by_skill(
            {"skill": r.skill_id, "level": r.level} for r in item.prerequisites
        ),
        "requires_items": sorted(item.requires_items),
        "valid_months": item.valid_months,
        "active": item.active,
    }


def role_state(role: Role) -> dict[str, Any]:
    """Return the writable fields of a role, in the shape writes take them."""
    return {
        "title": role.title,
        "description": role.description,
        "family": role.family,
        "alternate_titles": list(role.alternate_titles),
        "external_ids": dict(role.external_ids or {}),
        "competencies": _by_skill(
            {"skill": c.skill_id, "level": c.level, "weight": c.weight} for c in role.competencies
        ),
    }


def employee_state(employee: Employee) -> dict[str, Any]:
    """Return the writable fields of an employee, in the shape writes take them."""
    return {
        "display_name": employee.display_name,
        "team": employee.team,
        "current_role": employee.current_role,
        "target_roles": list(employee.target_roles),
        "skills": _by_skill(
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


def _normalised(kind: str, data: Mapping[str, Any], refs: Mapping[str, str]) -> dict[str, Any]:
    """Return ``data`` as its state snapshot would read once written (ids resolved, sorted)."""
    out = dict(data)
    out.pop("id", None)
    if kind == "skill":
        seen = {name_key(out["name"])}
        aliases = []
        for alias in out.get("aliases") or ():
            if name_key(alias) not in seen:
                seen.add(name_key(alias))
                aliases.append(alias)
        out["aliases"] = aliases
        out["external_ids"] = dict(out.get("external_ids") or {})
    elif kind == "item":
        for name in ("skills", "prerequisites"):
            out[name] = _by_skill(
                {"skill": refs[r["skill"]], "level": r["level"]} for r in out.get(name) or ()
            )
        out["requires_items"] = sorted(set(out.get("requires_items") or ()))
    elif kind == "role":
        rows = out.get("competencies") or ()
        out["competencies"] = _by_skill(
            {"skill": refs[r["skill"]], "level": r["level"], "weight": r["weight"]} for r in rows
        )
        out["alternate_titles"] = list(dict.fromkeys(out.get("alternate_titles") or ()))
        out["external_ids"] = dict(out.get("external_ids") or {})
    elif kind == "employee":
        rows = out.get("skills") or ()
        out["skills"] = _by_skill(
            {
                "skill": refs[r["skill"]],
                "level": r["level"],
                "source": r.get("source") or "self",
                "assessed_at": r.get("assessed_at"),
            }
            for r in rows
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


# -- applying a record to a row -------------------------------------------------------------------


def _checked_key(text: str, field: str) -> str:
    """Return the lookup key of a name or alias, refusing one too long to store."""
    key = name_key(text)
    if len(key) > MAX_KEY_LENGTH:
        message = f"{field} is longer than {MAX_KEY_LENGTH} characters once normalised"
        raise InvalidCatalogError(message, field=field)
    return key


def _apply_skill(session: Session, skill: Skill, data: Mapping[str, Any]) -> None:
    key = _checked_key(data["name"], "name")
    clash = session.scalar(select(Skill.id).where(Skill.name_key == key, Skill.id != skill.id))
    if clash is not None:
        raise ConflictError(f"skill {clash!r} already has the name {data['name']!r}")
    skill.name = data["name"]
    skill.name_key = key
    skill.category = data.get("category")
    skill.description = data.get("description")
    skill.external_ids = dict(data.get("external_ids") or {})
    skill.alias_rows = [
        SkillAlias(alias=alias, alias_key=_checked_key(alias, "aliases"), position=position)
        for position, alias in enumerate(data["aliases"])
    ]


def _apply_item(session: Session, item: Item, data: Mapping[str, Any]) -> None:
    for name in (
        "kind",
        "title",
        "description",
        "provider",
        "url",
        "language",
        "modality",
        "duration_hours",
        "cost",
        "currency",
        "valid_months",
        "active",
    ):
        setattr(item, name, data.get(name))
    _no_repeated_skills(data["skills"], "skills")
    _no_repeated_skills(data["prerequisites"], "prerequisites")
    if item.id in data["requires_items"]:
        raise InvalidCatalogError("an item cannot require itself", field="requires_items")
    item.skills = [ItemSkill(skill_id=r["skill"], level=r["level"]) for r in data["skills"]]
    item.prerequisites = [
        ItemPrerequisite(skill_id=r["skill"], level=r["level"]) for r in data["prerequisites"]
    ]
    item.requirement_rows = [ItemRequirement(required_item_id=i) for i in data["requires_items"]]


def _apply_role(session: Session, role: Role, data: Mapping[str, Any]) -> None:
    role.title = data["title"]
    role.description = data.get("description")
    role.family = data.get("family")
    role.external_ids = data["external_ids"]
    _no_repeated_skills(data["competencies"], "competencies")
    role.competencies = [
        RoleCompetency(skill_id=r["skill"], level=r["level"], weight=r["weight"])
        for r in data["competencies"]
    ]
    role.title_rows = [
        RoleTitle(title=title, position=position)
        for position, title in enumerate(data["alternate_titles"])
    ]


def _apply_employee(session: Session, employee: Employee, data: Mapping[str, Any]) -> None:
    employee.display_name = data.get("display_name")
    employee.team = data.get("team")
    employee.current_role = data.get("current_role")
    employee.preferences = data["preferences"]
    _no_repeated_skills(data["skills"], "skills")
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


@dataclass(frozen=True)
class _Kind:
    model: type
    state: Any
    apply: Any
    bumps_catalog: bool


KINDS: dict[str, _Kind] = {
    "skill": _Kind(Skill, skill_state, _apply_skill, True),
    "item": _Kind(Item, item_state, _apply_item, True),
    "role": _Kind(Role, role_state, _apply_role, True),
    "employee": _Kind(Employee, employee_state, _apply_employee, False),
}


def _reference_paths(kind: str, record: Mapping[str, Any]) -> Iterable[tuple[str, str, str]]:
    """Yield ``(what, field path, reference)`` for every reference a record makes."""
    for name in SKILL_FIELDS.get(kind, ()):
        for n, row in enumerate(record.get(name) or ()):
            yield "skill", f"{name}[{n}].skill", row["skill"]
    if kind == "item":
        for n, ref in enumerate(record.get("requires_items") or ()):
            yield "item", f"requires_items[{n}]", ref
    elif kind == "employee":
        for n, row in enumerate(record.get("completed") or ()):
            yield "item", f"completed[{n}].item", row["item"]
        if record.get("current_role"):
            yield "role", "current_role", record["current_role"]
        for n, ref in enumerate(record.get("target_roles") or ()):
            yield "role", f"target_roles[{n}]", ref


def _reference_errors(
    session: Session, kind: str, records: Sequence[Mapping[str, Any]], refs: Mapping[str, str]
) -> list[RowError]:
    """Name every reference, row by row, that matches nothing stored and nothing in the batch."""
    paths = [(n, *p) for n, record in enumerate(records, 1) for p in _reference_paths(kind, record)]
    batch = {r["id"] for r in records}
    known = {
        "item": _existing_ids(session, Item, (ref for _, what, _, ref in paths if what == "item")),
        "role": _existing_ids(session, Role, (ref for _, what, _, ref in paths if what == "role")),
    }
    if kind in known:
        known[kind] |= batch
    errors = []
    for row, what, field, ref in paths:
        if what == "skill" and ref not in refs:
            errors.append(RowError(row, field, f"unknown skill {ref!r}", unknown_skill=ref))
        elif what != "skill" and ref not in known[what]:
            errors.append(RowError(row, field, f"unknown {what} {ref!r}"))
    return errors


def _repeated_names(records: Sequence[Mapping[str, Any]]) -> list[RowError]:
    """Name the skill rows of a batch that repeat an earlier row's name."""
    first: dict[str, int] = {}
    errors = []
    for n, record in enumerate(records, 1):
        key = name_key(record["name"])
        if key in first:
            message = f"name {record['name']!r} is already used in row {first[key]}"
            errors.append(RowError(n, "name", message))
        first.setdefault(key, n)
    return errors


def _requirement_cycle(session: Session) -> tuple[str, str] | None:
    """Return two items on a cycle of the flushed ``requires_items`` relation, or None."""
    edges: dict[str, list[str]] = {}
    for item_id, required in session.execute(
        select(ItemRequirement.item_id, ItemRequirement.required_item_id)
    ):
        edges.setdefault(item_id, []).append(required)
    state: dict[str, int] = {}
    for root in sorted(edges):
        if state.get(root):
            continue
        stack = [(root, iter(edges.get(root, ())))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                return node, child
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges.get(child, ()))))
    return None


def put(*, session: Session, kind: str, ident: str, data: Mapping[str, Any]) -> tuple[Any, bool]:
    """Create or replace the ``kind`` record ``ident`` with ``data``.

    :return: the stored row and whether it was created.
    :raise ConflictError: the record clashes with another one (a skill name already taken).
    :raise RecordError: the record names unknown skills, items or roles, or breaks a rule.
    """
    try:
        report = upsert_many(session=session, kind=kind, records=[{**data, "id": ident}])
    except ImportRowsError as exc:
        if all(error.conflict for error in exc.errors):
            raise ConflictError("; ".join(error.message for error in exc.errors)) from None
        raise RecordError(exc.errors) from None
    row = session.get(KINDS[kind].model, ident)
    return row, bool(report.created)


@dataclass
class UpsertReport:
    """What a batch of upserts did, by id."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]


def upsert_many(
    *, session: Session, kind: str, records: Sequence[Mapping[str, Any]]
) -> UpsertReport:
    """Create or replace many ``kind`` records (each with its ``id``) in the caller's transaction.

    References may point at other records of the same batch. Nothing is committed here, and
    on any error the caller must roll back.

    :raise ImportRowsError: naming every bad row (rows count from 1).
    """
    spec = KINDS[kind]
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for n, record in enumerate(records, 1):
        if record["id"] in first_row:
            message = f"id {record['id']!r} already appears in row {first_row[record['id']]}"
            errors.append(RowError(n, "id", message))
        first_row.setdefault(record["id"], n)
    if kind == "skill":
        errors += _repeated_names(records)
    refs, _ = resolve_skill_refs(
        session=session, refs=[ref for r in records for ref in skill_refs_of(kind, r)]
    )
    errors += _reference_errors(session, kind, records, refs)
    if errors:
        raise ImportRowsError(errors)
    existing: dict[str, Any] = {}
    for chunk in _chunks(list(first_row)):
        query = select(spec.model).where(spec.model.id.in_(chunk))
        existing.update((row.id, row) for row in session.scalars(query))
    report = UpsertReport(created=[], updated=[], unchanged=[])
    with session.no_autoflush:
        for n, record in enumerate(records, 1):
            data = _normalised(kind, record, refs)
            row = existing.get(record["id"])
            if row is not None and spec.state(row) == data:
                report.unchanged.append(record["id"])
                continue
            created = row is None
            if created:
                row = spec.model(id=record["id"])
            try:
                spec.apply(session, row, data)
            except (ConflictError, InvalidCatalogError) as exc:
                conflict = isinstance(exc, ConflictError)
                errors.append(RowError(n, getattr(exc, "field", None), str(exc), conflict=conflict))
                continue
            if created:
                session.add(row)
                report.created.append(record["id"])
            else:
                # A change to aliases, skills or completions alone touches only child rows.
                row.updated_at = utcnow()
                report.updated.append(record["id"])
    if errors:
        raise ImportRowsError(errors)
    # Rows go in first, then their links, so references inside one batch resolve in any order.
    session.flush()
    if kind == "item" and (report.created or report.updated):
        cycle = _requirement_cycle(session)
        if cycle:
            node, child = cycle
            message = f"requires_items would form a cycle through {node!r} and {child!r}"
            raise ImportRowsError([RowError(first_row.get(node, 1), "requires_items", message)])
    if spec.bumps_catalog and (report.created or report.updated):
        bump_catalog_version(session=session)
    return report


def merged_with_stored_skills(
    *, session: Session, records: Sequence[Mapping[str, Any]], max_aliases: int = 50
) -> list[dict[str, Any]]:
    """Return skill records that keep what stored skills of the same id already know.

    For importers that enrich a taxonomy from several sources: a stored skill keeps its name,
    category and description (filled in only where empty), and gains the record's external ids
    and aliases. So sources never overwrite each other, and re-running any of them is a no-op.
    """
    stored: dict[str, Skill] = {}
    ids = [r["id"] for r in records]
    for chunk in _chunks(ids):
        stored.update((s.id, s) for s in session.scalars(select(Skill).where(Skill.id.in_(chunk))))
    merged = []
    for record in records:
        skill = stored.get(record["id"])
        if skill is None:
            merged.append(dict(record))
            continue
        aliases = list(skill.aliases)
        if name_key(record["name"]) != skill.name_key:
            aliases.append(record["name"])
        keys = {name_key(a) for a in aliases} | {skill.name_key}
        for alias in record.get("aliases") or ():
            if name_key(alias) not in keys and len(aliases) < max_aliases:
                aliases.append(alias)
                keys.add(name_key(alias))
        merged.append(
            {
                **record,
                "name": skill.name,
                "aliases": aliases[:max_aliases],
                "category": skill.category or record.get("category"),
                "description": skill.description or record.get("description"),
                "external_ids": {
                    **(skill.external_ids or {}),
                    **(record.get("external_ids") or {}),
                },
            }
        )
    return merged


def create(*, session: Session, kind: str, ident: str, data: Mapping[str, Any]) -> Any:
    """Create a new ``kind`` record; a taken id is a :class:`ConflictError`."""
    if session.get(KINDS[kind].model, ident) is not None:
        raise ConflictError(f"{kind} {ident!r} already exists; PUT /{kind}s/{ident} replaces it")
    row, _ = put(session=session, kind=kind, ident=ident, data=data)
    return row


def get(*, session: Session, kind: str, ident: str) -> Any | None:
    """Return the ``kind`` record ``ident``, or None."""
    return session.get(KINDS[kind].model, ident)


def get_or_raise(*, session: Session, kind: str, ident: str) -> Any:
    """Return the ``kind`` record ``ident``; raise :class:`NotFoundError` if there is none."""
    row = get(session=session, kind=kind, ident=ident)
    if row is None:
        raise NotFoundError(kind, ident)
    return row


# -- deletes ------------------------------------------------------------------------------------


def delete_skill(*, session: Session, skill_id: str) -> None:
    """Delete a skill that nothing references any more."""
    skill = get_or_raise(session=session, kind="skill", ident=skill_id)
    users = []
    for model, what in (
        (ItemSkill, "items teach it"),
        (ItemPrerequisite, "items require it"),
        (RoleCompetency, "roles demand it"),
        (EmployeeSkill, "employee profiles list it"),
    ):
        count = session.scalar(select(func.count()).where(model.skill_id == skill_id))
        if count:
            users.append(f"{count} {what}")
    if users:
        raise ConflictError(f"skill {skill_id!r} is still in use: {', '.join(users)}")
    session.delete(skill)
    bump_catalog_version(session=session)


def retire_item(*, session: Session, item_id: str) -> Item:
    """Retire an item: it stays for the completions that point at it, and is never recommended."""
    item = get_or_raise(session=session, kind="item", ident=item_id)
    if item.active:
        item.active = False
        bump_catalog_version(session=session)
    return item


def delete_role(*, session: Session, role_id: str) -> None:
    """Delete a role no employee holds or targets."""
    role = get_or_raise(session=session, kind="role", ident=role_id)
    holders = session.scalar(select(func.count()).where(Employee.current_role == role_id))
    targets = session.scalar(select(func.count()).where(EmployeeTargetRole.role_id == role_id))
    if holders or targets:
        raise ConflictError(
            f"role {role_id!r} is still in use: {holders} employees hold it, {targets} target it"
        )
    session.delete(role)
    bump_catalog_version(session=session)


def erase_employee(*, session: Session, employee_id: str) -> None:
    """Erase everything stored about an employee: profile, skills, completions, targets."""
    employee = get_or_raise(session=session, kind="employee", ident=employee_id)
    session.delete(employee)
    session.flush()


# -- listings -----------------------------------------------------------------------------------


def list_skills(
    *,
    session: Session,
    q: str | None = None,
    category: str | None = None,
    page: int,
    page_size: int,
) -> Page:
    """List skills by id, filtered by a text query (id, name, alias) and category.

    The query matches as a substring of the id or of a name's or an alias's lookup key.
    """
    query = select(Skill).order_by(Skill.id)
    if q:
        pattern = _like(name_key(q))
        aliased = select(SkillAlias.skill_id).where(SkillAlias.alias_key.like(pattern, escape="\\"))
        query = query.where(
            or_(
                func.lower(Skill.id).like(pattern, escape="\\"),
                Skill.name_key.like(pattern, escape="\\"),
                Skill.id.in_(aliased),
            )
        )
    if category:
        query = query.where(func.lower(Skill.category) == category.casefold())
    return _paginate(session, query, page=page, page_size=page_size)


def list_items(
    *,
    session: Session,
    page: int,
    page_size: int,
    skill: str | None = None,
    kind: str | None = None,
    modality: str | None = None,
    language: str | None = None,
    active: bool | None = None,
    q: str | None = None,
) -> Page:
    """List catalog items by id with the API's filters; ``skill`` may be an id, name or alias."""
    query = select(Item).order_by(Item.id)
    if skill:
        refs, unknown = resolve_skill_refs(session=session, refs=[skill])
        if unknown:
            raise UnknownSkillError(unknown, field="skill")
        query = query.where(
            Item.id.in_(select(ItemSkill.item_id).where(ItemSkill.skill_id == refs[skill]))
        )
    for column, value in ((Item.kind, kind), (Item.modality, modality), (Item.language, language)):
        if value:
            query = query.where(column == value)
    if active is not None:
        query = query.where(Item.active == active)
    if q:
        pattern = _like(q)
        query = query.where(
            or_(
                func.lower(Item.title).like(pattern, escape="\\"),
                func.lower(Item.description).like(pattern, escape="\\"),
                func.lower(Item.provider).like(pattern, escape="\\"),
            )
        )
    return _paginate(session, query, page=page, page_size=page_size)


def list_roles(
    *, session: Session, page: int, page_size: int, q: str | None = None, family: str | None = None
) -> Page:
    """List roles by id, filtered by a query over titles and alternate titles, and by family."""
    query = select(Role).order_by(Role.id)
    if q:
        pattern = _like(q)
        titled = select(RoleTitle.role_id).where(
            func.lower(RoleTitle.title).like(pattern, escape="\\")
        )
        query = query.where(
            or_(
                func.lower(Role.id).like(pattern, escape="\\"),
                func.lower(Role.title).like(pattern, escape="\\"),
                Role.id.in_(titled),
            )
        )
    if family:
        query = query.where(func.lower(Role.family) == family.casefold())
    return _paginate(session, query, page=page, page_size=page_size)


def list_employees(
    *, session: Session, page: int, page_size: int, team: str | None = None, role: str | None = None
) -> Page:
    """List employees by id, filtered by team and by current role."""
    query = select(Employee).order_by(Employee.id)
    if team:
        query = query.where(Employee.team == team)
    if role:
        query = query.where(Employee.current_role == role)
    return _paginate(session, query, page=page, page_size=page_size)


# -- API keys ----------------------------------------------------------------------------------

KEY_PREFIX = "sk_"


def hash_secret(secret: str) -> str:
    """Return the hex SHA-256 of an API key secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(*, session: Session, name: str, scopes: Sequence[str]) -> tuple[ApiKey, str]:
    """Create an API key; the secret is returned once and only its hash is stored."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name, prefix=secret[:10], secret_hash=hash_secret(secret), scopes=sorted(set(scopes))
    )
    session.add(key)
    session.flush()
    return key, secret


def authenticate(*, session: Session, secret: str) -> ApiKey | None:
    """Return the live API key whose secret this is, or None."""
    digest = hash_secret(secret)
    key = session.scalar(select(ApiKey).where(ApiKey.secret_hash == digest))
    if key is None or key.revoked_at is not None:
        return None
    # The lookup is by hash already; compare again in constant time so no branch depends on
    # how much of a guessed hash matched.
    return key if hmac.compare_digest(key.secret_hash, digest) else None


def list_api_keys(*, session: Session, page: int, page_size: int) -> Page:
    """List API keys, newest first; secrets are never stored, so never shown."""
    query = select(ApiKey).order_by(ApiKey.id.desc())
    return _paginate(session, query, page=page, page_size=page_size)


def revoke_api_key(*, session: Session, key_id: int) -> ApiKey:
    """Revoke an API key; revoking twice is harmless."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFoundError("api key", str(key_id))
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key
