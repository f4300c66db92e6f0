"""Skill history: every change of an employee's effective skill levels, and what made it.

An employee's effective level of a skill is the higher of the level their profile states and
the levels taught by their completions still valid that day (as
:func:`recommender.profile.effective_profile` counts them). Every write that changes those
levels records one event per skill in its own transaction: ``from`` and ``to``, the ``cause``
(a profile write, a completion, an expiry), the ``source`` (the evidence that brought the new
level, or for a fall the evidence that held the old one: ``item:<id>`` or
``profile:<stated source>``) and ``at``, when it was recorded.

A certification expiring is an event on the day it stops counting, with no write on that day
to record it. So each write that touches an employee also works out the expiry events their
evidence holds for the future, dated those days, replacing the ones written before; reads
show only events up to now. A catalog change to what an item teaches or how long it stays
valid is not written back into anyone's history; the next write for the employee records
from the levels as they then are.

A completion recorded with an expiry (a certification's) also schedules its
``certification.expiring`` webhook event at write time: written now, in the write's
transaction, due :data:`~catalog.vocabulary.EXPIRY_NOTICE_DAYS` days before its last valid
day (at once if that is nearer). A renewal recorded later does not take the notice back: the
event names the completion it is about, and the receiver can see a newer one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from catalog.models import Completion as CompletionRow
from catalog.models import EmployeeSkill, Item, ItemSkill, SkillEvent, utcnow
from catalog.queries import Page, chunks, paginate
from catalog.vocabulary import EXPIRY_NOTICE_DAYS
from catalog.webhooks import emit
from recommender.profile import expires_on
from recommender.types import MAX_LEVEL, Completion

# Skill -> (level, what holds it): "item:<id>" or "profile:<stated source>".
Levels = dict[str, tuple[int, str]]


def now() -> dt.datetime:
    """Return the time history is written and read at (UTC); tests move it."""
    return utcnow()


@dataclass(frozen=True, slots=True)
class Evidence:
    """What an employee's effective levels are made of: stated levels and completions."""

    stated: Mapping[str, tuple[int, str]]
    completions: tuple[Completion, ...]

    def with_completions(self, more: Iterable[Completion]) -> Evidence:
        """Return this evidence with ``more`` completions."""
        return Evidence(self.stated, self.completions + tuple(more))


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What makes a completion count: how long the item stays valid, and what it teaches."""

    valid_months: int | None
    taught: tuple[tuple[str, int], ...]


def evidence_of_state(state: Mapping[str, Any]) -> Evidence:
    """Return the evidence in an employee's state, as :func:`employee_state` gives it."""
    return Evidence(
        stated={row["skill"]: (row["level"], row["source"]) for row in state["skills"]},
        completions=tuple(
            Completion(c["item"], c.get("completed_at"), c.get("expires_at"))
            for c in state["completed"]
        ),
    )


def stored_evidence(*, session: Session, employee_ids: Sequence[str]) -> dict[str, Evidence]:
    """Read the stored evidence of some employees (those that exist), in a few queries."""
    stated: dict[str, dict[str, tuple[int, str]]] = {ident: {} for ident in employee_ids}
    completions: dict[str, list[Completion]] = {ident: [] for ident in employee_ids}
    for chunk in chunks(sorted(set(employee_ids))):
        for employee, skill, level, source in session.execute(
            select(
                EmployeeSkill.employee_id,
                EmployeeSkill.skill_id,
                EmployeeSkill.level,
                EmployeeSkill.source,
            ).where(EmployeeSkill.employee_id.in_(chunk))
        ):
            stated[employee][skill] = (level, source)
        for employee, item, completed_at, expires_at in session.execute(
            select(
                CompletionRow.employee_id,
                CompletionRow.item_id,
                CompletionRow.completed_at,
                CompletionRow.expires_at,
            ).where(CompletionRow.employee_id.in_(chunk))
        ):
            completions[employee].append(Completion(item, completed_at, expires_at))
    return {ident: Evidence(stated[ident], tuple(completions[ident])) for ident in employee_ids}


def item_facts(*, session: Session, item_ids: Iterable[str]) -> dict[str, ItemFacts]:
    """Read how long each item stays valid and the levels it teaches."""
    wanted = sorted(set(item_ids))
    months: dict[str, int | None] = {}
    taught: dict[str, list[tuple[str, int]]] = {}
    for chunk in chunks(wanted):
        months.update(
            session.execute(select(Item.id, Item.valid_months).where(Item.id.in_(chunk))).all()
        )
        for item, skill, level in session.execute(
            select(ItemSkill.item_id, ItemSkill.skill_id, ItemSkill.level).where(
                ItemSkill.item_id.in_(chunk)
            )
        ):
            taught.setdefault(item, []).append((skill, level))
    return {
        item: ItemFacts(valid_months, tuple(taught.get(item, ())))
        for item, valid_months in months.items()
    }


def _last_day(completion: Completion, facts: Mapping[str, ItemFacts]) -> dt.date | None:
    known = facts.get(completion.item)
    return expires_on(completion, known.valid_months if known else None)


