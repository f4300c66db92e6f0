"""What employees say about catalog items: dismiss, not relevant, or interested.

One feedback record per employee and item: saying something new about an item replaces what
was said before. Dismissed and not-relevant items leave the employee's recommendations and
new plans; interested ones rank higher.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.errors import NotFoundError, RecordError, RowError
from catalog.models import Employee, Feedback, Item, utcnow
from catalog.queries import Page, paginate
from catalog.records import existing_ids
from catalog.vocabulary import EXCLUDING_FEEDBACK


@dataclass(frozen=True, slots=True)
class FeedbackSets:
    """An employee's feedback as the recommender uses it."""

    excluded: dict[str, str]  # item -> the action that leaves it out
    interested: frozenset[str]


def give_feedback(
    *, session: Session, employee_id: str, item_id: str, action: str, reason: str | None
) -> tuple[Feedback, bool]:
    """Record what an employee says about an item, replacing what they said before.

    :return: the record, and whether it is new (rather than a replacement or a repeat).
    :raise NotFoundError: there is no such employee.
    :raise RecordError: there is no such item.
    """
    if not existing_ids(session, Employee, [employee_id]):
        raise NotFoundError("employee", employee_id)
    if not existing_ids(session, Item, [item_id]):
        raise RecordError([RowError(0, "item", f"unknown item {item_id!r}", unknown_item=item_id)])
    record = session.scalars(
        select(Feedback)
        .where(Feedback.employee_id == employee_id, Feedback.item_id == item_id)
        .with_for_update()
    ).one_or_none()
    if record is None:
        record = Feedback(
            id=str(uuid.uuid4()),
            employee_id=employee_id,
            item_id=item_id,
            action=action,
            reason=reason,
            created_at=utcnow(),
        )
        session.add(record)
        session.flush()
        return record, True
    if (record.action, record.reason) != (action, reason):
        record.action, record.reason, record.created_at = action, reason, utcnow()
        session.flush()
    return record, False


def list_feedback(
    *, session: Session, employee_id: str, page: int, page_size: int
) -> Page[Feedback]:
    """List an employee's feedback, latest first."""
    query = (
        select(Feedback)
        .where(Feedback.employee_id == employee_id)
        .order_by(Feedback.created_at.desc(), Feedback.id)
    )
    return paginate(session, query, page=page, page_size=page_size)


def take_back(*, session: Session, employee_id: str, feedback_id: str) -> None:
    """Delete one feedback record of an employee.

    :raise NotFoundError: the employee has no such record.
    """
    record = session.scalars(
        select(Feedback).where(Feedback.id == feedback_id, Feedback.employee_id == employee_id)
    ).one_or_none()
    if record is None:
        raise NotFoundError("feedback", feedback_id)
    session.delete(record)
    session.flush()


#: No feedback at all.
NO_FEEDBACK = FeedbackSets(excluded={}, interested=frozenset())


def feedback_from(rows: Iterable[tuple[str, str]]) -> FeedbackSets:
    """Sort ``(item, action)`` feedback rows into the items left out and the items raised."""
    excluded: dict[str, str] = {}
    interested = set()
    for item, action in rows:
        if action in EXCLUDING_FEEDBACK:
            excluded[item] = action
        else:
            interested.add(item)
    return FeedbackSets(excluded=excluded, interested=frozenset(interested))
