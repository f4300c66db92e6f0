"""xAPI statements as learning evidence: stored whole, matched to employees and items.

The actor is the employee whose id is ``account.name``, or whose email is the ``mbox``
address; the object is the item whose ``external_ids.xapi`` equals the activity id, else the
one whose url does, else the one with that id (several items at the same rank match none).
A statement with a completing verb (ADL completed, passed, mastered) and no failed result
records a completion of its item on its timestamp's day (UTC) once both are matched.

Every statement is kept, matched or not, keyed by its id: sending it again changes nothing.
One not matched yet says why in ``unmatched``; a later write of an employee or an item that
it names matches it then, in that write's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from catalog.completions import NewCompletion, append_completions
from catalog.models import Employee, Item, XapiStatement
from catalog.queries import Page, chunks, paginate
from catalog.vocabulary import COMPLETING_VERBS, MAX_ID_LENGTH

# Why a statement is not matched yet. The first two may change with later writes; a
# statement whose actor or object can never name an employee or item says so.
UNKNOWN_ACTOR = "unknown_actor"
UNKNOWN_OBJECT = "unknown_object"
AMBIGUOUS_OBJECT = "ambiguous_object"
ANONYMOUS_ACTOR = "unidentified_actor"  # a group, or an agent named by mbox_sha1sum or openid
NOT_AN_ACTIVITY = "not_an_activity"  # the object is an agent, a group or another statement
INSERT_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Statement:
    """What matching needs of one valid statement, and the statement itself."""

    id: str
    verb: str
    timestamp: dt.datetime
    raw: Mapping[str, Any]
    account: str | None = None  # the actor's account.name
    email: str | None = None  # the actor's mbox address, without "mailto:"
    activity: str | None = None  # the object's id, when the object is an activity
    success: bool | None = None
    score: float | None = None

    @property
    def completes(self) -> bool:
        """Tell whether the statement records a completion once matched."""
        return self.verb in COMPLETING_VERBS and self.success is not False

    @property
    def actor_key(self) -> str | None:
        """Return the key later employee writes look this statement up by."""
        if self.account is not None:
            return _key("account:" + self.account)
        if self.email is not None:
            return _key("mbox:" + self.email.lower())
        return None


@dataclass
class StoreReport:
    """What storing a batch did: statements new and already kept, completions, unmatched."""

    stored: int = 0
    already_stored: int = 0
    completions_added: int = 0
    # (index in the batch, statement id, reason), in batch order.
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def activity_key(activity_id: str | None) -> str | None:
    """Return the key an activity id (an item's url, external xAPI id or id) is found by."""
    return _key(activity_id) if activity_id else None


def _actor_keys(employees: Mapping[str, str | None]) -> dict[str, str]:
    """Return actor key -> employee id for the ids and emails of some employees."""
    keys = {}
    for ident, email in employees.items():
        keys[_key("account:" + ident)] = ident
        if email:
            keys[_key("mbox:" + email.strip().lower())] = ident
    return keys


def find_employees(
    *, session: Session, accounts: Iterable[str], emails: Iterable[str]
) -> tuple[set[str], dict[str, str]]:
    """Return which account names are employee ids, and the employee of each known email."""
    names = sorted({a for a in accounts if len(a) <= MAX_ID_LENGTH})
    keys = sorted({e.lower() for e in emails})
    ids: set[str] = set()
    by_email: dict[str, str] = {}
    for chunk in chunks(names):
        ids.update(session.scalars(select(Employee.id).where(Employee.id.in_(chunk))))
    for chunk in chunks(keys):
        by_email.update(
            session.execute(
                select(Employee.email_key, Employee.id).where(Employee.email_key.in_(chunk))
            ).all()
        )
    return ids, by_email


def find_items(*, session: Session, activities: Iterable[str]) -> dict[str, str | None]:
    """Return the item each activity id names (None when several items tie for it).

    Activities that name no item are left out.
    """
    wanted = sorted(set(activities))
    by_key = {_key(a): a for a in wanted}
    ranks: dict[str, dict[int, set[str]]] = {}
    for rank, column in enumerate((Item.xapi_key, Item.url_key)):
        for chunk in chunks(sorted(by_key)):
            for key, item in session.execute(select(column, Item.id).where(column.in_(chunk))):
                ranks.setdefault(by_key[key], {}).setdefault(rank, set()).add(item)
    for chunk in chunks([a for a in wanted if len(a) <= MAX_ID_LENGTH]):
        for item in session.scalars(select(Item.id).where(Item.id.in_(chunk))):
            ranks.setdefault(item, {}).setdefault(2, set()).add(item)
    found: dict[str, str | None] = {}
    for activity, by_rank in ranks.items():
        best = by_rank[min(by_rank)]
        found[activity] = next(iter(best)) if len(best) == 1 else None
    return found


def _match(
    statement: Statement,
    ids: set[str],
    by_email: Mapping[str, str],
    items: Mapping[str, str | None],
) -> tuple[str | None, str | None, str | None]:
    """Return a statement's employee, item, and why it is unmatched (None when matched)."""
    employee = None
    if statement.account is not None:
        employee = statement.account if statement.account in ids else None
    elif statement.email is not None:
        employee = by_email.get(statement.email.lower())
    item = items.get(statement.activity) if statement.activity is not None else None
    if statement.actor_key is None:
        reason = ANONYMOUS_ACTOR
    elif employee is None:
        reason = UNKNOWN_ACTOR
    elif statement.activity is None:
        reason = NOT_AN_ACTIVITY
    elif item is None:
        reason = AMBIGUOUS_OBJECT if statement.activity in items else UNKNOWN_OBJECT
    else:
        reason = None
    return employee, item, reason


def store_statements(*, session: Session, statements: Sequence[Statement]) -> StoreReport:
    """Keep a batch of statements, match them, and record the completions they make.

    Statements already kept (by id) change nothing; their current state is reported.
    """
    report = StoreReport()
    kept: dict[str, str | None] = {}
    for chunk in chunks(sorted({s.id for s in statements})):
        kept.update(
            session.execute(
                select(XapiStatement.id, XapiStatement.unmatched).where(XapiStatement.id.in_(chunk))
            ).all()
        )
    fresh = [(n, s) for n, s in enumerate(statements) if s.id not in kept]
    ids, by_email = find_employees(
        session=session,
        accounts=(s.account for _, s in fresh if s.account is not None),
        emails=(s.email for _, s in fresh if s.email is not None),
    )
    items = find_items(
        session=session, activities=(s.activity for _, s in fresh if s.activity is not None)
    )
    rows = []
    wanted: dict[str, list[NewCompletion]] = {}
    for n, statement in enumerate(statements):
        if statement.id in kept:
            report.already_stored += 1
            if kept[statement.id] is not None:
                report.unmatched.append((n, statement.id, kept[statement.id]))
            continue
        employee, item, reason = _match(statement, ids, by_email, items)
        rows.append(_row(statement, employee, item, reason))
        if reason is not None:
            report.unmatched.append((n, statement.id, reason))
        elif statement.completes:
            wanted.setdefault(employee, []).append(_completion(statement, item))
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(XapiStatement), rows[start : start + INSERT_BATCH])
    report.stored = len(rows)
    added = append_completions(session=session, wanted=wanted)
    report.completions_added = sum(len(records) for records in added.values())
    return report


