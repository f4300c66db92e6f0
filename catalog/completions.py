"""Completions appended as learning evidence: one at a time, in batches, or from xAPI.

A completion is one (employee, item, day): recording it again adds nothing, whatever else
the second record says. Each append records the skill history it causes and completes the
plans it finishes, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from catalog import history, plans
from catalog.errors import InvalidCatalogError, NotFoundError, RecordError, RowError
from catalog.models import Completion as CompletionRow
from catalog.models import Employee, Item, utcnow
from catalog.queries import chunks
from catalog.records import existing_ids
from catalog.vocabulary import MAX_COMPLETIONS
from recommender.types import Completion


@dataclass(frozen=True, slots=True)
class NewCompletion:
    """A completion to record."""

    item: str
    completed_at: dt.date
    expires_at: dt.date | None = None
    score: float | None = None
    source: str | None = None
    statement_id: str | None = None

    @property
    def key(self) -> tuple[str, dt.date | None]:
        """What makes two records one completion: the item and the day."""
        return self.item, self.completed_at


def unknown_items(
    *, session: Session, records: Sequence[NewCompletion], field: str = "item"
) -> list[RowError]:
    """Name every record whose item the catalog does not hold (fields count from 0)."""
    known = existing_ids(session, Item, (r.item for r in records))
    return [
        RowError(0, f"[{n}].{field}" if len(records) > 1 else field, f"unknown item {r.item!r}",
                 unknown_item=r.item)
        for n, r in enumerate(records)
        if r.item not in known
    ]  # fmt: skip


def record_completions(
    *, session: Session, employee_id: str, records: Sequence[NewCompletion]
) -> list[NewCompletion]:
    """Append completions to one stored employee; return those that were new.

    :raise NotFoundError: there is no such employee.
    :raise RecordError: naming every record whose item is unknown; nothing is written.
    :raise InvalidCatalogError: the employee would hold more completions than allowed.
    """
    if not existing_ids(session, Employee, [employee_id]):
        raise NotFoundError("employee", employee_id)
    errors = unknown_items(session=session, records=records)
    if errors:
        raise RecordError(errors)
    added = append_completions(session=session, wanted={employee_id: records}, strict=True)
    return added.get(employee_id, [])


def append_completions(
    *,
    session: Session,
    wanted: Mapping[str, Sequence[NewCompletion]],
    strict: bool = False,
    cause: str = "completion",
) -> dict[str, list[NewCompletion]]:
    """Append completions to stored employees, skipping those already recorded.

    The employees' rows are locked first, so concurrent appends for one employee take turns
    and each sees what the other recorded. Items must exist.

    :param strict: refuse (rather than skip) completions past an employee's limit.
    :return: the completions added, by employee.
    :raise InvalidCatalogError: with ``strict``, an employee would hold too many completions.
    """
    employee_ids = sorted(wanted)
    for chunk in chunks(employee_ids):
        session.execute(
            select(Employee.id)
            .where(Employee.id.in_(chunk))
            .order_by(Employee.id)
            .with_for_update()
        )
    before = history.stored_evidence(session=session, employee_ids=employee_ids)
    added: dict[str, list[NewCompletion]] = {}
    for employee_id in employee_ids:
        held = before[employee_id].completions
        keys = {(c.item, c.completed_at) for c in held}
        count = len(held)
        for record in wanted[employee_id]:
            if record.key in keys:
                continue
            if count >= MAX_COMPLETIONS:
                if strict:
                    raise InvalidCatalogError(
                        f"an employee holds at most {MAX_COMPLETIONS} completions",
                        field="completed",
                    )
                break
            keys.add(record.key)
            count += 1
            added.setdefault(employee_id, []).append(record)
    if not added:
        return added
    recorded = utcnow()
    rows = [
        {
            "employee_id": employee_id,
            "item_id": r.item,
            "completed_at": r.completed_at,
            "expires_at": r.expires_at,
            "score": r.score,
            "source": r.source,
            "statement_id": r.statement_id,
            "recorded_at": recorded,
        }
        for employee_id, records in added.items()
        for r in records
    ]
    for start in range(0, len(rows), 1000):
        session.execute(insert(CompletionRow), rows[start : start + 1000])
    _forget_loaded_completions(session, added)
    history.record_changes(
        session=session,
        changes={
            employee_id: (
                before[employee_id],
                before[employee_id].with_completions(
                    Completion(r.item, r.completed_at, r.expires_at) for r in records
                ),
            )
            for employee_id, records in added.items()
        },
        cause=cause,
    )
    plans.refresh_status(
        session=session,
        employee_ids=added,
        before={
            employee_id: [(c.item, c.completed_at) for c in before[employee_id].completions]
            for employee_id in added
        },
    )
    return added


def _forget_loaded_completions(session: Session, employee_ids) -> None:
    """Make employees loaded in the session read their completions again (rows were added)."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Employee) and obj.id in employee_ids:
            session.expire(obj, ["completed"])
