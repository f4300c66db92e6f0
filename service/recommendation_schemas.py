"""Request and response schemas of the recommendation endpoints.

Response schemas read the answers of :mod:`service.answers` and the recommender's results as
they are: a result sits under ``path``, ``step``, ``recommendation`` or ``report``, beside
what the answer adds to it (the target, the catalog item).
"""

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
from service.employees import CompletionSchema
from service.fields import (
    LANGUAGE_PATTERN,
    Amount,
    Flag,
    Id,
    Level,
    Number,
    Pattern,
    ScheduleDate,
    Share,
    SkillRef,
    StrictSchema,
)
from service.roles import CompetencySchema


class SortedStrings(fields.List):
    """A set of strings, answered as a sorted list."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else super()._serialize(sorted(value), attr, obj, **kwargs)


class TargetRefSchema(StrictSchema):
    """The target as the response names it."""

    role = fields.String(allow_none=True, attribute="role_id")
    title = fields.String(allow_none=True)


class LevelChangeSchema(StrictSchema):
    """A skill moving from one level to another."""

    skill = fields.String()
    from_ = fields.Integer(data_key="from", attribute="before")
    to = fields.Integer(attribute="after")


class MissingSchema(StrictSchema):
    """A prerequisite the employee does not meet: a skill level, or an item to complete."""

    skill = fields.String(allow_none=True, metadata={"description": "Skill id, or null"})
    level = fields.Integer(allow_none=True, metadata={"description": "Level the item needs"})
    item = fields.String(allow_none=True, metadata={"description": "Required item id, or null"})


class ItemSummarySchema(StrictSchema):
    """The catalog item a step or recommendation points at."""

    id = fields.String()
    title = fields.String()
    kind = fields.String()
    modality = fields.String()
    provider = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    language = fields.String()
    duration_hours = Amount()
    cost = Amount()
    currency = fields.String()


class ResolveArgsSchema(StrictSchema):
    """What to resolve."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME_LENGTH))
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class SkillMatchSchema(StrictSchema):
    """A canonical skill for the text, with a similarity score in [0, 1]."""

    skill = fields.String(attribute="skill_id")
    name = fields.String()
    score = Share()
    matched_on = fields.String(metadata={"description": "id, name, alias or description"})
    confident = fields.Boolean(
        metadata={
            "description": "The score reaches the resolver's threshold: imports and profiles "
            "with resolve take only confident matches"
        }
    )


class RoleArgsSchema(StrictSchema):
    """Which role to measure against (default: the employee's first target role)."""

    role = Id(metadata={"description": "Role id; defaults to the employee's first target role"})


class GapSchema(StrictSchema):
    """One competency compared with the employee's level."""

    skill = fields.String()
    current = fields.Integer()
    required = fields.Integer()
    weight = Share()
    gap = fields.Integer()
    weighted_gap = Share()


class GapReportSchema(StrictSchema):
    """How far an employee is from a role."""

    employee = fields.String(attribute="employee_id")
    target = fields.Nested(TargetRefSchema)
    readiness = Share(
        attribute="report.readiness",
        metadata={"description": "1 - weighted gap / sum(w * required)"},
    )
    weighted_gap = Share(attribute="report.weighted_gap")
    gaps = fields.List(
        fields.Nested(GapSchema), attribute="report.gaps", metadata={"description": "Largest first"}
    )
    met = fields.List(fields.Nested(GapSchema), attribute="report.met")
    catalog_version = fields.Integer()


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


class RecommendationSchema(StrictSchema):
    """One ranked item and what it would close."""

    item = fields.Nested(ItemSummarySchema)
    score = Share(attribute="recommendation.score")
    gain = Share(
        attribute="recommendation.gain",
        metadata={"description": "Weighted gap this item alone closes"},
    )
    similarity = Share(
        attribute="recommendation.similarity",
        metadata={"description": "Cosine of item and gap vectors"},
    )
    closes = fields.List(fields.Nested(LevelChangeSchema), attribute="recommendation.closes")
    ready = fields.Boolean(
        attribute="recommendation.ready",
        metadata={"description": "The employee meets its prerequisites"},
    )
    missing = fields.List(
        fields.Nested(MissingSchema),
        attribute="recommendation.missing",
        metadata={
            "description": "Prerequisites not met, empty when ready: {skill, level} for a "
            "skill level, {item} for an item to complete first"
        },
    )
    interested = fields.Boolean(
        metadata={"description": "The employee said they are interested (its score is raised)"}
    )


