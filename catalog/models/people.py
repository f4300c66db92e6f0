"""Employees, their skills and target roles, and the role changes they make."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from catalog.models.base import Base, Timestamps, UTCDateTime
from catalog.vocabulary import (
    MAX_CATEGORY_LENGTH,
    MAX_EMAIL_LENGTH,
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
)

if TYPE_CHECKING:
    from catalog.models.evidence import Completion


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


class EmployeeTargetRole(Base):
    """A role an employee is aiming at, in the order the HRIS gave them."""

    __tablename__ = "employee_target_roles"

    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    role_id: Mapped[str] = mapped_column(ForeignKey("roles.id"), index=True)


class RoleChange(Base):
    """An employee's current role changing, and whether they had been aiming at the new one.

    Written with the profile write that moves them, so internal moves can be counted over time.
    """

    __tablename__ = "role_changes"
    __table_args__ = (Index("ix_role_changes_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    # No foreign keys: history outlives a role deleted from the catalog.
    from_role: Mapped[str | None] = mapped_column(String(MAX_ID_LENGTH))
    to_role: Mapped[str | None] = mapped_column(String(MAX_ID_LENGTH))
    # The new role was one of the employee's target roles before the write.
    targeted: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
