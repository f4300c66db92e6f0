"""The skills taxonomy and role profiles L&D maintains."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
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
    MAX_CATEGORY_LENGTH,
    MAX_ID_LENGTH,
    MAX_KEY_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TITLE_LENGTH,
)


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
