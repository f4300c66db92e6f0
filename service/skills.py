"""The skills taxonomy: /v1/skills."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields, validate

from catalog.skills import SKILL, delete_skill, list_skills
from catalog.vocabulary import (
    MAX_ALIASES,
    MAX_CATEGORY_LENGTH,
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
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
from service.fields import ExternalIds, Id, PathId, StrictSchema, Text

blp = Blueprint("skills", __name__, url_prefix="/v1/skills", description="The skills taxonomy.")


class SkillSchema(StrictSchema):
    """A skill of the taxonomy."""

    id = Id(required=True)
    name = Text(MAX_NAME_LENGTH, required=True)
    aliases = fields.List(
        Text(MAX_NAME_LENGTH, min_length=1),
        load_default=list,
        validate=validate.Length(max=MAX_ALIASES),
    )
    category = Text(MAX_CATEGORY_LENGTH, load_default=None, allow_none=True)
    description = Text(MAX_DESCRIPTION_LENGTH, load_default=None, allow_none=True)
    external_ids = ExternalIds()
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SkillPutSchema(SkillSchema):
    """A skill as PUT takes it: the path names it."""

    id = PathId()


class SkillQueryArgsSchema(ChangesArgsSchema):
    """Filters of the skills listing."""

    q = Text(MAX_NAME_LENGTH, metadata={"description": "Substring of id, name or alias"})
    category = Text(MAX_CATEGORY_LENGTH)


@blp.route("")
class Skills(MethodView):
    """The taxonomy as a collection."""

    @requires()
    @blp.arguments(SkillQueryArgsSchema, location="query")
    @blp.response(200, SkillSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List skills"""
        page = list_skills(session=db.session, **args, **paging(pagination_parameters))
        return paginate_page(page, pagination_parameters)

    @requires("catalog:write")
    @blp.arguments(SkillSchema)
    @blp.response(201, SkillSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    @blp.problems(409)
    def post(self, data):
        """Create a skill"""
        return create_response(SKILL, data, SkillSchema())


@blp.route("/<id:skill_id>")
class SkillById(MethodView):
    """One skill."""

    @requires()
    @blp.response(200, SkillSchema, headers=ETAG_HEADER)
    @blp.reads_one()
    def get(self, skill_id):
        """Get a skill"""
        return read_response(get_or_404(SKILL, skill_id), SkillSchema())

    @requires("catalog:write")
    @blp.arguments(SkillPutSchema)
    @blp.response(200, SkillSchema, headers=ETAG_HEADER)
    @blp.alt_response(
        201, schema=SkillSchema, description="Created", headers={**ETAG_HEADER, **LOCATION_HEADER}
    )
    @blp.writes_or_creates(409)
    def put(self, data, skill_id):
        """Create or replace a skill"""
        return put_response(SKILL, skill_id, data, SkillSchema())

    @requires("catalog:write")
    @blp.response(204)
    @blp.writes_existing(409)
    def delete(self, skill_id):
        """Delete a skill nothing references"""
        precondition_for_delete(SKILL, skill_id, SkillSchema())
        delete_skill(session=db.session, skill_id=skill_id)
        db.session.commit()
