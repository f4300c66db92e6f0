"""Webhook subscriptions and the outbox their events are written to.

:func:`emit` writes an event, and one pending delivery for every subscription that wants its
type, in the caller's transaction: an event exists exactly when the change it tells about
was committed, whether or not a deliverer is running, and nothing is written for a change
rolled back. ``skillpath deliver`` (:mod:`service.deliverer`) sends the deliveries later.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.errors import NotFoundError
from catalog.models import Webhook, WebhookDelivery, WebhookEvent, utcnow
from catalog.queries import Page, changed_since, paginate
from catalog.webhook_urls import check_url

SECRET_PREFIX = "whsec_"
# Bytes of a signing secret: Standard Webhooks asks for 24 to 64.
SECRET_BYTES = 32
MESSAGE_PREFIX = "msg_"
PENDING, DELIVERED, ABANDONED = "pending", "delivered", "abandoned"


def new_secret() -> str:
    """Return a fresh signing secret in the Standard Webhooks form (``whsec_`` + base64)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def create_webhook(
    *, session: Session, url: str, events: Sequence[str], allow_hosts: Collection[str]
) -> Webhook:
    """Subscribe ``url`` to ``events`` with a new signing secret.

    :raise UnsafeWebhookUrlError: the URL may not receive webhooks.
    """
    check_url(url, allow_hosts=allow_hosts)
    now = utcnow()
    webhook = Webhook(
        id=str(uuid.uuid4()),
        url=url,
        events=sorted(set(events)),
        secret=new_secret(),
        created_at=now,
        updated_at=now,
    )
    session.add(webhook)
    session.flush()
    return webhook


def get_webhook(*, session: Session, webhook_id: str, for_update: bool = False) -> Webhook:
    """Return one subscription.

    :raise NotFoundError: there is no such subscription.
    """
    query = select(Webhook).where(Webhook.id == webhook_id)
    if for_update:
        query = query.with_for_update()
    webhook = session.scalars(query).one_or_none()
    if webhook is None:
        raise NotFoundError("webhook", webhook_id)
    return webhook


def change_webhook(
    *,
    session: Session,
    webhook: Webhook,
    changes: Mapping[str, Any],
    allow_hosts: Collection[str],
) -> Webhook:
    """Change a subscription's ``url`` or ``events``; its secret and pending deliveries stay.

    :raise UnsafeWebhookUrlError: the new URL may not receive webhooks.
    """
    if "url" in changes and changes["url"] != webhook.url:
        check_url(changes["url"], allow_hosts=allow_hosts)
        webhook.url = changes["url"]
    if "events" in changes and sorted(set(changes["events"])) != webhook.events:
        webhook.events = sorted(set(changes["events"]))
    if session.is_modified(webhook):
        webhook.updated_at = utcnow()
    session.flush()
    return webhook


def delete_webhook(*, session: Session, webhook: Webhook) -> None:
    """Delete a subscription with its deliveries; events other subscriptions await stay."""
    session.delete(webhook)
    session.flush()


def list_webhooks(
    *,
    session: Session,
    page: int,
    page_size: int,
    updated_since: dt.datetime | None = None,
    after_id: str | None = None,
) -> Page[Webhook]:
    """List subscriptions, oldest first, or those changed since a time in the order they changed."""
    query = select(Webhook).order_by(Webhook.created_at, Webhook.id)
    query = changed_since(
        query, updated_at=Webhook.updated_at, key=Webhook.id, since=updated_since, after=after_id
    )
    return paginate(session, query, page=page, page_size=page_size)


def list_deliveries(
    *, session: Session, webhook_id: str, page: int, page_size: int, status: str | None = None
) -> Page[WebhookDelivery]:
    """List a subscription's deliveries with their attempts, the latest event first.

    :raise NotFoundError: there is no such subscription.
    """
    get_webhook(session=session, webhook_id=webhook_id)
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.due_at.desc(), WebhookDelivery.id.desc())
    )
    if status:
        query = query.where(WebhookDelivery.status == status)
    return paginate(session, query, page=page, page_size=page_size)


def emit(
    *,
    session: Session,
    event_type: str,
    payload: Mapping[str, Any],
    due_at: dt.datetime | None = None,
) -> WebhookEvent | None:
    """Write an event to the outbox for every subscription to its type, in this transaction.

    :param due_at: when it may be sent (later for a notice ahead of a date); now by default.
    :return: the event, or None when no subscription wants it (then nothing is written).
    """
    wanted = [
        webhook_id
        for webhook_id, events in session.execute(select(Webhook.id, Webhook.events))
        if event_type in events
    ]
    if not wanted:
        return None
    now = utcnow()
    due_at = max(due_at or now, now)
    event = WebhookEvent(
        message_id=MESSAGE_PREFIX + uuid.uuid4().hex,
        type=event_type,
        payload=dict(payload),
        created_at=now,
    )
    session.add(event)
    session.flush()
    session.add_all(
        WebhookDelivery(
            webhook_id=webhook_id,
            event_id=event.id,
            status=PENDING,
            due_at=due_at,
            next_attempt_at=due_at,
            attempts=0,
        )
        for webhook_id in sorted(wanted)
    )
    session.flush()
    return event
