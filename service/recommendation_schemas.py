"""Response schemas of the recommendation endpoints.

They read the answers of :mod:`service.answers` and the recommender's results as they are: a
result sits under ``path``, ``step``, ``recommendation`` or ``report``, beside what the answer
adds to it (the target, the catalog item). An answer schema dumps through the function
:mod:`service.dumping` compiles of it; the request schemas are in
:mod:`service.recommendation_args`.
"""

from __future__ import annotations

from marshmallow import fields

from service.dumping import CompiledDump, RememberedDump
from service.fields import Amount, Share, StrictSchema


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


class ItemSummarySchema(RememberedDump, StrictSchema):
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


class SkillMatchSchema(CompiledDump, StrictSchema):
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


class GapSchema(StrictSchema):
    """One competency compared with the employee's level."""

    skill = fields.String()
    current = fields.Integer()
    required = fields.Integer()
    weight = Share()
    gap = fields.Integer()
    weighted_gap = Share()


class GapReportSchema(CompiledDump, StrictSchema):
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


class RecommendationListSchema(CompiledDump, StrictSchema):
    """Ranked items for an employee and a role."""

    employee = fields.String(attribute="employee_id")
    target = fields.Nested(TargetRefSchema)
    readiness = Share()
    items = fields.List(fields.Nested(RecommendationSchema))
    catalog_version = fields.Integer()


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


class LearningPathSchema(CompiledDump, StrictSchema):
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


class RoleMatchSchema(StrictSchema):
    """A role and the employee's readiness for it."""

    role = fields.String(attribute="role_id")
    title = fields.String(allow_none=True)
    readiness = Share()
    weighted_gap = Share()
    gaps = fields.Integer(attribute="n_gaps")


class RoleMatchListSchema(CompiledDump, StrictSchema):
    """Roles ranked by the employee's readiness."""

    employee = fields.String(attribute="employee_id")
    matches = fields.List(fields.Nested(RoleMatchSchema))
    catalog_version = fields.Integer()
