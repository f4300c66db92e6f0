"""The deletions feed: /v1/changes lists tombstones, so a sync never misses a deletion."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate
from webargs.fields import DelimitedList

from catalog.changes import TOMBSTONE_TYPES, list_deletions
from service.auth import may_read_profiles, requires
from service.common import PAGING, Blueprint, ListArgsSchema, paginate_page, paging
from service.db import db
from service.fields import StrictSchema, Timestamp

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/v1/changes",
    description="Deleted records, for integrations that keep a copy in sync.",
)


class ChangeSchema(StrictSchema):
    """A deleted record (a tombstone): what it was, its id, and when it went."""

    type = fields.String(
        attribute="record_type",
        metadata={"enum": list(TOMBSTONE_TYPES), "example": "skill"},
    )
    id = fields.String(attribute="record_id", metadata={"example": "cobol"})
    deleted_at = fields.DateTime(metadata={"example": "2026-01-31T09:30:00.123456+00:00"})


class ChangeQueryArgsSchema(ListArgsSchema):
    """Which deletions to list."""

    since = Timestamp(
        metadata={"description": "Only deletions after this RFC 3339 time (default: all)"}
    )
    types = DelimitedList(
        fields.String(validate=validate.OneOf(TOMBSTONE_TYPES)),
        metadata={
            "description": (
                "Comma-separated record types (default: every type the caller may read; "
                "`employee` needs `employees:read`)"
            ),
            "example": ["skill", "role"],
        },
    )


@blp.route("")
class Changes(MethodView):
    """The deletions feed."""

    @requires()
    @blp.arguments(ChangeQueryArgsSchema, location="query")
    @blp.response(200, ChangeSchema(many=True))
    @blp.paginate(**PAGING)
    @blp.problems(403)
    def get(self, args, pagination_parameters):
        """List deleted records, oldest deletion first

        Skills and roles deleted, employees erased: apply them with the listings'
        `updated_since` rows, in time order (a record created again after its deletion
        appears in its listing with a later `updated_at`).
        """
        readable = set(TOMBSTONE_TYPES) - (set() if may_read_profiles() else {"employee"})
        types = set(args.get("types") or readable)
        if not types <= readable:
            abort(403, message="Listing deleted employees needs the 'employees:read' scope.")
        page = list_deletions(
            session=db.session,
            types=types,
            since=args.get("since"),
            **paging(pagination_parameters),
        )
        return paginate_page(page, pagination_parameters)
