"""Typed SQLAlchemy models of every Skillpath table, one module per part of the domain.

Importing this package maps them all, so relationships across modules resolve.
"""

from catalog.models.access import (
    AccessToken,
    ApiKey,
    AppSecret,
    ConsoleSession,
    OAuthClient,
    ShareLink,
)
from catalog.models.base import Base, CatalogState, Timestamps, UTCDateTime, utcnow
from catalog.models.evidence import Completion, Feedback, Plan, SkillEvent, XapiStatement
from catalog.models.items import Item, ItemPrerequisite, ItemRequirement, ItemSkill
from catalog.models.outbox import Tombstone, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from catalog.models.people import Employee, EmployeeSkill, EmployeeTargetRole, RoleChange
from catalog.models.taxonomy import Role, RoleCompetency, RoleTitle, Skill, SkillAlias

__all__ = [
    "utcnow",
    "UTCDateTime",
    "Base",
    "Timestamps",
    "CatalogState",
    "Skill",
    "SkillAlias",
    "Role",
    "RoleCompetency",
    "RoleTitle",
    "Item",
    "ItemSkill",
    "ItemPrerequisite",
    "ItemRequirement",
    "Employee",
    "EmployeeSkill",
    "EmployeeTargetRole",
    "RoleChange",
    "Completion",
    "SkillEvent",
    "XapiStatement",
    "Plan",
    "Feedback",
    "ApiKey",
    "OAuthClient",
    "AccessToken",
    "ConsoleSession",
    "ShareLink",
    "AppSecret",
    "Tombstone",
    "Webhook",
    "WebhookEvent",
    "WebhookDelivery",
    "WebhookAttempt",
]