class RecommendationListSchema(StrictSchema):
    """Ranked items for an employee and a role."""

    employee = fields.String(attribute="employee_id")
    target = fields.Nested(TargetRefSchema)
    readiness = Share()
    items = fields.List(fields.Nested(RecommendationSchema))
    catalog_version = fields.Integer()


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


class StepSchema(StrictSchema):
    """One step of a learning path."""

    position = fields.Integer(attribute="step.position")
    item = fields.Nested(ItemSummarySchema)
    closes = fields.List(fields.Nested(LevelChangeSchema), attribute="step.closes")
    builds = fields.List(
        fields.Nested(LevelChangeSchema),
        attribute="step.builds",
        metadata={"description": "Other skills raised that later steps need"},
    )
    unlocks = fields.List(
        fields.Integer(), attribute="step.unlocks", metadata={"description": "Later step positions"}
    )
    start_week = fields.Integer(attribute="step.start_week")
    end_week = fields.Integer(attribute="step.end_week")
    start_date = fields.Date(attribute="step.start_date")
    end_date = fields.Date(attribute="step.end_date")
    why = fields.String(attribute="step.why")


class UnmetSchema(StrictSchema):
    """A requirement the path leaves open, and why."""

    skill = fields.String()
    current = fields.Integer()
    reached = fields.Integer(metadata={"description": "Level after the path"})
    required = fields.Integer()
    weight = Share()
    reason = fields.String()
    code = fields.String()


class AppliedConstraintsSchema(StrictSchema):
    """The constraints the path was planned under, defaults filled in."""

    max_hours = Amount(allow_none=True)
    budget = Amount(allow_none=True)
    max_items = fields.Integer(allow_none=True)
    hours_per_week = Amount()
    start_date = fields.Date(allow_none=True)
    modalities = SortedStrings(allow_none=True)
    languages = SortedStrings(allow_none=True)
    kinds = SortedStrings(allow_none=True)
    goal = fields.String(allow_none=True)


class ModelInfoSchema(StrictSchema):
    """Which model answered."""

    catalog_version = fields.Integer()
    planner = fields.String(metadata={"description": "milp, greedy or none"})
    optimal = fields.Boolean(
        metadata={"description": "True only when no plan over all available items covers more"}
    )
    bound = Share(
        allow_none=True,
        metadata={
            "description": "Best coverage any plan could reach; equals coverage when optimal, "
            "null when there was no gap"
        },
    )


class ExcludedItemSchema(StrictSchema):
    """An item the path would have taken, left out by the employee's feedback."""

    item = fields.Nested(ItemSummarySchema)
    because = fields.String(
        metadata={"description": "The item the feedback is about: this one, or one it requires"}
    )
    action = fields.String(metadata={"description": "dismiss or not_relevant"})


class LearningPathSchema(StrictSchema):
    """An ordered, scheduled and explained learning path."""

    target = fields.Nested(TargetRefSchema)
    readiness_before = Share(attribute="path.readiness_before")
    readiness_after = Share(attribute="path.readiness_after")
    coverage = Share(
        attribute="path.coverage",
        metadata={"description": "Share of the weighted gap the path closes"},
    )
    total_hours = Amount(attribute="path.total_hours")
    total_cost = Amount(attribute="path.total_cost")
    currency = fields.String(allow_none=True)
    steps = fields.List(fields.Nested(StepSchema))
    unmet = fields.List(fields.Nested(UnmetSchema), attribute="path.unmet")
    constraints = fields.Nested(AppliedConstraintsSchema, attribute="path.constraints")
    model = fields.Nested(ModelInfoSchema)
    excluded = fields.List(
        fields.Nested(ExcludedItemSchema),
        metadata={"description": "Items the path would have taken without the employee's feedback"},
    )


class RoleMatchArgsSchema(StrictSchema):
    """How many roles to list."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class RoleMatchSchema(StrictSchema):
    """A role and the employee's readiness for it."""

    role = fields.String(attribute="role_id")
    title = fields.String(allow_none=True)
    readiness = Share()
    weighted_gap = Share()
    gaps = fields.Integer(attribute="n_gaps")


class RoleMatchListSchema(StrictSchema):
    """Roles ranked by the employee's readiness."""

    employee = fields.String(attribute="employee_id")
    matches = fields.List(fields.Nested(RoleMatchSchema))
    catalog_version = fields.Integer()
