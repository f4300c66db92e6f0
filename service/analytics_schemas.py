"""Schemas of the workforce views: their query arguments and their answers."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma
from marshmallow import fields, validate

from catalog.vocabulary import (
    DEFAULT_CANDIDATES,
    DEFAULT_EXPIRING_DAYS,
    DEFAULT_MENTORS,
    KPI_INTERVALS,
    MAX_CANDIDATES,
    MAX_CATEGORY_LENGTH,
    MAX_EXPIRING_DAYS,
    MAX_KPI_PERIODS,
    MAX_MENTORS,
    MAX_NAME_LENGTH,
)
from recommender.workforce.kpis import count_periods
from service.common import ListArgsSchema
from service.fields import NO_NUL, Amount, Day, Id, Share, StrictSchema, Text, today
from service.recommendation_schemas import TargetRefSchema

LEVEL_COUNTS = "Six counts, for levels 0 to 5"


def Team(**kwargs) -> fields.String:  # noqa: N802 - reads as a field type
    """A team name, as employee profiles give it."""
    return Text(MAX_CATEGORY_LENGTH, metadata={"description": "Only this team"}, **kwargs)


class SkillsArgsSchema(ListArgsSchema):
    """Which employees, roles and skills the skills view covers."""

    team = Team()
    role = Id(
        metadata={
            "description": "Only this role's competencies, demanded by the employees holding "
            "or aiming at it"
        }
    )
    skill = fields.String(
        validate=[validate.Length(min=1, max=MAX_NAME_LENGTH), NO_NUL],
        metadata={"description": "Only this skill: id, or exact name or alias"},
    )


class DemandSchema(StrictSchema):
    """Employees whose current or a target role requires the skill, by the level required."""

    employees = fields.Integer()
    by_level = fields.List(
        fields.Integer(), metadata={"description": LEVEL_COUNTS + " (the highest their roles ask)"}
    )


class SkillSupplySchema(StrictSchema):
    """One skill across the organisation: levels held, levels required, and the shortfall."""

    skill = fields.String()
    name = fields.String(allow_none=True)
    employees_by_level = fields.List(fields.Integer(), metadata={"description": LEVEL_COUNTS})
    demand = fields.Nested(DemandSchema)
    met = fields.Integer(metadata={"description": "Employees in demand already at the level"})
    shortfall = Share(metadata={"description": "Sum of their weighted gaps"})
    covered = Share(
        allow_none=True,
        metadata={"description": "met / demand (share of the demand met); null without demand"},
    )


class HeatmapArgsSchema(StrictSchema):
    """Which role to lay the team against."""

    role = Id(metadata={"description": "Role id; without it, each employee's own target roles"})


class SkillColumnSchema(StrictSchema):
    """A skill column of the heatmap."""

    skill = fields.String()
    name = fields.String(allow_none=True)


class HeatRowSchema(StrictSchema):
    """One employee against one role; lists run along the heatmap's skill columns."""

    employee = fields.String()
    display_name = fields.String(allow_none=True)
    role = fields.String()
    readiness = Share(metadata={"description": "As GET /v1/employees/{id}/gaps gives it"})
    weighted_gap = Share()
    current = fields.List(fields.Integer(), metadata={"description": "Effective level per column"})
    required = fields.List(
        fields.Integer(allow_none=True),
        metadata={"description": "Level the role requires; null where it requires none"},
    )
    gap = fields.List(
        fields.Integer(allow_none=True),
        metadata={"description": "max(0, required - current); null where nothing is required"},
    )


class CompetencyTotalSchema(StrictSchema):
    """One skill column summed over the heatmap's rows."""

    skill = fields.String()
    required_by = fields.Integer(metadata={"description": "Rows whose role requires it"})
    below = fields.Integer(metadata={"description": "Rows below the level required"})
    gap = fields.Integer(metadata={"description": "Levels missing, summed"})
    weighted_gap = Share(metadata={"description": "Weighted gaps, summed"})


class HeatmapSchema(StrictSchema):
    """A team's employees against a role (or their own target roles), skill by skill."""

    team = fields.String()
    role = fields.Nested(TargetRefSchema, allow_none=True)
    skills = fields.List(fields.Nested(SkillColumnSchema), metadata={"description": "Columns"})
    employees = fields.List(
        fields.Nested(HeatRowSchema),
        metadata={"description": "One row per employee and role, in employee id order"},
    )
    totals = fields.List(fields.Nested(CompetencyTotalSchema))
    without_target = fields.List(
        fields.String(), metadata={"description": "Employees of the team with no row"}
    )


class CandidateArgsSchema(StrictSchema):
    """Whom to rank for the role, and how many to answer with."""

    team = Team()
    limit = fields.Integer(
        load_default=DEFAULT_CANDIDATES, validate=validate.Range(min=1, max=MAX_CANDIDATES)
    )


class CandidateSchema(StrictSchema):
    """An employee ranked for a role."""

    employee = fields.String()
    display_name = fields.String(allow_none=True)
    team = fields.String(allow_none=True)
    current_role = fields.String(allow_none=True)
    readiness = Share(metadata={"description": "As GET /v1/employees/{id}/gaps?role= gives it"})
    weighted_gap = Share()
    ready_now = fields.Boolean(metadata={"description": "readiness >= ready_now_threshold"})
    hours_to_ready = Amount(
        allow_none=True,
        metadata={
            "description": "Learning hours of the planner's path closing the whole gap (no "
            "limit on hours, items or budget); null when no available item closes it"
        },
    )


