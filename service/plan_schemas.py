"""Response and query schemas of the plan endpoints: a kept path with its live progress."""

from __future__ import annotations

from marshmallow import fields

from catalog.vocabulary import PLAN_STATUSES
from service.common import ListArgsSchema
from service.fields import StrictSchema
from service.recommendation_schemas import ItemSummarySchema


class StoredLevelChangeSchema(StrictSchema):
    """A skill moving from one level to another, as a kept plan stores it."""

    skill = fields.String()
    from_ = fields.Integer(data_key="from", attribute="from")
    to = fields.Integer()


class PlanStepSchema(StrictSchema):
    """A learning-path step of a plan, and whether it is done."""

    position = fields.Integer()
    item = fields.Nested(ItemSummarySchema)
    closes = fields.List(fields.Nested(StoredLevelChangeSchema))
    builds = fields.List(fields.Nested(StoredLevelChangeSchema))
    unlocks = fields.List(fields.Integer())
    start_week = fields.Integer()
    end_week = fields.Integer()
    start_date = fields.String(metadata={"format": "date"})
    end_date = fields.String(metadata={"format": "date"})
    why = fields.String()
    hours = fields.Float()
    status = fields.String(metadata={"description": "pending or completed"})
    completed_at = fields.Date(
        allow_none=True,
        metadata={"description": "First completion of the item on or after the plan's day"},
    )


class ProgressSchema(StrictSchema):
    """How far the plan has come."""

    steps_done = fields.Integer()
    steps_total = fields.Integer()
    hours_done = fields.Float()
    coverage_done = fields.Float(
        metadata={"description": "Share of the plan's weighted gap the done steps close"}
    )


class Kept(fields.Nested):
    """A nested schema in the document; the value, kept as JSON already, is answered as it is.

    A plan's steps are stored in the shape the API shows them: dumping them again field by
    field would cost more than the rest of a plan's read.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class PlanSchema(StrictSchema):
    """A kept learning path with its live progress."""

    id = fields.String()
    employee = fields.String()
    status = fields.String(metadata={"description": " / ".join(PLAN_STATUSES)})
    created_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    replaces = fields.String(allow_none=True, metadata={"description": "The plan this one replans"})
    superseded_by = fields.String(allow_none=True, metadata={"description": "Its replan"})
    target = fields.Dict()
    readiness_before = fields.Float()
    readiness_after = fields.Float()
    coverage = fields.Float()
    total_hours = fields.Float()
    total_cost = fields.Float()
    currency = fields.String(allow_none=True)
    constraints = fields.Dict()
    steps = Kept(PlanStepSchema, many=True)
    unmet = fields.List(fields.Dict())
    excluded = fields.List(fields.Dict())
    model = fields.Dict()
    progress = fields.Nested(ProgressSchema)
    schedule = fields.String(
        metadata={
            "description": "behind: a step not done should have ended; ahead: more hours done "
            "than the dates expect by now; on_track otherwise"
        }
    )


class PlanQueryArgsSchema(ListArgsSchema):
    """Which plans to list."""

    status = fields.String(metadata={"enum": list(PLAN_STATUSES)})
