"""Typed SQLAlchemy models: taxonomy, catalog, roles, employees, learning evidence and plans,
API keys, OAuth clients and their access tokens, tombstones of deleted records, catalog version,
webhook subscriptions and their outbox.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, synonym

from catalog.vocabulary import (
    MAX_CATEGORY_LENGTH,
    MAX_EMAIL_LENGTH,
    MAX_ID_LENGTH,
    MAX_KEY_LENGTH,
    MAX_LANGUAGE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SOURCE_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_URL_LENGTH,
)


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base of every Skillpath table."""

    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Timestamps:
    """Creation and last-change times, kept by the database session."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CatalogState(Base):
    """A single row whose ``version`` moves with every taxonomy, catalog or role write."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Skill(Timestamps, Base):
    """An entry of the skills taxonomy."""

    __tablename__ = "skills"
    # Change feeds read rows changed since a moment, in (updated_at, id) order.
    __table_args__ = (Index("ix_skills_updated_at", "updated_at", "id"),)

    id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), unique=True)
    category: Mapped[str | None] = mapped_column(String(MAX_CATEGORY_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    external_ids: Mapped[dict[str, Any]] = mapped_column(default=dict)

    alias_rows: Mapped[list[SkillAlias]] = relationship(
        cascade="all, delete-orphan", order_by="SkillAlias.position", lazy="selectin"
    )
    aliases: AssociationProxy[list[str]] = association_proxy("alias_rows", "alias")


class SkillAlias(Base):
    """Another name a skill goes by; matched case-insensitively."""

    __tablename__ = "skill_aliases"
    __table_args__ = (Index("ix_skill_aliases_alias_key", "alias_key"),)

    skill_id: Mapped[str] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    alias: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    alias_key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))


class Item(Timestamps, Base):
    """A catalog item: a course, certification, mentoring, program, assignment or content."""

    __tablename__ = "items"
    __table_args__ = (Index("ix_items_updated_at", "updated_at", "id"),)

    id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(String(MAX_NAME_LENGTH))
    url: Mapped[str | None] = mapped_column(String(MAX_URL_LENGTH))
    language: Mapped[str] = mapped_column(String(MAX_LANGUAGE_LENGTH), default="en")
    modality: Mapped[str] = mapped_column(String(20))
    duration_hours: Mapped[float] = mapped_column(Float)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    valid_months: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    external_ids: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # SHA-256 of the url and of external_ids["xapi"]: how xAPI activity ids find the item
    # (a url may be longer than an index entry can be).
    url_key: Mapped[str | None] = mapped_column(String(64), index=True)
    xapi_key: Mapped[str | None] = mapped_column(String(64), index=True)

    skills: Mapped[list[ItemSkill]] = relationship(
        cascade="all, delete-orphan", order_by="ItemSkill.skill_id", lazy="selectin"
    )
    prerequisites: Mapped[list[ItemPrerequisite]] = relationship(
        cascade="all, delete-orphan", order_by="ItemPrerequisite.skill_id", lazy="selectin"
    )
    requirement_rows: Mapped[list[ItemRequirement]] = relationship(
        cascade="all, delete-orphan",
        order_by="ItemRequirement.required_item_id",
        foreign_keys="ItemRequirement.item_id",
        lazy="selectin",
    )
    requires_items: AssociationProxy[list[str]] = association_proxy(
        "requirement_rows", "required_item_id"
    )


class ItemSkill(Base):
    """A skill an item teaches, and the level reached on completion."""

    __tablename__ = "item_skills"

    item_id: Mapped[str] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    level: Mapped[int] = mapped_column(Integer)
    skill: Mapped[str] = synonym("skill_id")


class ItemPrerequisite(Base):
    """A skill level an item expects before it starts."""

    __tablename__ = "item_prerequisites"

    item_id: Mapped[str] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    level: Mapped[int] = mapped_column(Integer)
    skill: Mapped[str] = synonym("skill_id")


class ItemRequirement(Base):
    """An item that must be completed before another one."""

    __tablename__ = "item_requirements"

    item_id: Mapped[str] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    required_item_id: Mapped[str] = mapped_column(
        ForeignKey("items.id"), primary_key=True, index=True
    )


