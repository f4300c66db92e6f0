"""Role profiles: /v1/roles."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields, validate

from catalog.roles import ROLE, delete_role, list_roles
from catalog.vocabulary import (
    MAX_ALTERNATE_TITLES,
    MAX_CATEGORY_LENGTH,
    MAX_COMPETENCIES,
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TITLE_LENGTH,
)
from service.auth import requires
from service.common import (
    ETAG_HEADER,
    LOCATION_HEADER,
    PAGING,
    Blueprint,
    ChangesArgsSchema,
    create_response,
    get_or_404,
    paginate_page,
    paging,
    precondition_for_delete,
    put_response,
    read_response,
)
from service.db import db
from service.fields import ExternalIds, Id, Level, Number, PathId, SkillRef, StrictSchema, Text

blp = Blueprint(
    "roles", __name__, url_prefix="/v1/roles", description="Role profiles: target competencies."
)


class CompetencySchema(StrictSchema):
    """A required level of one skill, and how much it weighs in the role."""

    skill = SkillRef()
    level = Level(minimum=1)
    weight = Number(
        load_default=1.0,
        validate=validate.Range(min=0, max=1, min_inclusive=False),
        metadata={"description": "Importance in (0, 1]"},
    )


class RoleSchema(StrictSchema):
    """A role profile."""

    id = Id(required=True)
    title = Text(MAX_TITLE_LENGTH, required=True)
    description = Text(MAX_DESCRIPTION_LENGTH, load_default=None, allow_none=True)
    family = Text(MAX_CATEGORY_LENGTH, load_default=None, allow_none=True)
    alternate_titles = fields.List(
        Text(MAX_TITLE_LENGTH, min_length=1),
        load_default=list,
        validate=validate.Length(max=MAX_ALTERNATE_TITLES),
    )
    external_ids = ExternalIds()
    competencies = fields.List(
        fields.Nested(CompetencySchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_COMPETENCIES),
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class RolePutSchema(RoleSchema):
    """A role as PUT takes it: the path names it."""

    id = PathId()


class RoleQueryArgsSchema(ChangesArgsSchema):
    """Filters of the roles listing."""

    q = Text(
        MAX_NAME_LENGTH, metadata={"description": "Substring of id, title or an alternate title"}
    )
    family = Text(MAX_CATEGORY_LENGTH)


@blp.route("")
class Roles(MethodView):
    """Role profiles as a collection."""

    @requires()
    @blp.arguments(RoleQueryArgsSchema, location="query")
    @blp.response(200, RoleSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List roles"""
        page = list_roles(session=db.session, **args, **paging(pagination_parameters))
        return paginate_page(page, pagination_parameters)

    @requires("catalog:write")
    @blp.arguments(RoleSchema)
    @blp.response(201, RoleSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    @blp.problems(409)
    def post(self, data):
        """Create a role"""
        return create_response(ROLE, data, RoleSchema())


@blp.route("/<id:role_id>")
class RoleById(MethodView):
    """One role."""

    @requires()
    @blp.response(200, RoleSchema, headers=ETAG_HEADER)
    @blp.reads_one()
    def get(self, role_id):
        """Get a role"""
        return read_response(get_or_404(ROLE, role_id), RoleSchema())

    @requires("catalog:write")
    @blp.arguments(RolePutSchema)
    @blp.response(200, RoleSchema, headers=ETAG_HEADER)
    @blp.alt_response(
        201, schema=RoleSchema, description="Created", headers={**ETAG_HEADER, **LOCATION_HEADER}
    )
    @blp.writes_or_creates()
    def put(self, data, role_id):
        """Create or replace a role"""
        return put_response(ROLE, role_id, data, RoleSchema())

    @requires("catalog:write")
    @blp.response(204)
    @blp.writes_existing(409)
    def delete(self, role_id):
        """Delete a role no employee holds or targets"""
        precondition_for_delete(ROLE, role_id, RoleSchema())
        delete_role(session=db.session, role_id=role_id)
        db.session.commit()