class CandidateListSchema(StrictSchema):
    """Employees ranked by readiness for a role (those already in it left out)."""

    role = fields.Nested(TargetRefSchema)
    ready_now_threshold = Share()
    screened = fields.Integer(metadata={"description": "Employees ranked"})
    candidates = fields.List(fields.Nested(CandidateSchema), metadata={"description": "Best first"})
    catalog_version = fields.Integer()


class MentorArgsSchema(StrictSchema):
    """Which role's gap to cover, and how many mentors to answer with."""

    role = Id(metadata={"description": "Role id; defaults to the employee's first target role"})
    limit = fields.Integer(
        load_default=DEFAULT_MENTORS, validate=validate.Range(min=1, max=MAX_MENTORS)
    )


class MentorSkillSchema(StrictSchema):
    """A gap skill the mentor holds at a higher level than the employee."""

    skill = fields.String()
    employee_level = fields.Integer()
    mentor_level = fields.Integer()
    required = fields.Integer()


class MentorSchema(StrictSchema):
    """A colleague who offered to mentor (`preferences.mentor: true`)."""

    employee = fields.String()
    display_name = fields.String(allow_none=True)
    team = fields.String(allow_none=True)
    covered = Share(
        metadata={"description": "Share of the employee's weighted gap the mentor's levels cover"}
    )
    weighted_gap_covered = Share()
    skills = fields.List(fields.Nested(MentorSkillSchema))


class MentorListSchema(StrictSchema):
    """Mentors ranked by how much of an employee's weighted gap they cover."""

    employee = fields.String()
    target = fields.Nested(TargetRefSchema)
    weighted_gap = Share()
    mentors = fields.List(fields.Nested(MentorSchema))


class CertificationArgsSchema(ListArgsSchema):
    """How far ahead to look, and whose certifications."""

    expiring_within_days = fields.Integer(
        load_default=DEFAULT_EXPIRING_DAYS,
        validate=validate.Range(min=0, max=MAX_EXPIRING_DAYS),
        metadata={"description": "Certifications whose last valid day is at most this far ahead"},
    )
    team = Team()


class CertificationHeldSchema(StrictSchema):
    """A certification an employee holds (or held) and the last day it counts."""

    employee = fields.String()
    display_name = fields.String(allow_none=True)
    team = fields.String(allow_none=True)
    certification = fields.String(metadata={"description": "Catalog item id"})
    title = fields.String()
    completed_at = fields.Date(allow_none=True)
    expires_on = fields.Date(metadata={"description": "Last day it counts"})
    days_left = fields.Integer(metadata={"description": "Negative once expired"})
    status = fields.String(validate=validate.OneOf(("expiring", "expired")))


class KpiArgsSchema(StrictSchema):
    """The periods to report, and whose figures."""

    from_ = Day(
        data_key="from",
        metadata={"description": "First day (its period is the first); default a year before to"},
    )
    to = Day(metadata={"description": "Last day (its period is the last), at most today"})
    interval = fields.String(load_default="month", validate=validate.OneOf(KPI_INTERVALS))
    team = Team()
    role = Id(metadata={"description": "Measure the gap against this role, not target roles"})

    @ma.post_load
    def _defaults(self, data, **kwargs):
        data.setdefault("to", today())
        data.setdefault("from_", data["to"].replace(year=data["to"].year - 1) + dt.timedelta(1))
        return data

    @ma.validates_schema
    def _window(self, data, **kwargs):
        last = data.get("to") or today()
        if last > today():
            raise ma.ValidationError(f"Give a day up to today ({today()}).", field_name="to")
        first = data.get("from_")
        if first is None:
            return
        if first > last:
            raise ma.ValidationError("Give a day on or before `to`.", field_name="from")
        interval = data.get("interval", "month")
        if count_periods(first, last, interval) > MAX_KPI_PERIODS:
            raise ma.ValidationError(
                f"Ask for at most {MAX_KPI_PERIODS} periods: move `from` closer to `to`, or "
                "take a longer interval.",
                field_name="from",
            )


class PeriodSchema(StrictSchema):
    """The KPIs of one period; null figures and `has_history: false` before history starts."""

    start = fields.Date()
    end = fields.Date(metadata={"description": "Last day of the period"})
    has_history = fields.Boolean()
    employees_counted = fields.Integer(
        allow_none=True, metadata={"description": "Employees known before the period started"}
    )
    weighted_gap_at_start = Share(allow_none=True)
    weighted_gap_closed = Share(allow_none=True)
    skills_gap_closure_rate = Share(
        allow_none=True,
        metadata={"description": "weighted_gap_closed / weighted_gap_at_start; null when 0"},
    )
    certifications_active = fields.Integer(allow_none=True)
    certifications_earned = fields.Integer(allow_none=True)
    plans_completed = fields.Integer(allow_none=True)
    plan_completion_rate = Share(
        allow_none=True,
        metadata={"description": "Completed / (completed + abandoned) among plans that ended"},
    )
    learning_hours = Amount(allow_none=True)
    internal_moves = fields.Integer(allow_none=True)


class KpiSeriesSchema(StrictSchema):
    """Workforce KPIs per period, from the skill history, plans and role changes."""

    interval = fields.String()
    team = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    history_starts = fields.DateTime(allow_none=True)
    periods = fields.List(fields.Nested(PeriodSchema))