def _row(statement: Statement, employee, item, reason) -> dict[str, Any]:
    return {
        "id": statement.id,
        "actor_key": statement.actor_key,
        "object_key": activity_key(statement.activity),
        "verb": statement.verb,
        "timestamp": statement.timestamp,
        "employee_id": employee,
        "item_id": item,
        "completes": statement.completes,
        "score": statement.score,
        "unmatched": reason,
        "statement": dict(statement.raw),
    }


def _completion(statement: Statement, item: str) -> NewCompletion:
    return NewCompletion(
        item=item,
        completed_at=statement.timestamp.astimezone(dt.UTC).date(),
        score=statement.score,
        source="xapi",
        statement_id=statement.id,
    )


def _rematch(session: Session, waiting: Sequence[XapiStatement]) -> None:
    """Match again statements a write may have made matchable; record their completions."""
    if not waiting:
        return
    parsed = [(row, statement_of(row)) for row in waiting]
    ids, by_email = find_employees(
        session=session,
        accounts=(s.account for _, s in parsed if s.account is not None),
        emails=(s.email for _, s in parsed if s.email is not None),
    )
    items = find_items(
        session=session, activities=(s.activity for _, s in parsed if s.activity is not None)
    )
    wanted: dict[str, list[NewCompletion]] = {}
    for row, statement in parsed:
        employee, item, reason = _match(statement, ids, by_email, items)
        row.employee_id, row.item_id, row.unmatched = employee, item, reason
        if reason is None and row.completes:
            wanted.setdefault(employee, []).append(_completion(statement, item))
    session.flush()
    append_completions(session=session, wanted=wanted)


