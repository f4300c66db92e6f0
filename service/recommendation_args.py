"""Request schemas of the recommendation endpoints: query arguments, profiles, targets, limits."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from catalog.vocabulary import (
    ITEM_KINDS,
    MAX_COMPETENCIES,
    MAX_COMPLETIONS,
    MAX_COST,
    MAX_DURATION_HOURS,
    MAX_EMPLOYEE_SKILLS,
    MAX_HOURS_PER_WEEK,
    MAX_NAME_LENGTH,
    MIN_HOURS_PER_WEEK,
    MODALITIES,
)
from recommender.types import DEFAULT_HOURS_PER_WEEK, DEFAULT_MAX_HOURS, DEFAULT_MAX_ITEMS
from service.common import RememberedQuery
from service.employees import CompletionSchema
from service.fields import (
    LANGUAGE_PATTERN,
    Flag,
    Id,
    Level,
    Number,
    Pattern,
    ScheduleDate,
    SkillRef,
    StrictSchema,
)
from service.roles import CompetencySchema


class ResolveArgsSchema(RememberedQuery, StrictSchema):
    """What to resolve."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME_LENGTH))
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class RoleArgsSchema(RememberedQuery, StrictSchema):
    """Which role to measure against (default: the employee's first target role)."""

    role = Id(metadata={"description": "Role id; defaults to the employee's first target role"})


class RecommendationArgsSchema(RoleArgsSchema):
    """Which role, how many items, and optional filters."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    goal = fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "Free text matched against item titles and descriptions"},
    )
    modality = fields.List(
        fields.String(validate=validate.OneOf(MODALITIES)),
        metadata={"description": "Allowed modalities (default: preferences.modalities, else all)"},
    )
    language = fields.List(
        fields.String(validate=Pattern(LANGUAGE_PATTERN)),
        metadata={"description": "Allowed languages (default: preferences.languages, else all)"},
    )
    kind = fields.List(fields.String(validate=validate.OneOf(ITEM_KINDS)))


class ConstraintsSchema(StrictSchema):
    """Limits and filters of a path; absent ones take the employee's preferences or defaults."""

    max_hours = Number(
        validate=validate.Range(min=0, max=MAX_DURATION_HOURS, min_inclusive=False),
        metadata={"description": f"Total study hours (default {DEFAULT_MAX_HOURS:g})"},
    )
    budget = Number(
        allow_none=True,
        validate=validate.Range(min=0, max=MAX_COST),
        metadata={"description": "Total cost (default: preferences.budget, else unlimited)"},
    )
    max_items = fields.Integer(
        validate=validate.Range(min=1, max=50),
        metadata={"description": f"Most steps (default {DEFAULT_MAX_ITEMS})"},
    )
    hours_per_week = Number(
        validate=validate.Range(min=MIN_HOURS_PER_WEEK, max=MAX_HOURS_PER_WEEK),
        metadata={
            "description": "Pace of the schedule (default: preferences.hours_per_week, "
            f"else {DEFAULT_HOURS_PER_WEEK:g})"
        },
    )
    start_date = ScheduleDate(
        metadata={
            "description": "First day of the schedule (default today), within a year "
            "before today and five years after"
        }
    )
    modalities = fields.List(
        fields.String(validate=validate.OneOf(MODALITIES)),
        validate=validate.Length(min=1, max=10),
        metadata={"description": "Allowed modalities (default: preferences.modalities, else all)"},
    )
    languages = fields.List(
        fields.String(validate=Pattern(LANGUAGE_PATTERN)),
        validate=validate.Length(min=1, max=20),
        metadata={"description": "Allowed languages (default: preferences.languages, else all)"},
    )
    kinds = fields.List(
        fields.String(validate=validate.OneOf(ITEM_KINDS)),
        validate=validate.Length(min=1, max=10),
        metadata={"description": "Allowed item kinds (default all)"},
    )
    goal = fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "Free text that favours matching items among candidates"},
    )


class EmployeePathRequestSchema(StrictSchema):
    """A path for a stored employee."""

    role = Id(metadata={"description": "Target role (default: the employee's first target role)"})
    constraints = fields.Nested(ConstraintsSchema, load_default=dict)


class ProfileSkillSchema(StrictSchema):
    """A stated skill level."""

    skill = SkillRef()
    level = Level(minimum=0)


class InlineProfileSchema(StrictSchema):
    """A profile carried in the request: nothing is stored."""

    skills = fields.List(
        fields.Nested(ProfileSkillSchema),
        load_default=list,
        validate=validate.Length(max=MAX_EMPLOYEE_SKILLS),
    )
    completed = fields.List(
        fields.Nested(CompletionSchema),
        load_default=list,
        validate=validate.Length(max=MAX_COMPLETIONS),
    )
    resolve = Flag(
        load_default=False,
        metadata={"description": "Resolve skill names that match no id, name or alias fuzzily"},
    )


class InlineTargetSchema(StrictSchema):
    """A role id, or inline competencies: exactly one of the two."""

    # Added to the OpenAPI document by create_app, which apispec cannot derive.
    ONE_OF = [{"required": ["role"]}, {"required": ["competencies"]}]

    role = Id()
    title = fields.String(validate=validate.Length(max=300))
    competencies = fields.List(
        fields.Nested(CompetencySchema), validate=validate.Length(min=1, max=MAX_COMPETENCIES)
    )

    @validates_schema
    def _one_of(self, data, **kwargs):
        if ("role" in data) == ("competencies" in data):
            raise ValidationError("Give either role or competencies.", "_schema")


class StatelessPathRequestSchema(StrictSchema):
    """A path for a profile sent in the request."""

    profile = fields.Nested(InlineProfileSchema, required=True)
    target = fields.Nested(InlineTargetSchema, required=True)
    constraints = fields.Nested(ConstraintsSchema, load_default=dict)


class RoleMatchArgsSchema(RememberedQuery, StrictSchema):
    """How many roles to list."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
