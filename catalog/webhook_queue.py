"""The deliverers' side of the outbox: claiming a subscription, its next delivery, outcomes.

Deliveries of one subscription go out one at a time, in the order they became due
(``due_at``, then id). A deliverer first claims the subscription with a lease, by a
conditional update that only one of several concurrent deliverers can win (on PostgreSQL the
candidates are read ``FOR UPDATE SKIP LOCKED`` first, so deliverers pass each other by rather
than queue). While the lease runs nobody else sends that subscription's deliveries, so two
deliverers never send one delivery at once and never overtake each other. The lease is
renewed before every send and outlives a send's timeouts many times; a deliverer that dies
leaves a lease that runs out, and what it was sending is sent again: at least once.

A delivery that fails waits for its next attempt, and the later deliveries of its
subscription wait behind it until it is delivered or given up after the last attempt.

The order is that of the events' times, taken as their transactions write them; two
transactions running at once may commit in the other order, and an event is sent only once
its transaction has committed, so the later-committed one may go out second even though it
was written first. Each event still goes out once it is visible, none is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from catalog.models import Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from catalog.vocabulary import MAX_REASON_LENGTH
from catalog.webhooks import ABANDONED, DELIVERED, PENDING

# The longest wait between two attempts, however many came before.
MAX_BACKOFF = dt.timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What one send needs, read before the send so no transaction stays open during it."""

    delivery_id: int
    webhook_id: str
    url: str
    secret: str
    message_id: str
    event_type: str
    payload: dict[str, Any]
    created_at: dt.datetime
    attempts: int


def _free(now: dt.datetime):
    return or_(Webhook.lease_until.is_(None), Webhook.lease_until < now)


def ready_webhooks(
    *, session: Session, now: dt.datetime, due_by: dt.datetime, limit: int
) -> list[str]:
    """Return unleased subscriptions with a delivery due by ``due_by`` and none retrying later."""
    due = exists().where(
        WebhookDelivery.webhook_id == Webhook.id,
        WebhookDelivery.status == PENDING,
        WebhookDelivery.next_attempt_at <= due_by,
    )
    waiting = exists().where(
        WebhookDelivery.webhook_id == Webhook.id,
        WebhookDelivery.status == PENDING,
        WebhookDelivery.attempts > 0,
        WebhookDelivery.next_attempt_at > due_by,
    )
    query = (
        select(Webhook.id)
        .where(_free(now), due, ~waiting)
        .order_by(Webhook.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Webhook)
    )
    return list(session.scalars(query))


def claim(
    *, session: Session, webhook_id: str, owner: str, now: dt.datetime, lease: dt.timedelta
) -> bool:
    """Take or renew the lease on a subscription; False if another deliverer holds it."""
    result = session.execute(
        update(Webhook)
        .where(Webhook.id == webhook_id, or_(_free(now), Webhook.lease_owner == owner))
        .values(lease_owner=owner, lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release(*, session: Session, webhook_id: str, owner: str) -> None:
    """Give a subscription's lease back, if this deliverer still holds it."""
    session.execute(
        update(Webhook)
        .where(Webhook.id == webhook_id, Webhook.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )


def next_delivery(*, session: Session, webhook_id: str, due_by: dt.datetime) -> Outgoing | None:
    """Return the subscription's first pending delivery if it is due by ``due_by``, or None."""
    row = session.execute(
        select(WebhookDelivery, WebhookEvent, Webhook)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.webhook_id == webhook_id,
            WebhookDelivery.status == PENDING,
            WebhookDelivery.due_at <= due_by,
        )
        .order_by(WebhookDelivery.due_at, WebhookDelivery.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    delivery, event, webhook = row
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > due_by:
        return None
    return Outgoing(
        delivery_id=delivery.id,
        webhook_id=webhook.id,
        url=webhook.url,
        secret=webhook.secret,
        message_id=event.message_id,
        event_type=event.type,
        payload=event.payload,
        created_at=event.created_at,
        attempts=delivery.attempts,
    )


def backoff(attempts: int, first: float) -> dt.timedelta:
    """Return the wait after the ``attempts``-th failed attempt: doubling from ``first`` s."""
    seconds = first * 2 ** min(attempts - 1, 40)  # bounded: timedelta overflows past ~1e14 s
    return min(dt.timedelta(seconds=min(seconds, MAX_BACKOFF.total_seconds())), MAX_BACKOFF)


def record_attempt(
    *,
    session: Session,
    delivery_id: int,
    attempted_at: dt.datetime,
    duration_ms: int,
    status_code: int | None,
    error: str | None,
    max_attempts: int,
    first_backoff: float,
) -> str:
    """Record one attempt and move the delivery on: delivered, retried later, or given up.

    :return: the outcome: ``delivered``, ``failed`` (to be retried) or ``abandoned``.
    """
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update={"of": WebhookDelivery})
    if delivery is None or delivery.status != PENDING:
        # Deleted with its subscription, or finished already, while the send was under way.
        return "gone"
    delivered = status_code is not None and 200 <= status_code < 300
    session.add(
        WebhookAttempt(
            delivery_id=delivery_id,
            attempted_at=attempted_at,
            status_code=status_code,
            error=error[:MAX_REASON_LENGTH] if error else None,
            duration_ms=duration_ms,
        )
    )
    delivery.attempts += 1
    if delivered:
        delivery.status, delivery.next_attempt_at = DELIVERED, None
        delivery.finished_at = attempted_at
        outcome = "delivered"
    elif delivery.attempts >= max_attempts:
        delivery.status, delivery.next_attempt_at = ABANDONED, None
        delivery.finished_at = attempted_at
        outcome = "abandoned"
    else:
        delivery.next_attempt_at = attempted_at + backoff(delivery.attempts, first_backoff)
        outcome = "failed"
    session.flush()
    return outcome


def pending_count(*, session: Session) -> int:
    """Return how many deliveries are still to be sent (due or not)."""
    return session.scalar(
        select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == PENDING)
    )
