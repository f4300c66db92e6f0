"""Learning evidence and what it becomes: completions, skill history, xAPI, plans, feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, synonym

from catalog.models.base import Base, UTCDateTime, utcnow
from catalog.vocabulary import (
    MAX_ID_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SOURCE_LENGTH,
    MAX_URL_LENGTH,
)


class Completion(Base):
    """Learning evidence: an employee completed a catalog item on a day.

    One row per (employee, item, day): the same completion recorded twice is one, and an
    item completed again later (a renewed certification) is another.
    """

    __tablename__ = "completions"
    __table_args__ = (
        UniqueConstraint(
            "employee_id", "item_id", "completed_at", name="uq_completions_employee_item_day"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    completed_at: Mapped[dt.date | None] = mapped_column(Date)
    expires_at: Mapped[dt.date | None] = mapped_column(Date)
    score: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(MAX_SOURCE_LENGTH))
    # The xAPI statement that recorded it, if one did.
    statement_id: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    item: Mapped[str] = synonym("item_id")


class SkillEvent(Base):
    """A change of one of an employee's effective skill levels, and what made it.

    Expiry events are written ahead, dated the day a certification stops counting; reads
    show only events up to now.
    """

    __tablename__ = "skill_events"
    __table_args__ = (Index("ix_skill_events_employee_at", "employee_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    # No foreign key: history outlives a skill deleted from the taxonomy.
    skill_id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH))
    from_level: Mapped[int] = mapped_column(Integer)
    to_level: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(MAX_ID_LENGTH + 20))
    cause: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class XapiStatement(Base):
    """An xAPI statement as an LRS forwarded it, and what it was matched to.

    Every statement is kept, matched or not; ``unmatched`` says why one is not linked to
    both an employee and an item yet, and is cleared when a later write matches it.
    """

    __tablename__ = "xapi_statements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # SHA-256 of the actor's identifier ("account:<name>" or "mbox:<email>") and of the
    # object's id: what later employee and item writes look unmatched statements up by.
    actor_key: Mapped[str | None] = mapped_column(String(64), index=True)
    object_key: Mapped[str | None] = mapped_column(String(64), index=True)
    verb: Mapped[str] = mapped_column(String(MAX_URL_LENGTH))
    timestamp: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    employee_id: Mapped[str | None] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str | None] = mapped_column(ForeignKey("items.id"), index=True)
    # Whether, once matched, the statement records a completion of its item.
    completes: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float | None] = mapped_column(Float)
    unmatched: Mapped[str | None] = mapped_column(String(30), index=True)
    statement: Mapped[dict[str, Any]] = mapped_column()


class Plan(Base):
    """A kept learning path: its steps as planned, and its life (active until it ends).

    The path is kept as the answer showed it (``path`` and ``steps``), so a plan reads the
    same whatever later happens to the catalog; progress is worked out on each read.
    """

    __tablename__ = "plans"
    __table_args__ = (
        # One active plan per employee and role; ended plans stay for the record.
        Index(
            "uq_plans_one_active",
            "employee_id",
            "role_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH))
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Completions on or after this day count for the plan's steps.
    created_on: Mapped[dt.date] = mapped_column(Date)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    replaces: Mapped[str | None] = mapped_column(String(36))
    superseded_by: Mapped[str | None] = mapped_column(String(36))
    # The constraints as the request gave them: a replan plans under them again.
    requested: Mapped[dict[str, Any]] = mapped_column()
    path: Mapped[dict[str, Any]] = mapped_column()
    steps: Mapped[list[Any]] = mapped_column(JSON)


class Feedback(Base):
    """What an employee said about a catalog item: dismiss, not relevant, or interested."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("employee_id", "item_id", name="uq_feedback_employee_item"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(MAX_REASON_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
