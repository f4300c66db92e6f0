"""What the workforce views answer with: plain dataclasses their schemas serialise."""

from __future__ import annotations

from dataclasses import dataclass

from recommender.types import Target


@dataclass(frozen=True, slots=True)
class SkillRow:
    """Supply and demand of one skill across the employees a request covers."""

    skill: str
    name: str | None
    employees_by_level: list[int]
    demand: dict[str, object]
    met: int
    shortfall: float
    covered: float | None


@dataclass(frozen=True, slots=True)
class HeatRow:
    """One employee against one role, over the heatmap's skill columns."""

    employee: str
    display_name: str | None
    role: str
    readiness: float
    weighted_gap: float
    current: list[int]
    required: list[int | None]
    gap: list[int | None]


@dataclass(frozen=True, slots=True)
class Heatmap:
    """A team's employees against a role (or their own target roles), skill by skill."""

    team: str
    role: Target | None
    skills: list[dict[str, str | None]]
    employees: list[HeatRow]
    totals: list[dict[str, object]]
    without_target: list[str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An employee ranked for a role."""

    employee: str
    display_name: str | None
    team: str | None
    current_role: str | None
    readiness: float
    weighted_gap: float
    ready_now: bool
    hours_to_ready: float | None


@dataclass(frozen=True, slots=True)
class Candidates:
    """Employees ranked by readiness for a role."""

    role: Target
    ready_now_threshold: float
    screened: int
    candidates: list[Candidate]
    catalog_version: int


@dataclass(frozen=True, slots=True)
class Mentor:
    """A colleague who offered to mentor, and the gaps their levels would cover."""

    employee: str
    display_name: str | None
    team: str | None
    covered: float
    weighted_gap_covered: float
    skills: list[dict[str, object]]


@dataclass(frozen=True, slots=True)
class Mentors:
    """Mentors ranked by how much of an employee's weighted gap they would cover."""

    employee: str
    target: Target
    weighted_gap: float
    mentors: list[Mentor]