def match_employees(*, session: Session, employees: Mapping[str, str | None]) -> None:
    """Match the unmatched statements whose actor is one of these employees (id -> email)."""
    keys = _actor_keys(employees)
    waiting: list[XapiStatement] = []
    for chunk in chunks(sorted(keys)):
        waiting += session.scalars(
            select(XapiStatement).where(
                XapiStatement.actor_key.in_(chunk), XapiStatement.unmatched.is_not(None)
            )
        ).all()
    _rematch(session, waiting)


def match_items(*, session: Session, item_ids: Sequence[str]) -> None:
    """Match the unmatched statements whose object names one of these items."""
    keys: set[str] = set()
    for chunk in chunks(sorted(item_ids)):
        for ident, url_key, xapi_key in session.execute(
            select(Item.id, Item.url_key, Item.xapi_key).where(Item.id.in_(chunk))
        ):
            keys.update(k for k in (_key(ident), url_key, xapi_key) if k)
    waiting: list[XapiStatement] = []
    for chunk in chunks(sorted(keys)):
        waiting += session.scalars(
            select(XapiStatement).where(
                XapiStatement.object_key.in_(chunk), XapiStatement.unmatched.is_not(None)
            )
        ).all()
    _rematch(session, waiting)


def parse_statement(
    *, ident: str, raw: Mapping[str, Any], timestamp: dt.datetime, score: float | None
) -> Statement:
    """Return what matching needs of a valid statement (``raw``, as sent)."""
    actor = raw["actor"]
    agent = actor.get("objectType", "Agent") == "Agent"
    account = (actor.get("account") or {}).get("name") if agent else None
    mbox = actor.get("mbox") if agent else None
    target = raw["object"]
    activity = target["id"] if target.get("objectType", "Activity") == "Activity" else None
    return Statement(
        id=ident,
        verb=raw["verb"]["id"],
        timestamp=timestamp,
        raw=raw,
        account=account,
        email=mbox.removeprefix("mailto:") if mbox else None,
        activity=activity,
        success=(raw.get("result") or {}).get("success"),
        score=score,
    )


def statement_of(row: XapiStatement) -> Statement:
    """Return what matching needs of a kept statement."""
    return parse_statement(
        ident=row.id, raw=row.statement, timestamp=row.timestamp, score=row.score
    )


def list_statements(
    *, session: Session, page: int, page_size: int, unmatched: bool | None = None
) -> Page[XapiStatement]:
    """List kept statements, latest stored first; ``unmatched`` picks matched or not."""
    query = select(XapiStatement).order_by(XapiStatement.stored_at.desc(), XapiStatement.id)
    if unmatched is True:
        query = query.where(XapiStatement.unmatched.is_not(None))
    elif unmatched is False:
        query = query.where(XapiStatement.unmatched.is_(None))
    return paginate(session, query, page=page, page_size=page_size)
