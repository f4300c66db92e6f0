"""What leaves the service: tombstones of deleted records and the webhook outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models.base import Base, UTCDateTime, utcnow
from catalog.vocabulary import (
    MAX_ID_LENGTH,
    MAX_REASON_LENGTH,
    MAX_URL_LENGTH,
)


class Tombstone(Base):
    """A record that was deleted: its type, id and when, for the change feed."""

    __tablename__ = "tombstones"
    __table_args__ = (Index("ix_tombstones_deleted_at", "deleted_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH))
    deleted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Webhook(Base):
    """A webhook subscription: where to send which events, and the secret that signs them.

    The secret is stored as it was shown: signing needs it back, so it cannot be hashed.
    ``lease_owner`` and ``lease_until`` say which deliverer is sending this subscription's
    events right now; no other deliverer sends them until the lease runs out.
    """

    __tablename__ = "webhooks"
    __table_args__ = (Index("ix_webhooks_updated_at", "updated_at", "id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    url: Mapped[str] = mapped_column(String(MAX_URL_LENGTH))
    events: Mapped[list[str]] = mapped_column()
    secret: Mapped[str] = mapped_column(String(64))
    # Set by the domain functions only: a deliverer's lease must not look like a change.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class WebhookEvent(Base):
    """An event in the outbox, written in the transaction of the change it tells about."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The Standard Webhooks message id (``webhook-id``): the same on every retry.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebhookDelivery(Base):
    """One event to send to one subscription: pending until delivered or given up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_queue", "webhook_id", "status", "due_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # When it may first be sent (its place in the subscription's order), and when next.
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[WebhookEvent] = relationship(lazy="joined")
    tries: Mapped[list[WebhookAttempt]] = relationship(
        cascade="all, delete-orphan", order_by="WebhookAttempt.id", lazy="selectin"
    )


class WebhookAttempt(Base):
    """One try at sending a delivery, and what the receiver answered (or what went wrong)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(MAX_REASON_LENGTH))
    duration_ms: Mapped[int] = mapped_column(Integer)
