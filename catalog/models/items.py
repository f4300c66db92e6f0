"""Catalog items: what each teaches, needs first and asks of a learner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from catalog.models.base import Base, Timestamps
from catalog.vocabulary import (
    MAX_ID_LENGTH,
    MAX_LANGUAGE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_URL_LENGTH,
)


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
