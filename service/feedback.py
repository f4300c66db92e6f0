"""What employees say about catalog items: /v1/employees/{id}/feedback."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from marshmallow import fields, validate

from catalog.employees import EMPLOYEE
from catalog.feedback import give_feedback, list_feedback, take_back
from catalog.vocabulary import FEEDBACK_ACTIONS, MAX_REASON_LENGTH
from service.auth import requires, requires_any
from service.common import LOCATION_HEADER, PAGING, Blueprint, get_or_404, paginate_page, paging
from service.db import db
from service.fields import Id, StrictSchema, Text

blp = Blueprint(
    "feedback",
    __name__,
    url_prefix="/v1/employees",
    description="Employees' feedback on catalog items, which shapes their recommendations.",
)


class FeedbackSchema(StrictSchema):
    """What an employee says about a catalog item."""

    id = fields.String(dump_only=True)
    item = Id(required=True, attribute="item_id", data_key="item")
    action = fields.String(
        required=True,
        validate=validate.OneOf(FEEDBACK_ACTIONS),
        metadata={
            "description": "dismiss or not_relevant: leave the item out of this employee's "
            "recommendations and new plans; interested: rank it higher"
        },
    )
    reason = Text(MAX_REASON_LENGTH, load_default=None, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


@blp.route("/<id:employee_id>/feedback")
class FeedbackList(MethodView):
    """One employee's feedback."""

    @requires_any("evidence:write", "employees:write")
    @blp.arguments(FeedbackSchema)
    @blp.response(201, FeedbackSchema, headers=LOCATION_HEADER)
    @blp.alt_response(200, schema=FeedbackSchema, description="Replaced or repeated")
    @blp.problems(404)
    def post(self, data, employee_id):
        """Say what an employee thinks of a catalog item

        Replaces what they said before about the same item (200); new feedback is a 201.
        """
        record, created = give_feedback(
            session=db.session,
            employee_id=employee_id,
            item_id=data["item_id"],
            action=data["action"],
            reason=data["reason"],
        )
        db.session.commit()
        return record, 201 if created else 200, {"Location": f"{request.path}/{record.id}"}

    @requires("employees:read")
    @blp.response(200, FeedbackSchema(many=True))
    @blp.paginate(**PAGING)
    @blp.problems(404)
    def get(self, employee_id, pagination_parameters):
        """List an employee's feedback, latest first"""
        get_or_404(EMPLOYEE, employee_id)
        page = list_feedback(
            session=db.session, employee_id=employee_id, **paging(pagination_parameters)
        )
        return paginate_page(page, pagination_parameters)


@blp.route("/<id:employee_id>/feedback/<id:feedback_id>")
class FeedbackById(MethodView):
    """One feedback record."""

    @requires_any("evidence:write", "employees:write")
    @blp.response(204)
    @blp.problems(404)
    def delete(self, employee_id, feedback_id):
        """Take back one feedback record"""
        take_back(session=db.session, employee_id=employee_id, feedback_id=feedback_id)
        db.session.commit()