def effective_levels(evidence: Evidence, facts: Mapping[str, ItemFacts], as_of: dt.date) -> Levels:
    """Return each skill's effective level on ``as_of`` and what holds it.

    The levels are those of :func:`recommender.profile.effective_profile`; of several
    completions teaching a skill to the same level, the latest holds it.
    """
    levels: Levels = {
        skill: (min(MAX_LEVEL, max(0, level)), f"profile:{source}")
        for skill, (level, source) in evidence.stated.items()
    }
    valid = [
        c
        for c in evidence.completions
        if c.item in facts and ((last := _last_day(c, facts)) is None or as_of <= last)
    ]
    valid.sort(key=lambda c: (c.completed_at or dt.date.min, c.item), reverse=True)
    for completion in valid:
        for skill, level in facts[completion.item].taught:
            level = min(MAX_LEVEL, level)
            if level > levels.get(skill, (0, ""))[0]:
                levels[skill] = (level, f"item:{completion.item}")
    return levels


def level_changes(before: Levels, after: Levels) -> list[tuple[str, int, int, str]]:
    """Return ``(skill, from, to, source)`` for every skill whose level moved, by skill.

    A rise names what holds the new level; a fall what held the old one.
    """
    changes = []
    for skill in sorted(before.keys() | after.keys()):
        old, old_source = before.get(skill, (0, ""))
        new, new_source = after.get(skill, (0, ""))
        if old != new:
            changes.append((skill, old, new, new_source if new > old else old_source))
    return changes


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def expiry_events(
    evidence: Evidence, facts: Mapping[str, ItemFacts], *, after: dt.datetime
) -> list[tuple[dt.datetime, str, int, int, str]]:
    """Return ``(at, skill, from, to, source)`` of every expiry after ``after``, in order.

    A completion counts up to its last day, so its expiry is an event at midnight (UTC) of
    the day after.
    """
    today = after.date()
    days = sorted(
        {
            last + dt.timedelta(days=1)
            for c in evidence.completions
            if (last := _last_day(c, facts)) is not None and today <= last < dt.date.max
        }
    )
    events = []
    levels = effective_levels(evidence, facts, today)
    for day in days:
        following = effective_levels(evidence, facts, day)
        for skill, old, new, source in level_changes(levels, following):
            events.append((_midnight(day), skill, old, new, source))
        levels = following
    return events


def record_changes(
    *,
    session: Session,
    changes: Mapping[str, tuple[Evidence | None, Evidence]],
    cause: str,
    at: dt.datetime | None = None,
) -> int:
    """Record the level changes of some employees' evidence moving from before to after.

    The future expiry events of each of them are worked out again from the evidence after.

    :param changes: employee id -> (evidence before, or None for a new employee; after).
    :return: how many events (changes and future expiries) were written.
    """
    if not changes:
        return 0
    at = at or now()
    today = at.date()
    items = {
        c.item
        for pair in changes.values()
        for evidence in pair
        if evidence is not None
        for c in evidence.completions
    }
    facts = item_facts(session=session, item_ids=items)
    rows = []
    for employee, (before, after) in changes.items():
        old = effective_levels(before, facts, today) if before is not None else {}
        new = effective_levels(after, facts, today)
        for skill, from_level, to_level, source in level_changes(old, new):
            rows.append(_event(employee, skill, from_level, to_level, source, cause, at))
        for when, skill, from_level, to_level, source in expiry_events(after, facts, after=at):
            rows.append(_event(employee, skill, from_level, to_level, source, "expiry", when))
        _schedule_expiry_notices(session, employee, before, after, facts, today)
    for chunk in chunks(sorted(changes)):
        session.execute(
            delete(SkillEvent).where(
                SkillEvent.employee_id.in_(chunk),
                SkillEvent.cause == "expiry",
                SkillEvent.at > at,
            )
        )
    for start in range(0, len(rows), 1000):
        session.execute(insert(SkillEvent), rows[start : start + 1000])
    return len(rows)


def _schedule_expiry_notices(
    session: Session,
    employee: str,
    before: Evidence | None,
    after: Evidence,
    facts: Mapping[str, ItemFacts],
    today: dt.date,
) -> None:
    """Write a ``certification.expiring`` event, due ahead, for each new completion that expires."""
    held = {(c.item, c.completed_at) for c in before.completions} if before is not None else set()
    for completion in after.completions:
        if (completion.item, completion.completed_at) in held:
            continue
        last = _last_day(completion, facts)
        if last is None or last < today:
            continue
        notice = last - dt.timedelta(days=EXPIRY_NOTICE_DAYS)
        emit(
            session=session,
            event_type="certification.expiring",
            payload={
                "employee": employee,
                "item": completion.item,
                "completed_at": completion.completed_at.isoformat()
                if completion.completed_at
                else None,
                "expires_on": last.isoformat(),
            },
            due_at=dt.datetime.combine(notice, dt.time(), tzinfo=dt.UTC),
        )


def _event(
    employee: str, skill: str, from_level: int, to_level: int, source: str, cause: str, at
) -> dict[str, Any]:
    return {
        "employee_id": employee,
        "skill_id": skill,
        "from_level": from_level,
        "to_level": to_level,
        "source": source,
        "cause": cause,
        "at": at,
    }


def list_history(
    *,
    session: Session,
    employee_id: str,
    page: int,
    page_size: int,
    since: dt.datetime | None = None,
    skill: str | None = None,
) -> Page[SkillEvent]:
    """List an employee's skill events up to now, oldest first, from ``since`` on."""
    query = (
        select(SkillEvent)
        .where(SkillEvent.employee_id == employee_id, SkillEvent.at <= now())
        .order_by(SkillEvent.at, SkillEvent.id)
    )
    if since is not None:
        query = query.where(SkillEvent.at >= since)
    if skill:
        query = query.where(SkillEvent.skill_id == skill)
    return paginate(session, query, page=page, page_size=page_size)
