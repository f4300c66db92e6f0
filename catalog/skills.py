"""The skills taxonomy: what makes a skill, how references to skills resolve, and its reads.

Names and aliases are matched in the form :func:`recommender.text.name_key` gives them (NFKC,
whitespace folded, case-folded), the same form the fuzzy resolver compares free text in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from catalog.changes import record_deletion
from catalog.errors import ConflictError, InvalidCatalogError, RowError
from catalog.models import (
    EmployeeSkill,
    ItemPrerequisite,
    ItemSkill,
    RoleCompetency,
    Skill,
    SkillAlias,
)
from catalog.queries import LIKE_ESCAPE, Page, changed_since, chunks, contains, paginate
from catalog.records import Numbered, Record, RecordType, get, get_or_raise
from catalog.version import bump_catalog_version
from catalog.vocabulary import MAX_ALIASES, MAX_KEY_LENGTH
from recommender.text import name_key


def skill_state(skill: Skill) -> dict[str, Any]:
    """Return the writable fields of a skill, in the shape writes take them."""
    return {
        "name": skill.name,
        "aliases": list(skill.aliases),
        "category": skill.category,
        "description": skill.description,
        "external_ids": dict(skill.external_ids or {}),
    }


def _normalised(record: Record, skill_ids: Mapping[str, str]) -> dict[str, Any]:
    """Return ``record`` as its state would read: aliases that repeat the name or another go."""
    out = dict(record)
    out.pop("id", None)
    seen = {name_key(out["name"])}
    aliases = []
    for alias in out.get("aliases") or ():
        key = name_key(alias)
        if key not in seen:
            seen.add(key)
            aliases.append(alias)
    out["aliases"] = aliases
    out["external_ids"] = dict(out.get("external_ids") or {})
    return out


def _checked_key(text: str, field: str) -> str:
    """Return the lookup key of a name or alias, refusing one too long to store."""
    key = name_key(text)
    if len(key) > MAX_KEY_LENGTH:
        message = f"{field} is longer than {MAX_KEY_LENGTH} characters once normalised"
        raise InvalidCatalogError(message, field=field)
    return key


def _apply(session: Session, skill: Skill, data: Record) -> None:
    key = _checked_key(data["name"], "name")
    clash = session.scalar(select(Skill.id).where(Skill.name_key == key, Skill.id != skill.id))
    if clash is not None:
        raise ConflictError(f"skill {clash!r} already has the name {data['name']!r}", field="name")
    skill.name = data["name"]
    skill.name_key = key
    skill.category = data.get("category")
    skill.description = data.get("description")
    skill.external_ids = dict(data.get("external_ids") or {})
    skill.alias_rows = [
        SkillAlias(alias=alias, alias_key=_checked_key(alias, "aliases"), position=position)
        for position, alias in enumerate(data["aliases"])
    ]


def _repeated_names(records: Sequence[Numbered]) -> list[RowError]:
    """Name the rows of a batch that repeat an earlier row's name."""
    first: dict[str, int] = {}
    errors = []
    for n, record in records:
        key = name_key(record["name"])
        if key in first:
            message = f"name {record['name']!r} is already used in row {first[key]}"
            errors.append(RowError(n, "name", message))
        first.setdefault(key, n)
    return errors


SKILL: RecordType[Skill] = RecordType(
    name="skill",
    model=Skill,
    state=skill_state,
    normalise=_normalised,
    apply=_apply,
    check_batch=_repeated_names,
)


def get_skill(*, session: Session, skill_id: str) -> Skill | None:
    """Return the skill ``skill_id``, or None."""
    return get(session=session, record_type=SKILL, ident=skill_id)


def resolve_skill_refs(
    *, session: Session, refs: Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """Map skill references (id, or exact name or alias, any case) to skill ids.

    :return: the mapping of every resolved reference, and the unresolved ones in input order.
    """
    wanted = list(dict.fromkeys(refs))
    found: dict[str, str] = {}
    for chunk in chunks(wanted):
        found.update(
            (sid, sid) for sid in session.scalars(select(Skill.id).where(Skill.id.in_(chunk)))
        )
    by_key: dict[str, list[str]] = {}
    for ref in wanted:
        if ref not in found:
            by_key.setdefault(name_key(ref), []).append(ref)
    for chunk in chunks(list(by_key)):
        for sid, key in session.execute(
            select(Skill.id, Skill.name_key).where(Skill.name_key.in_(chunk))
        ):
            for ref in by_key.pop(key, []):
                found[ref] = sid
    for chunk in chunks(list(by_key)):
        owners: dict[str, set[str]] = {}
        rows = session.execute(
            select(SkillAlias.skill_id, SkillAlias.alias_key).where(SkillAlias.alias_key.in_(chunk))
        )
        for sid, key in rows:
            owners.setdefault(key, set()).add(sid)
        for key, sids in owners.items():
            # An alias two skills share names neither of them: the caller must say which.
            if len(sids) == 1:
                for ref in by_key.pop(key, []):
                    found[ref] = next(iter(sids))
    unknown = [ref for ref in wanted if ref not in found]
    return found, unknown


def merged_with_stored_skills(
    *, session: Session, records: Sequence[Record], max_aliases: int = MAX_ALIASES
) -> list[dict[str, Any]]:
    """Return skill records that keep what stored skills of the same id already know.

    For importers that enrich a taxonomy from several sources: a stored skill keeps its name,
    category and description (filled in only where empty), and gains the record's external ids
    and aliases. So sources never overwrite each other, and re-running any of them is a no-op.
    """
    stored: dict[str, Skill] = {}
    for chunk in chunks([record["id"] for record in records]):
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
        keys = {name_key(alias) for alias in aliases} | {skill.name_key}
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


def delete_skill(*, session: Session, skill_id: str) -> None:
    """Delete a skill that nothing references any more.

    :raise NotFoundError: there is no such skill.
    :raise ConflictError: items, roles or employee profiles still name it.
    """
    skill = get_or_raise(session=session, record_type=SKILL, ident=skill_id)
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
    record_deletion(session=session, record_type="skill", record_id=skill_id)
    bump_catalog_version(session=session, record_type="skill", deleted=[skill_id])


def list_skills(
    *,
    session: Session,
    page: int,
    page_size: int,
    q: str | None = None,
    category: str | None = None,
    updated_since: dt.datetime | None = None,
    after_id: str | None = None,
) -> Page[Skill]:
    """List skills by id, filtered by a text query (id, name, alias) and category.

    The query matches as a substring of the id or of a name's or an alias's lookup key.
    With ``updated_since``, only skills changed since then, in the order they changed.
    """
    query = select(Skill).order_by(Skill.id)
    if q:
        pattern = contains(name_key(q))
        aliased = select(SkillAlias.skill_id).where(
            SkillAlias.alias_key.like(pattern, escape=LIKE_ESCAPE)
        )
        query = query.where(
            or_(
                func.lower(Skill.id).like(pattern, escape=LIKE_ESCAPE),
                Skill.name_key.like(pattern, escape=LIKE_ESCAPE),
                Skill.id.in_(aliased),
            )
        )
    if category:
        query = query.where(func.lower(Skill.category) == category.casefold())
    query = changed_since(
        query, updated_at=Skill.updated_at, key=Skill.id, since=updated_since, after=after_id
    )
    return paginate(session, query, page=page, page_size=page_size)
