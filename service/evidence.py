"""Learning evidence in, skill history out: /v1/employees/{id}/completions and /history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask.views import MethodView
from marshmallow import fields

from catalog.completions import NewCompletion, record_completions
from catalog.employees import EMPLOYEE
from catalog.history import list_history
from catalog.vocabulary import HISTORY_CAUSES
from service.auth import requires, requires_any
from service.batches import BatchSchema, batch_body
from service.common import PAGING, Blueprint, ListArgsSchema, get_or_404, paginate_page, paging
from service.db import db
from service.employees import Score, Source
from service.fields import EvidenceDate, ExpiryDate, Id, StrictSchema

blp = Blueprint(
    "evidence",
    __name__,
    url_prefix="/v1/employees",
    description="Learning evidence (completions) and the skill history it makes.",
)


class NewCompletionSchema(BatchSchema):
    """A completion to record: the same item on the same day is recorded once."""

    item = Id(required=True, metadata={"description": "Catalog item id (retired items too)"})
    completed_at = EvidenceDate(required=True)
    expires_at = ExpiryDate(
        load_default=None,
        allow_none=True,
        metadata={"description": "Overrides the item's valid_months when given"},
    )
    score = Score(load_default=None, allow_none=True)
    source = Source(load_default=None, allow_none=True)


class RecordedCompletionSchema(StrictSchema):
    """A recorded completion."""

    item = fields.String()
    completed_at = fields.Date()
    expires_at = fields.Date(allow_none=True)
    score = fields.Float(allow_none=True)
    source = fields.String(allow_none=True)


class CompletionsAddedSchema(StrictSchema):
    """What a POST of completions added, and how many it already held."""

    added = fields.List(fields.Nested(RecordedCompletionSchema))
    unchanged = fields.Integer(metadata={"description": "Records already held, so not added"})


class HistoryArgsSchema(ListArgsSchema):
    """Which events to list."""

    since = fields.AwareDateTime(
        default_timezone=dt.UTC,
        metadata={"description": "Only events at or after this time (ISO 8601; UTC if no zone)"},
    )
    skill = Id(metadata={"description": "Only events of this skill id"})


class SkillEventSchema(StrictSchema):
    """One change of an effective skill level."""

    skill = fields.String(attribute="skill_id")
    from_ = fields.Integer(data_key="from", attribute="from_level")
    to = fields.Integer(attribute="to_level")
    source = fields.String(
        metadata={
            "description": "Evidence that brought the new level (for a fall, that held the old "
            "one): item:<id> or profile:<stated source>"
        }
    )
    at = fields.DateTime()
    cause = fields.String(metadata={"description": " / ".join(HISTORY_CAUSES)})


def add_completions(employee_id: str, records: Sequence[dict[str, Any]]) -> tuple[dict, int]:
    """Record completions of a stored employee; 201 when any was new, else 200."""
    wanted = [NewCompletion(**record) for record in records]
    added = record_completions(session=db.session, employee_id=employee_id, records=wanted)
    db.session.commit()
    body = {"added": added, "unchanged": len(wanted) - len(added)}
    return body, 201 if added else 200


@blp.route("/<id:employee_id>/completions")
class Completions(MethodView):
    """Completions of one employee."""

    @requires_any("evidence:write", "employees:write")
    @blp.arguments(NewCompletionSchema)
    @blp.doc(requestBody=batch_body(NewCompletionSchema, "completion"))
    @blp.response(201, CompletionsAddedSchema)
    @blp.alt_response(200, schema=CompletionsAddedSchema, description="Nothing new")
    @blp.problems(404)
    def post(self, records, employee_id):
        """Record completions (each item and day once)

        Appends to the profile's `completed`: the same item on the same day is recorded
        once, whatever else the second record says. Unknown items are a 422 naming each one
        (with suggestions); then nothing is written.
        """
        return add_completions(employee_id, records)


@blp.route("/<id:employee_id>/history")
class History(MethodView):
    """Skill history of one employee."""

    @requires("employees:read")
    @blp.arguments(HistoryArgsSchema, location="query")
    @blp.response(200, SkillEventSchema(many=True))
    @blp.paginate(**PAGING)
    @blp.problems(404)
    def get(self, args, employee_id, pagination_parameters):
        """List changes of an employee's effective skill levels, oldest first"""
        get_or_404(EMPLOYEE, employee_id)
        page = list_history(
            session=db.session, employee_id=employee_id, **args, **paging(pagination_parameters)
        )
        return paginate_page(page, pagination_parameters)