class Role(Timestamps, Base):
    """A role profile: the competencies a role demands, with levels and weights."""

    __tablename__ = "roles"
    __table_args__ = (Index("ix_roles_updated_at", "updated_at", "id"),)

    id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), primary_key=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    family: Mapped[str | None] = mapped_column(String(MAX_CATEGORY_LENGTH), index=True)
    external_ids: Mapped[dict[str, Any]] = mapped_column(default=dict)

    competencies: Mapped[list[RoleCompetency]] = relationship(
        cascade="all, delete-orphan", order_by="RoleCompetency.skill_id", lazy="selectin"
    )
    title_rows: Mapped[list[RoleTitle]] = relationship(
        cascade="all, delete-orphan", order_by="RoleTitle.position", lazy="selectin"
    )
    alternate_titles: AssociationProxy[list[str]] = association_proxy("title_rows", "title")


class RoleCompetency(Base):
    """A required level of one skill in a role, weighted in (0, 1]."""

    __tablename__ = "role_competencies"

    role_id: Mapped[str] = mapped_column(
        ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    level: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float)
    skill: Mapped[str] = synonym("skill_id")


class RoleTitle(Base):
    """Another job title a role is known by (searchable)."""

    __tablename__ = "role_titles"

    role_id: Mapped[str] = mapped_column(
        ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))


class Employee(Timestamps, Base):
    """An employee's skill profile as pushed by an HRIS or an LXP."""

    __tablename__ = "employees"
    __table_args__ = (
        Index("ix_employees_updated_at", "updated_at", "id"),
        UniqueConstraint("email_key", name="uq_employees_email_key"),
    )

    id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(MAX_NAME_LENGTH))
    team: Mapped[str | None] = mapped_column(String(MAX_CATEGORY_LENGTH), index=True)
    # "current_role" is reserved in SQL, so the column takes another name.
    current_role: Mapped[str | None] = mapped_column(
        "current_role_id", ForeignKey("roles.id"), index=True
    )
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    email: Mapped[str | None] = mapped_column(String(MAX_EMAIL_LENGTH))
    # The email lower-cased: one person per address, and what xAPI ``mbox`` actors match.
    email_key: Mapped[str | None] = mapped_column(String(MAX_EMAIL_LENGTH))

    skills: Mapped[list[EmployeeSkill]] = relationship(
        cascade="all, delete-orphan", order_by="EmployeeSkill.skill_id", lazy="selectin"
    )
    completed: Mapped[list[Completion]] = relationship(
        cascade="all, delete-orphan",
        order_by="[Completion.item_id, Completion.completed_at]",
        lazy="selectin",
    )
    target_rows: Mapped[list[EmployeeTargetRole]] = relationship(
        cascade="all, delete-orphan", order_by="EmployeeTargetRole.position", lazy="selectin"
    )
    target_roles: AssociationProxy[list[str]] = association_proxy("target_rows", "role_id")


class EmployeeSkill(Base):
    """One skill level of an employee, with where the level comes from and when it was assessed."""

    __tablename__ = "employee_skills"

    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    level: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), default="self")
    assessed_at: Mapped[dt.date | None] = mapped_column(Date)
    skill: Mapped[str] = synonym("skill_id")


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


class EmployeeTargetRole(Base):
    """A role an employee is aiming at, in the order the HRIS gave them."""

    __tablename__ = "employee_target_roles"

    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id"), index=True)


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


class ApiKey(Base):
    """An API key: only the SHA-256 of its secret is stored."""

    __tablename__ = "api_keys"
    __table_args__ = (Index("ix_api_keys_updated_at", "updated_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class OAuthClient(Base):
    """An OAuth 2.0 client (client credentials grant): only the SHA-256 of its secret is stored."""

    __tablename__ = "oauth_clients"
    __table_args__ = (Index("ix_oauth_clients_updated_at", "updated_at", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AccessToken(Base):
    """A short-lived bearer token issued to an OAuth client: only its SHA-256 is stored."""

    __tablename__ = "oauth_access_tokens"
    __table_args__ = (Index("ix_oauth_access_tokens_client_expiry", "client_pk", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    client: Mapped[OAuthClient] = relationship(lazy="joined")


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


__all__ = [
    "AccessToken",
    "ApiKey",
    "Base",
    "CatalogState",
    "Completion",
    "Employee",
    "EmployeeSkill",
    "EmployeeTargetRole",
    "Feedback",
    "Item",
    "ItemPrerequisite",
    "ItemRequirement",
    "ItemSkill",
    "OAuthClient",
    "Plan",
    "Role",
    "RoleCompetency",
    "RoleTitle",
    "Skill",
    "SkillAlias",
    "Tombstone",
    "SkillEvent",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
    "XapiStatement",
]
