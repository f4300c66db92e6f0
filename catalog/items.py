"""The learning catalog: what makes an item, retiring one, and listing them.

An item written with a url or an ``external_ids.xapi`` that xAPI statements waiting in store
name as their object picks those statements up in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from catalog import xapi
from catalog.errors import InvalidCatalogError, RowError, UnknownSkillError
from catalog.models import Item, ItemPrerequisite, ItemRequirement, ItemSkill
from catalog.queries import LIKE_ESCAPE, Page, changed_since, contains, paginate
from catalog.records import (
    Changes,
    Record,
    RecordType,
    Reference,
    by_skill,
    get,
    get_or_raise,
    no_repeated_skills,
)
from catalog.skills import resolve_skill_refs
from catalog.version import bump_catalog_version

# The fields an item writes onto its row as they are.
_COLUMNS = (
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
)


def item_state(item: Item) -> dict[str, Any]:
    """Return the writable fields of an item, in the shape writes take them."""
    return {
        **{name: getattr(item, name) for name in _COLUMNS},
        "skills": by_skill({"skill": r.skill_id, "level": r.level} for r in item.skills),
        "prerequisites": by_skill(
            {"skill": r.skill_id, "level": r.level} for r in item.prerequisites
        ),
        "requires_items": sorted(item.requires_items),
        "external_ids": dict(item.external_ids or {}),
    }


def _normalised(record: Record, skill_ids: Mapping[str, str]) -> dict[str, Any]:
    out = dict(record)
    out.pop("id", None)
    for name in ("skills", "prerequisites"):
        out[name] = by_skill(
            {"skill": skill_ids[r["skill"]], "level": r["level"]} for r in out.get(name) or ()
        )
    out["requires_items"] = sorted(set(out.get("requires_items") or ()))
    out["external_ids"] = dict(out.get("external_ids") or {})
    return out


def _apply(session: Session, item: Item, data: Record) -> None:
    for name in _COLUMNS:
        setattr(item, name, data.get(name))
    item.external_ids = data["external_ids"]
    item.url_key = xapi.activity_key(item.url)
    item.xapi_key = xapi.activity_key(item.external_ids.get("xapi"))
    no_repeated_skills(data["skills"], "skills")
    no_repeated_skills(data["prerequisites"], "prerequisites")
    if item.id in data["requires_items"]:
        raise InvalidCatalogError("an item cannot require itself", field="requires_items")
    item.skills = [ItemSkill(skill_id=r["skill"], level=r["level"]) for r in data["skills"]]
    item.prerequisites = [
        ItemPrerequisite(skill_id=r["skill"], level=r["level"]) for r in data["prerequisites"]
    ]
    item.requirement_rows = [ItemRequirement(required_item_id=i) for i in data["requires_items"]]


def _references(record: Record) -> Iterable[Reference]:
    for n, ident in enumerate(record.get("requires_items") or ()):
        yield Reference(Item, "item", f"requires_items[{n}]", ident)


def _requirement_cycle(session: Session, rows: Mapping[str, int]) -> list[RowError]:
    """Name a row on a cycle of the flushed ``requires_items`` relation, if there is one."""
    edges: dict[str, list[str]] = {}
    for item_id, required in session.execute(
        select(ItemRequirement.item_id, ItemRequirement.required_item_id)
    ):
        edges.setdefault(item_id, []).append(required)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
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
                message = f"requires_items would form a cycle through {node!r} and {child!r}"
                return [RowError(rows.get(node, 1), "requires_items", message)]
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges.get(child, ()))))
    return []


def _written(session: Session, changes: Changes) -> None:
    """Match the xAPI statements waiting for the activity ids of the items written."""
    xapi.match_items(session=session, item_ids=list(changes))


ITEM: RecordType[Item] = RecordType(
    name="item",
    model=Item,
    state=item_state,
    normalise=_normalised,
    apply=_apply,
    skill_fields=("skills", "prerequisites"),
    find_skills=resolve_skill_refs,
    references=_references,
    check_written=_requirement_cycle,
    on_written=_written,
)


def get_item(*, session: Session, item_id: str) -> Item | None:
    """Return the item ``item_id``, or None."""
    return get(session=session, record_type=ITEM, ident=item_id)


def retire_item(*, session: Session, item_id: str) -> Item:
    """Retire an item: it stays for the completions that point at it, and is never recommended.

    :raise NotFoundError: there is no such item.
    """
    item = get_or_raise(session=session, record_type=ITEM, ident=item_id)
    if item.active:
        item.active = False
        bump_catalog_version(session=session, record_type="item", updated=[item_id])
    return item


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
    updated_since: dt.datetime | None = None,
    after_id: str | None = None,
) -> Page[Item]:
    """List catalog items by id with the API's filters; ``skill`` may be an id, name or alias.

    With ``updated_since``, only items changed (or retired) since then, in the order they changed.

    :raise UnknownSkillError: ``skill`` names no skill.
    """
    query = select(Item).order_by(Item.id)
    if skill:
        refs, unknown = resolve_skill_refs(session=session, refs=[skill])
        if unknown:
            raise UnknownSkillError(unknown, field="skill")
        taught = select(ItemSkill.item_id).where(ItemSkill.skill_id == refs[skill])
        query = query.where(Item.id.in_(taught))
    for column, value in ((Item.kind, kind), (Item.modality, modality), (Item.language, language)):
        if value:
            query = query.where(column == value)
    if active is not None:
        query = query.where(Item.active == active)
    if q:
        pattern = contains(q.casefold())
        query = query.where(
            or_(
                func.lower(Item.title).like(pattern, escape=LIKE_ESCAPE),
                func.lower(Item.description).like(pattern, escape=LIKE_ESCAPE),
                func.lower(Item.provider).like(pattern, escape=LIKE_ESCAPE),
            )
        )
    query = changed_since(
        query, updated_at=Item.updated_at, key=Item.id, since=updated_since, after=after_id
    )
    return paginate(session, query, page=page, page_size=page_size)
