"""Plain inputs and outputs of the recommender: no ORM, no Flask, just frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

MAX_LEVEL = 5

# What a learning path is planned under when the caller and the employee's preferences say
# nothing: the API documents these, the service fills them in, the benchmarks plan with them.
DEFAULT_MAX_HOURS = 80.0
DEFAULT_MAX_ITEMS = 8
DEFAULT_HOURS_PER_WEEK = 5.0


@dataclass(frozen=True, slots=True)
class SkillRecord:
    """One taxonomy entry as the resolver and the index see it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One catalog item as the index sees it; ``skills`` are levels reached on completion."""

    id: str
    title: str
    kind: str
    modality: str
    duration_hours: float
    cost: float = 0.0
    currency: str = "USD"
    language: str = "en"
    description: str = ""
    provider: str = ""
    url: str | None = None
    skills: tuple[tuple[str, int], ...] = ()
    prerequisites: tuple[tuple[str, int], ...] = ()
    requires_items: tuple[str, ...] = ()
    valid_months: int | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class Competency:
    """A required level of one skill, with its weight in (0, 1]."""

    skill: str
    level: int
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Target:
    """What the employee is aiming at: a role's competencies, or inline ones (``role_id`` None)."""

    competencies: tuple[Competency, ...]
    role_id: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Completion:
    """A completed catalog item; ``expires_at`` overrides the item's ``valid_months`` when given."""

    item: str
    completed_at: dt.date | None = None
    expires_at: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """An employee's effective state: skill levels and the items that count as completed."""

    levels: Mapping[str, int] = field(default_factory=dict)
    completed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Constraints:
    """Limits and filters for one learning path; ``None`` means unlimited / no filter."""

    max_hours: float | None = DEFAULT_MAX_HOURS
    budget: float | None = None
    max_items: int | None = DEFAULT_MAX_ITEMS
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK
    start_date: dt.date | None = None
    modalities: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    goal: str | None = None


class LevelChange(NamedTuple):
    """A skill moving from one level to another, the ``(skill, from, to)`` of explanations."""

    skill: str
    before: int
    after: int
